import type { Connection } from './connection'
import type { EventSourceError } from './EventSourceError'
import { type Observer, observe } from './observers'

/** The connections of the page that hooks hold now (development builds only), for the devtools. */
export const startedConnections = new Set<Connection>()

/** Where a stream goes, for a console message: never its query or credentials (a token may be there). */
function where(url: string | URL): string {
  try {
    const { origin, pathname } = new URL(url, globalThis.location?.href)
    return origin === globalThis.location?.origin ? pathname : origin + pathname
  } catch {
    return '(not a url)'
  }
}

/** The likely cause and fix of a failure, or `undefined` for one that explains itself. */
function advice(connection: Connection, error: EventSourceError): [kind: string, text: string] | undefined {
  const stream = where(connection.url)
  if (error.kind === 'parse') {
    return [
      'parse',
      `an event on ${stream} is not JSON (${error.message}). If the server sends plain text, pass \`parse: String\` ` +
        'to useEventSource; the hook keeps its last good data meanwhile.',
    ]
  }
  // Only fetch can tell that nothing answered: the browser's EventSource says `failed` for an HTTP error too.
  if (error.kind === 'network' && /no answer/.test(error.message)) {
    let crossOrigin = false
    try {
      crossOrigin = new URL(connection.url, globalThis.location?.href).origin !== globalThis.location?.origin
    } catch {}
    const cors = crossOrigin
      ? ' The stream is on another origin: its server must answer every request (preflights and errors too) with ' +
        'CORS headers (Access-Control-Allow-Origin, and Access-Control-Allow-Headers: last-event-id, content-type).'
      : ' Check that the server runs and the url is right.'
    return ['no-answer', `no answer from ${stream} (${error.message}).${cors}`]
  }
  return undefined
}

/** Writes the first failure of each kind on each stream to the console, with its likely cause and fix. */
function consoleAdvice(): Observer {
  const warned = new WeakMap<Connection, Set<string>>()
  const once = (connection: Connection, kind: string, text: string) => {
    const kinds = warned.get(connection) ?? new Set()
    warned.set(connection, kinds)
    if (kinds.has(kind)) return
    kinds.add(kind)
    console.warn(`use-event-source: ${text}`)
  }
  const report = (connection: Connection, error: EventSourceError) => {
    const found = advice(connection, error)
    if (found) once(connection, ...found)
  }
  return {
    rejected: report,
    state(connection, { status, error }) {
      if (!error) return
      report(connection, error)
      if (status === 'error') {
        once(
          connection,
          'gave-up',
          `gave up on ${where(connection.url)}: ${error.message}. It stays in status 'error' until reconnect().`,
        )
      }
    },
  }
}

let installed = false

function install() {
  if (installed) return
  installed = true
  observe({
    started: (connection) => startedConnections.add(connection),
    stopped: (connection) => startedConnections.delete(connection),
  })
  observe(consoleAdvice())
}

/**
 * Where development builds differ, registered in this one place: the connections are listed for the devtools, and
 * the first failure of each kind on a stream is explained in the console. Production builds (`NODE_ENV` is
 * `production`, as every bundler sets it, and as React reads it) get an empty function, and none of this code.
 */
export const development: () => void = process.env.NODE_ENV === 'production' ? () => {} : install
