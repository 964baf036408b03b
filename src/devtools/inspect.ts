import { callSafely } from '../core/callSafely'
import type { Connection, ConnectionInternals } from '../core/connectionTypes'
import type { EventSourceError } from '../core/EventSourceError'
import { startedConnections } from '../core/development'
import { type Observer, observe } from '../core/observers'
import { now } from '../core/timers'
import type { EventSourceStatus } from '../core/types'
import {
  advance,
  countEvent,
  countRender,
  createTally,
  type InspectedEvent,
  KEPT_EVENTS,
  perSecond,
  type Tally,
} from './tally'

/** One stream of the page, as the devtools see it at one moment. */
export interface InspectedStream {
  /** A number for the stream, the same while it lives. */
  key: number
  /** The url without its credentials or query values (`/sse?token=…`); the path is shown as it is. */
  url: string
  /** The request's method. */
  method: string
  /** The stream's status, as its hooks show it (see `EventSourceStatus`). */
  status: EventSourceStatus
  /** The last failure of the stream (a parse error is a hook's and is not here); `null` once it opens again. */
  error: EventSourceError | null
  /** What carries the stream: `native`, `fetch`, `polyfill`, `cross-tab leader`, `cross-tab follower`, or the name of a user's EventSource class; `none` before the first attempt began. */
  transport: string
  /** How many hooks are subscribed to it. */
  hooks: number
  /** The event types the stream listens to: those its hooks asked for (a type stays once asked for). */
  types: string[]
  /** Events received since the devtools began to watch. */
  events: number
  /** Events received in the last second (reckoned in tenths of a second). */
  eventsPerSecond: number
  /** Renders of its hooks in the last second: the hooks a flush tells together count once, in each stream's row (one React commit may render hooks of several streams). */
  rendersPerSecond: number
  /** Events per tenth of a second over the last five seconds, oldest first: a paced stream is flat, a buffering proxy spiky. */
  timeline: number[]
  /** The last event id, which the library sends when it reconnects (`''` when none). */
  lastEventId: string
  /** The library's retries since the stream last opened, the pending one included (the browser's own reconnects are not counted). */
  retries: number
  /** Milliseconds until the library's next attempt while it waits for it, else `null` (an attempt under way, or the browser's own retry, whose time it keeps to itself). */
  retryIn: number | null
  /** About how long the open stream has received nothing (no event, no comment), in ms, to half a second; `null` when it is not open. */
  silentFor: number | null
  /** A likely cause of what the stream shows, or `null`: after 10 s of an attempt with no answer, a buffering proxy. */
  hint: string | null
  /** The last events received since the devtools began to watch, newest last (at most `KEPT_EVENTS`). */
  recent: readonly InspectedEvent[]
  /** Stops the stream for every hook on it (status `closed`), as a 204 would. */
  close(): void
  /** Connects again at once, dropping the current attempt or pending retry. */
  reconnect(): void
}

/** After how long an attempt with no answer gets the hint that a proxy may be buffering the stream, in ms. */
const BUFFERING_HINT = 10_000

const bufferingHint = (ms: number) =>
  `no answer for ${Math.floor(ms / 1000)} s: a proxy may be buffering the stream. The server should send ` +
  'X-Accel-Buffering: no (nginx: proxy_buffering off), and an event or a comment soon after its headers. ' +
  '`npx use-event-source doctor <url>` checks the server and its proxies.'

/** How often a watched snapshot is taken, in ms: rates and countdowns move with it. */
const TICK = 250

let tallies = new WeakMap<Connection, Tally>()
/** Each stream's key, kept across watches. */
const keys = new WeakMap<Connection, number>()
let nextKey = 1
/** One entry per subscription (the same function may subscribe twice). */
const subscribers = new Set<() => void>()
let snapshot: readonly InspectedStream[] = []
/** What `snapshot` shows, as text: a new list that shows the same keeps the old one. */
let shown = ''
/** The snapshot the subscribers were last told of. */
let told: readonly InspectedStream[] | undefined
let cancelTick: (() => void) | undefined

function tallyOf(connection: Connection): Tally {
  let tally = tallies.get(connection)
  if (!tally) {
    tally = createTally()
    tallies.set(connection, tally)
  }
  return tally
}

const watcher: Observer = {
  event(connection, type, data, id) {
    countEvent(tallyOf(connection), type, data, id)
  },
  state(connection) {
    tallyOf(connection).changedAt = now()
  },
  rendered(connection) {
    countRender(tallyOf(connection))
  },
}

/** A query parameter's name as such (`room`, `filter[kind]`), not a token passed as a name (`?eyJhbGciOi…`). */
const plainName = /^[\w.[\]-]{1,32}$/

/**
 * The url without credentials, with each query value replaced by `…` (and
 * any part of the query that is not a plain `name=value`); same-origin urls
 * from their path.
 */
export function redact(url: string | URL): string {
  try {
    const { origin, pathname, search } = new URL(url, globalThis.location?.href)
    const parts = search.slice(1).split('&').filter(Boolean)
    const safe = parts.map((part) => {
      const equals = part.indexOf('=')
      const name = equals < 0 ? '' : part.slice(0, equals)
      return plainName.test(name) ? `${name}=…` : '…'
    })
    const query = [...new Set(safe)].join('&')
    return `${origin === globalThis.location?.origin ? '' : origin}${pathname}${query && `?${query}`}`
  } catch {
    return '(not a url)'
  }
}

function transportOf({ transport, options }: ConnectionInternals): string {
  if (!transport) return 'none'
  if (options.crossTab && transport !== 'cross-tab follower') return `cross-tab leader (${transport})`
  return transport
}

function inspect(connection: Connection): InspectedStream {
  const internals = connection.inspect()
  const tally = tallyOf(connection)
  advance(tally)
  const { status, error, attempt, retryAt } = connection.getState()
  const { options } = internals
  const waiting = status === 'reconnecting' && retryAt > now()
  // An attempt under way: since the status became connecting, or since the pending retry fired.
  const trying = status === 'connecting' || (status === 'reconnecting' && !waiting)
  const tryingFor = now() - (status === 'reconnecting' && retryAt ? retryAt : tally.changedAt)
  let key = keys.get(connection)
  if (key === undefined) {
    key = nextKey++
    keys.set(connection, key)
  }
  return {
    key,
    url: redact(connection.url),
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    status,
    error,
    transport: transportOf(internals),
    hooks: internals.hooks,
    types: [...internals.types],
    events: tally.events,
    eventsPerSecond: perSecond(tally.eventSlots),
    rendersPerSecond: perSecond(tally.renderSlots),
    timeline: [...tally.eventSlots],
    lastEventId: internals.lastEventId,
    retries: attempt,
    retryIn: waiting ? Math.max(0, Math.round(retryAt - now())) : null,
    silentFor: status === 'open' ? internals.silentFor : null,
    hint: trying && tryingFor >= BUFFERING_HINT ? bufferingHint(tryingFor) : null,
    recent: tally.recent.slice(-KEPT_EVENTS),
    close: connection.close,
    reconnect: connection.reconnect,
  }
}

/** Everything a stream's row shows, as text (the countdown in tenths of a second, as shown). */
const signature = (stream: InspectedStream) =>
  [
    ...[
      stream.key,
      stream.url,
      stream.method,
      stream.status,
      stream.error?.kind,
      stream.error?.message,
      stream.error?.status,
    ],
    ...[stream.transport, stream.hooks, stream.types],
    ...[
      stream.events,
      stream.eventsPerSecond,
      stream.rendersPerSecond,
      stream.timeline,
      stream.lastEventId,
      stream.retries,
    ],
    stream.retryIn === null ? null : Math.round(stream.retryIn / 100),
    stream.silentFor,
    stream.hint,
  ].join('\u0000')

/** Takes a new snapshot, keeping the old one if it shows the same. */
function update() {
  const streams = [...startedConnections].map(inspect)
  const text = streams.map(signature).join('\n')
  if (text === shown) return
  snapshot = streams
  shown = text
}

/**
 * Every stream of the page that hooks hold (open, trying to be, or stopped),
 * oldest first. Development builds only: a production build carries no
 * list of connections, and this is empty there. While `subscribeToStreams` has a
 * subscriber, the snapshot of its last tick (the same array until something
 * it shows changed, as `useSyncExternalStore` needs), with counts and recent
 * events since the watch began; without one, the streams now, with no
 * counts.
 */
export function getStreams(): readonly InspectedStream[] {
  if (!cancelTick) update()
  return snapshot
}

function tick() {
  update()
  if (snapshot === told) return
  told = snapshot
  // A subscriber that throws must not keep the others from hearing of the change.
  for (const onChange of [...subscribers]) callSafely(onChange)
}

/**
 * Calls `onChange` when the streams changed, at most every 250 ms (rates and
 * countdowns move with time); read them with `getStreams()`. The first
 * subscriber starts the watch that counts events and renders, the last one
 * to leave ends it: until then the core does nothing more per event than a
 * check. Returns the function that unsubscribes.
 */
export function subscribeToStreams(onChange: () => void): () => void {
  const subscriber = () => onChange()
  subscribers.add(subscriber)
  if (!cancelTick) {
    tallies = new WeakMap()
    const unobserve = observe(watcher)
    update()
    const id = setInterval(tick, TICK)
    cancelTick = () => {
      clearInterval(id)
      unobserve()
    }
  }
  return () => {
    if (!subscribers.delete(subscriber) || subscribers.size) return
    cancelTick?.()
    cancelTick = told = undefined
    tallies = new WeakMap()
    snapshot = [] // nothing held of streams that may be gone
    shown = ''
  }
}
