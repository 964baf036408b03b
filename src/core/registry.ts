import { type Connection, createConnection } from './connection'
import type { ConnectionOptions } from './types'

const connections = new Map<string, Connection>()
/**
 * What makes two hooks' streams the same: every connection option, compared
 * by value. Functions (a delay function) are left out, so that inline
 * options never reconnect; a headers function is the hook's own business
 * (see useEventSource). An EventSource class counts by its name. Returns
 * the function a hook calls at every render: the key is written again only
 * when the url or an option is not the one of the last render (an inline
 * object counts as new), so that a render costs no JSON.stringify.
 */
export function createConnectionKey(): (url: string | URL, options: ConnectionOptions) => string | undefined {
  let last: unknown[] = []
  let key: string | undefined
  return (url, options) => {
    const { withCredentials, EventSource, headers, method, body, transport, reconnect, idleTimeout } = options
    const parts: unknown[] = [
      String(url),
      !!withCredentials,
      EventSource?.name,
      headers,
      method,
      body,
      transport,
      reconnect,
    ]
    parts.push(idleTimeout, options.lastEventIdParam, !!options.crossTab)
    if (parts.length === last.length && parts.every((part, i) => part === last[i])) return key
    last = parts
    try {
      key = JSON.stringify(parts)
    } catch {
      // A body JSON cannot write (a cycle, a BigInt) must not throw in render; the fetch transport reports it.
      key = undefined
    }
    return key
  }
}

/** A connection for one hook alone: created on first use, reopened by the same hook (StrictMode, <Activity>). */
export function ownConnection(url: string | URL): () => Connection {
  let mine: Connection | undefined
  return () => (mine ??= createConnection(url))
}

/**
 * Stopped connections that a hook still holds (hidden by `<Activity>`, or closed): their stream's position outlives
 * them, for as long as a hook may come back. Held weakly: once no hook holds it, it goes.
 */
const stopped = new Map<string, WeakRef<Connection>>()

/**
 * The connection for `key`, created on first use. When it stops, it is kept (weakly) while a hook still holds it,
 * so that the stream's position is not lost: a hook shown again, or another hook that starts the stream meanwhile,
 * resumes from where it stood rather than from now.
 */
export function acquireConnection(key: string, url: string | URL, previous?: Connection): Connection {
  let connection = connections.get(key) ?? stopped.get(key)?.deref()
  if (!connection) {
    const created =
      previous ??
      createConnection(url, key, () => {
        if (connections.get(key) !== created) return
        connections.delete(key)
        stopped.set(key, new WeakRef(created))
      })
    connection = created
  }
  stopped.delete(key)
  connections.set(key, connection)
  return connection
}
