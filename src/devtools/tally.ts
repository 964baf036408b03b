import { now } from '../core/timers'

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

/** How many events each stream keeps for the devtools. */
export const KEPT_EVENTS = 50
/** The timeline's slot, in ms, and how many it keeps (5 s). */
const SLOT = 100
const SLOTS = 50

/**
 * What the devtools count of one stream while they watch: events and renders
 * per tenth of a second over the last 5 s, and the last events. Constant
 * work per event.
 */
export interface Tally {
  /** Events counted. */
  events: number
  /** Events, then renders, per slot, oldest first; the last slot is the one under way. */
  readonly eventSlots: number[]
  readonly renderSlots: number[]
  /** The last events, up to twice `KEPT_EVENTS` of them (halved when full). */
  recent: InspectedEvent[]
  /** The slot (`now() / SLOT`, rounded down) under way at the last count. */
  slot: number
  /** A render was counted in the current task: the hooks a flush tells together are one React render. */
  rendering: boolean
  /** When the stream's status last changed while the devtools watched (`now()`), or when they first saw it. */
  changedAt: number
}

export function createTally(): Tally {
  return {
    events: 0,
    eventSlots: Array(SLOTS).fill(0),
    renderSlots: Array(SLOTS).fill(0),
    recent: [],
    slot: Math.floor(now() / SLOT),
    rendering: false,
    changedAt: now(),
  }
}

/** Moves the slots on to the one under way, zeroing those that passed without a count. */
export function advance(tally: Tally): void {
  const slot = Math.floor(now() / SLOT)
  const passed = Math.min(slot - tally.slot, SLOTS)
  if (passed <= 0) return
  for (const slots of [tally.eventSlots, tally.renderSlots]) {
    slots.splice(0, passed)
    slots.push(...Array<number>(passed).fill(0))
  }
  tally.slot = slot
}

export function countEvent(tally: Tally, type: string, data: string, id: string): void {
  advance(tally)
  tally.events += 1
  ;(tally.eventSlots[SLOTS - 1] as number) += 1
  if (tally.recent.push({ n: tally.events, type, id, data, at: Date.now() }) >= 2 * KEPT_EVENTS)
    tally.recent = tally.recent.slice(-KEPT_EVENTS)
}

/**
 * A hook of the stream told React of new data. What one task tells React
 * (a flush, however many hooks; a chunk of events with `throttle: false`)
 * React commits once, at the task's end: one render.
 */
export function countRender(tally: Tally): void {
  if (tally.rendering) return
  tally.rendering = true
  queueMicrotask(() => (tally.rendering = false))
  advance(tally)
  ;(tally.renderSlots[SLOTS - 1] as number) += 1
}

/**
 * The counts of the last second: the slot under way, the 9 before it, and
 * of the one before those the share that falls within the second (its
 * counts taken as spread evenly), rounded.
 */
export function perSecond(slots: readonly number[]): number {
  const into = (now() % SLOT) / SLOT
  let count = (slots[SLOTS - 11] as number) * (1 - into)
  for (let index = SLOTS - 10; index < SLOTS; index++) count += slots[index] as number
  return Math.round(count)
}
