import { createConnection, type ShareLoader } from './connection'
import type { Connection } from './connectionTypes'
import { pageShared } from './pageShared'
import type { ConnectionOptions } from './types'

/** The cross-tab chunk, loaded by the first shared stream that asks for `crossTab`. */
const share: ShareLoader = () => import('../crossTab/share')

/** The page's shared connections by key: one registry however many copies of the library the page loads. */
const connections = pageShared('connections', () => new Map<string, Connection>())
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
 * The connection for `key`, created on first use and forgotten when it stops. A hook that held it before (shown
 * again after `<Activity>`) brings it back when nobody else has, so that the stream resumes from its position.
 */
export function acquireConnection(key: string, url: string | URL, previous?: Connection): Connection {
  let connection = connections.get(key)
  if (!connection) {
    const created =
      previous ??
      createConnection(url, {
        key,
        share,
        onDispose: () => connections.get(key) === created && connections.delete(key),
      })
    connections.set(key, created)
    connection = created
  }
  return connection
}
