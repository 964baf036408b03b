import { createConnection, type ShareLoader } from './connection'
import type { Connection } from './connectionTypes'
import { pageShared } from './pageShared'
import type { ConnectionOptions } from './types'

/** The cross-tab chunk, loaded by the first shared stream that asks for `crossTab`. */
const share: ShareLoader = () => import('../crossTab/share')

/** The page's shared connections by key: one registry however many copies of the library the page loads. */
const connections = pageShared('connections', () => new Map<string, Connection>())
/**
 * Each shared stream's position when its connection stopped: the stream's, not its connection's, so that a stream
 * started again (by a new hook, while a hook that held it is hidden by `<Activity>`) resumes from it.
 */
const positions = pageShared('positions', () => new Map<string, string>())
/** How many stopped streams' positions a page keeps (the oldest is forgotten first). */
const POSITIONS = 100
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
 * The connection for `key`, created on first use and forgotten when it stops; a new one resumes from the position the
 * last one stopped at. A hook that held it before (shown again after `<Activity>`) brings it back when nobody else
 * has and the stream has not gone further without it, so that the stream resumes from its position.
 */
export function acquireConnection(key: string, url: string | URL, previous?: Connection): Connection {
  let connection = connections.get(key)
  if (!connection) {
    const from = positions.get(key)
    // The connection the hook held, unless the stream went on without it since (another hook started it afresh).
    const held = previous && (from === undefined || previous.inspect().lastEventId === from) ? previous : undefined
    const created =
      held ??
      createConnection(url, {
        key,
        share,
        from,
        onDispose(lastEventId) {
          if (connections.get(key) === created) connections.delete(key)
          keepPosition(key, lastEventId)
        },
      })
    connections.set(key, created)
    connection = created
  }
  return connection
}

function keepPosition(key: string, lastEventId: string) {
  positions.delete(key)
  if (lastEventId) positions.set(key, lastEventId)
  for (const oldest of positions.keys()) if (positions.size > POSITIONS) positions.delete(oldest)
}

/** Forgets every stopped stream's position (the testing entry's `MockEventSource.reset()`, between tests). */
export function forgetPositions(): void {
  positions.clear()
}
