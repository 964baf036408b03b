import type { Connection, ConnectionInternals } from '../core/connection'
import type { EventSourceError } from '../core/EventSourceError'
import { probe, type Watcher } from '../core/probe'
import { now } from '../core/timers'
import { fetchTransport } from '../core/transports/fetch'
import type { EventSourceStatus } from '../core/types'
import { CrossTabEventSource } from '../crossTab/CrossTabEventSource'

/** One event as the devtools keep it. */
export interface InspectedEvent {
  /** Its number among the stream's events since the devtools began to watch, from 1. */
  n: number
  /** The event's type (`message` for unnamed events). */
  type: string
  /** Its id, or the last id the stream set before it (`''` when none). */
  id: string
  /** Its data as the server sent it. */
  data: string
  /** When it arrived (`Date.now()`). */
  at: number
}

/** One stream of the page, as the devtools see it at one moment. */
export interface InspectedStream {
  /** A number for the stream, the same while it lives. */
  key: number
  /** The url without credentials or query values (`?token=…`): safe to show and to paste into an issue. */
  url: string
  /** The request's method. */
  method: string
  status: EventSourceStatus
  /** The last failure of the stream (a parse error is a hook's and is not here); `null` once it opens again. */
  error: EventSourceError | null
  /** What carries the stream: `native`, `fetch`, `polyfill`, `cross-tab leader`, `cross-tab follower`, or the name of a user's EventSource class; `none` before the first attempt began. */
  transport: string
  /** How many hooks are subscribed to it. */
  hooks: number
  /** The event types its hooks listen to. */
  types: string[]
  /** Events received since the devtools began to watch. */
  events: number
  /** Events received in the last second. */
  eventsPerSecond: number
  /** React renders its hooks caused in the last second (the hooks a flush tells together count once). */
  rendersPerSecond: number
  /** Events per tenth of a second over the last five seconds, oldest first: a paced stream is flat, a buffering proxy spiky. */
  timeline: number[]
  /** The last event id, which the library sends when it reconnects (`''` when none). */
  lastEventId: string
  /** Failed attempts in a row. */
  attempt: number
  /** Milliseconds until the library's next attempt while one is pending, else `null` (the browser's own retry has no known time). */
  retryIn: number | null
  /** The last events received since the devtools began to watch, newest last (at most `KEPT_EVENTS`). */
  recent: readonly InspectedEvent[]
  /** Stops the stream for every hook on it (status `closed`), as a 204 would. */
  close(): void
  /** Connects again at once, dropping the current attempt or pending retry. */
  reconnect(): void
}

/** How many events each stream keeps for the devtools. */
export const KEPT_EVENTS = 50
/** How often a watched snapshot is taken, in ms: rates and countdowns move with it. */
const TICK = 250
/** The timeline's slot, in ms, and how many it keeps. */
const SLOT = 100
const SLOTS = 50

/** What the devtools count of one connection while they watch. */
interface Tally {
  key: number
  events: number
  eventSlots: number[]
  renderSlots: number[]
  /** The slot (`now() / SLOT`, rounded down) the last entry of both slot lists stands for. */
  slot: number
  recent: InspectedEvent[]
  /** When a render was last counted: the hooks a flush tells together, within a millisecond, are one React render. */
  renderedAt: number
}

const tallies = new WeakMap<Connection, Tally>()
let nextKey = 1
const subscribers = new Set<() => void>()
let snapshot: readonly InspectedStream[] = []
let stale = true
let cancelTick: (() => void) | undefined

function tallyOf(connection: Connection): Tally {
  let tally = tallies.get(connection)
  if (!tally) {
    const slot = Math.floor(now() / SLOT)
    tally = { key: nextKey++, events: 0, eventSlots: Array(SLOTS).fill(0), renderSlots: Array(SLOTS).fill(0), slot, recent: [], renderedAt: -Infinity }
    tallies.set(connection, tally)
  }
  return tally
}

/** Moves the tally's slots on to the current one, zeroing those that passed without a count. */
function advance(tally: Tally): void {
  const slot = Math.floor(now() / SLOT)
  const passed = Math.min(slot - tally.slot, SLOTS)
  if (passed <= 0) return
  for (const slots of [tally.eventSlots, tally.renderSlots]) {
    slots.splice(0, passed)
    slots.push(...Array<number>(passed).fill(0))
  }
  tally.slot = slot
}

const watcher: Watcher = {
  told(connection, type, data, id) {
    stale = true
    if (type === null) return
    const tally = tallyOf(connection)
    advance(tally)
    tally.events += 1
    ;(tally.eventSlots[SLOTS - 1] as number) += 1
    if (tally.recent.push({ n: tally.events, type, id, data, at: Date.now() }) >= 2 * KEPT_EVENTS) tally.recent = tally.recent.slice(-KEPT_EVENTS)
  },
  rendered(connection) {
    const tally = tallyOf(connection)
    const time = now()
    if (time - tally.renderedAt < 1) return
    tally.renderedAt = time
    advance(tally)
    ;(tally.renderSlots[SLOTS - 1] as number) += 1
    stale = true
  },
}

/** A query parameter's name as such (`room`, `filter[kind]`), not a token passed as a name (`?eyJhbGciOi…`). */
const plainName = /^[\w.[\]-]{1,32}$/

/** The url without credentials, with each query value replaced by `…` (and a name that could be a token too); same-origin urls from their path. */
export function redact(url: string | URL): string {
  try {
    const { origin, pathname, searchParams } = new URL(url, globalThis.location?.href)
    const names = [...new Set(searchParams.keys())].map((name) => (plainName.test(name) ? `${name}=…` : '…'))
    const query = [...new Set(names)].join('&')
    return `${origin === globalThis.location?.origin ? '' : origin}${pathname}${query && `?${query}`}`
  } catch {
    return '(not a url)'
  }
}

function transportOf({ transport, options, url }: ConnectionInternals): string {
  const { EventSource } = options
  if (!transport) return 'none'
  if (transport === fetchTransport) return 'fetch'
  if (EventSource === CrossTabEventSource) return CrossTabEventSource.holds(url) ? 'cross-tab leader' : 'cross-tab follower'
  if (EventSource) return EventSource.name || 'EventSource class'
  return globalThis.EventSource ? 'native' : 'polyfill'
}

const sum = (slots: number[]) => slots.slice(-1000 / SLOT).reduce((a, b) => a + b, 0)

function inspect(connection: Connection): InspectedStream | undefined {
  const internals = connection.inspect?.()
  if (!internals) return
  const tally = tallyOf(connection)
  advance(tally)
  const { status, error } = connection.getState()
  const { options, retryAt } = internals
  const waiting = status === 'reconnecting' && retryAt > 0
  return {
    key: tally.key,
    url: redact(internals.url),
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    status,
    error,
    transport: transportOf(internals),
    hooks: internals.hooks,
    types: [...internals.types],
    events: tally.events,
    eventsPerSecond: sum(tally.eventSlots),
    rendersPerSecond: sum(tally.renderSlots),
    timeline: [...tally.eventSlots],
    lastEventId: internals.lastEventId,
    attempt: internals.attempt,
    retryIn: waiting ? Math.max(0, Math.round(retryAt - now())) : null,
    recent: tally.recent.slice(-KEPT_EVENTS),
    close: internals.close,
    reconnect: connection.reconnect,
  }
}

/**
 * Every stream of the page that is open or trying to be, oldest first.
 * Development builds only: a production build carries no probe, and this is
 * empty there. Counts and recent events start when the first subscriber of
 * `subscribeToStreams` begins to watch. The same array until something
 * changed, as `useSyncExternalStore` needs.
 */
export function getStreams(): readonly InspectedStream[] {
  if (stale) {
    snapshot = [...probe.connections].map(inspect).filter((stream) => stream !== undefined)
    stale = false
  }
  return snapshot
}

function tick() {
  // Rates and countdowns move with time: while a stream lives, every tick is a change.
  if (probe.connections.size) stale = true
  if (stale) for (const onChange of subscribers) onChange()
}

/**
 * Calls `onChange` when the streams changed (at most every 250 ms, and then
 * as rates and countdowns move); read them with `getStreams()`. The first
 * subscriber starts the watch that counts events and renders, the last one
 * to leave ends it: until then the core does nothing more per event than a
 * check. Returns the function that unsubscribes.
 */
export function subscribeToStreams(onChange: () => void): () => void {
  subscribers.add(onChange)
  if (!cancelTick) {
    stale = true
    probe.watcher = watcher
    const id = setInterval(tick, TICK)
    cancelTick = () => clearInterval(id)
  }
  return () => {
    subscribers.delete(onChange)
    if (subscribers.size) return
    cancelTick?.()
    cancelTick = probe.watcher = undefined
  }
}
