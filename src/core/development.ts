import type { Connection } from './connectionTypes'
import type { EventSourceError } from './EventSourceError'
import { type Observer, observe } from './observers'
import { pageShared } from './pageShared'

/** The connections of the page that hooks hold now (development builds only), for the devtools. */
export const startedConnections = /* @__PURE__ */ pageShared('started', () => new Set<Connection>())

/** Where a stream goes, for a console message: never its query or credentials (a token may be there). */
function where(url: string | URL): string {
  try {
    const { origin, pathname } = new URL(url, globalThis.location?.href)
    return origin === globalThis.location?.origin ? pathname : origin + pathname
  } catch {
    return '(not a url)'
  }
}

/** The origin of a url, or `undefined` for one that is not a url. */
function originOf(url: string | URL): string | undefined {
  try {
    return new URL(url, globalThis.location?.href).origin
  } catch {
    return undefined
  }
}

/** Whether the default parser's `JSON.parse` would refuse this text: what "not JSON" means. */
function notJson(text: string | undefined): boolean {
  try {
    JSON.parse(text ?? '')
    return false
  } catch {
    return true
  }
}

/** What a stream's server did, after its name, and what to do about it. */
type Advice = [kind: string, what: string, fix: string]

/** The advice for `HTTP <status>`. */
function httpAdvice(status: number): Advice {
  const kind = `http-${status}`
  if (status === 401 || status === 403) {
    return [
      kind,
      `refused the request (HTTP ${status})`,
      'It wants credentials: send them with `headers` (a token, or a function for a fresh one at every connect) ' +
        'or with `withCredentials: true` (cookies, cross-origin).',
    ]
  }
  if (status === 404 || status === 410) {
    return [
      kind,
      `answered HTTP ${status}`,
      "There is no stream at that url: check its path, and the dev server's proxy if the request goes through one.",
    ]
  }
  if (status === 405) {
    return [kind, 'answered HTTP 405', 'It does not take this method (`method`, or a `body`, which makes it POST).']
  }
  if (status === 408 || status === 429 || status >= 500) {
    return [
      kind,
      `answered HTTP ${status}`,
      'The server failed or is busy; the hook retries, waiting longer each time.',
    ]
  }
  return [
    kind,
    `answered HTTP ${status}`,
    'Retrying cannot fix that: check the url and what the server expects of the request.',
  ]
}

/**
 * The likely cause and fix of a failure, with the kind it is told once per stream under, or `undefined` for one
 * that explains itself (a connection lost, which the browser or the hook retries). `answered`: the origins that
 * answered a request of this page (a stream opened, or an HTTP status came back).
 */
function advice(error: EventSourceError, url: string | URL, answered: ReadonlySet<string>): Advice | undefined {
  const cause = error.cause as { name?: unknown } | undefined
  if (error.kind === 'parse') {
    // The schema hook's failures: a SchemaError with the issues, or a schema that validates asynchronously.
    if (cause?.name === 'SchemaError' || /\bschema\b/.test(error.message)) {
      return [
        'parse-schema',
        `sent an event that does not pass the schema (${error.message})`,
        "The hook keeps its last good data: compare what the server sends (the error's `raw`) with the schema.",
      ]
    }
    // JSON.parse refused the text: the default parser's failure (or a custom parser's own JSON.parse).
    if (cause instanceof SyntaxError && notJson(error.raw)) {
      return [
        'parse-json',
        `sent an event that is not JSON (${error.message})`,
        'If the server sends plain text, pass `parse: String` (or a parser for its format) to useEventSource; the ' +
          'hook keeps its last good data meanwhile.',
      ]
    }
    return [
      'parse-custom',
      `sent an event that the \`parse\` function given to useEventSource threw on (${error.message})`,
      "The hook keeps its last good data: make the parser accept what the server sends (the error's `raw`).",
    ]
  }
  if (error.kind === 'http' && error.status) return httpAdvice(error.status)
  if (error.kind === 'content-type') {
    return [
      'content-type',
      `answered with something else than an event stream (${error.message})`,
      "Often a page served for a wrong url (a dev server's index.html, a login page): check the url, and that the " +
        'server sends Content-Type: text/event-stream.',
    ]
  }
  // The attempt's deadline passed (liveness): a request went out and nothing came back, not even headers.
  const late = /^no answer in (\d+) s$/.exec(error.message)
  if (error.kind === 'network' && late) {
    return [
      'no-headers',
      `sent no response headers in ${late[1]} s, so the request was dropped and is tried again`,
      'A proxy may hold the response (nginx buffers it, headers too, until about 4 kB: send X-Accel-Buffering: no), ' +
        'the server may send its headers only with its first event (write a comment at once), or the network is ' +
        'gone. `npx use-event-source doctor <url>` checks the server and its proxies.',
    ]
  }
  // Only fetch can tell that nothing answered: the browser's EventSource says `failed` for an HTTP error too.
  if (error.kind === 'network' && /no answer/.test(error.message)) {
    const what = `did not answer (${error.message.replace(/ \(no answer[^)]*\)$/, '')})` // the fix says what it may mean
    const origin = originOf(url)
    if (origin === globalThis.location?.origin) {
      return ['no-answer', what, 'Check that the server runs and the url is right.']
    }
    if (origin && answered.has(origin)) {
      return [
        'no-answer-again',
        `${what}, though it answered before`,
        "It is likely down or restarting, and the hook retries. If this lasts while the server runs, check that its CORS preflight answer allows the header the hook's own reconnects send (Access-Control-Allow-Headers: last-event-id).",
      ]
    }
    return [
      'no-answer-cors',
      what,
      'Its server is down, or it refuses requests from this origin: it must answer every request (preflights and ' +
        'errors too) with CORS headers (Access-Control-Allow-Origin, and Access-Control-Allow-Headers: ' +
        'last-event-id, content-type).',
    ]
  }
  return undefined
}

/** Writes the first failure of each kind on each stream to the console, with its likely cause and fix. */
function consoleAdvice(): Observer {
  const told = new WeakMap<Connection, Set<string>>()
  const answered = new Set<string>()
  /** Streams whose events reach a hook, or that were told of one that none listens to: nothing more to check. */
  const settled = new WeakSet<Connection>()
  /** Whether this kind is new on this connection; it is not, after this. */
  const first = (connection: Connection, kind: string) => {
    const kinds = told.get(connection) ?? new Set()
    told.set(connection, kinds)
    if (kinds.has(kind)) return false
    kinds.add(kind)
    return true
  }
  const report = (connection: Connection, error: EventSourceError) => {
    const found = advice(error, connection.url, answered)
    if (found && first(connection, found[0]))
      console.warn(`use-event-source: ${where(connection.url)} ${found[1]}. ${found[2]}`)
  }
  return {
    rejected: report,
    event(connection, type) {
      if (settled.has(connection)) return
      settled.add(connection)
      // Only fetch sees the types nobody listens to: the browser's EventSource dispatches those it is asked for.
      if (connection.inspect().types.has(type)) return
      console.warn(
        `use-event-source: ${where(connection.url)} sends events of type '${type}', and no hook on it listens to that ` +
          `type, so they change nothing. List it in \`events\` (events: ['${type}']); events without an \`event:\` ` +
          "field have the type 'message'.",
      )
    },
    state(connection, { status, error }) {
      const origin = originOf(connection.url)
      if (error && status !== 'error') report(connection, error)
      if (error && status === 'error' && first(connection, 'gave-up')) {
        // One message: why, and what to do; the same failure is not told again on its own.
        const found = advice(error, connection.url, answered)
        if (found) first(connection, found[0])
        const why = found ? `, which ${found[1]}. ${found[2]}` : `: ${error.message}.`
        console.warn(
          `use-event-source: gave up on ${where(connection.url)}${why} It stays in status 'error' until reconnect().`,
        )
      }
      if (origin && (status === 'open' || error?.status)) answered.add(origin) // after: this failure is not "again"
    },
  }
}

function install() {
  // One copy of the library on the page registers the development observers.
  const registered = pageShared('development', () => ({ installed: false }))
  if (registered.installed) return
  registered.installed = true
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
