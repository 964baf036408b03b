import { type Connection, createConnection } from './connection'
import type { ConnectionOptions } from './types'

const connections = new Map<string, Connection>()
/**
 * What makes two hooks' streams the same: every connection option, compared
 * by value. Functions (a delay function) are left out, so that inline
 * options never reconnect; a headers function is the hook's own business
 * (see useEventSource). An EventSource class counts by its name.
 */
export function connectionKey(url: string | URL, options: ConnectionOptions): string | undefined {
  const { withCredentials, EventSource, headers, method, body, transport, reconnect, idleTimeout, lastEventIdParam } =
    options
  const identity = [String(url), !!withCredentials, EventSource?.name, headers, method, body, transport, reconnect]
  try {
    return JSON.stringify([...identity, idleTimeout, lastEventIdParam, !!options.crossTab])
  } catch {
    // A body JSON cannot write (a cycle, a BigInt) must not throw in render; the fetch transport reports it.
  }
}

/** A connection for one hook alone: created on first use, reopened by the same hook (StrictMode, <Activity>). */
export function ownConnection(url: string | URL): () => Connection {
  let mine: Connection | undefined
  return () => (mine ??= createConnection(url))
}

/**
 * The connection for `key`, created on first use and forgotten when it stops. A hook that held it before (shown
 * again after `<Activity>`) brings it back when nobody else has, so that the stream resumes from its position.
 */
export function acquireConnection(key: string, url: string | URL, previous?: Connection): Connection {
  let connection = connections.get(key)
  if (!connection) {
    const created =
      previous ??
      createConnection(url, key, () => {
        if (connections.get(key) === created) connections.delete(key)
      })
    connections.set(key, created)
    connection = created
  }
  return connection
}
