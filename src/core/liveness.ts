import { after, now } from './timers'
import { loadFetch } from './transports/chooseTransport'
import { onWakeUp, wakeUp } from './wakeups'

/** How often an open stream's liveness is checked, in ms (more often for an `idleTimeout` under 2 s). */
const TICK = 500
/** After a wake-up, how long an open stream has to show a byte before it is recreated. */
export const WAKE_GRACE = 1000
/** A learned cadence never suspects a stream sooner than this. */
const MIN_SILENCE = 3000
/** A stream is suspected when silent for this many times its longest silence so far. */
const CADENCE_FACTOR = 4
/** Silences (each ended by a byte) seen before the cadence counts as learned. */
const LEARNED_AFTER = 4
/** How far the patience doubles: a learned limit is never more than this many times its first value. */
const MAX_PATIENCE = 32
/** More wall-clock time than monotonic time between two ticks: the machine slept (its monotonic clock stood still). */
const SLEPT = 5000

/** What the connection tells its liveness clock, and reads of it. */
export interface Liveness {
  /** The transport received something (an event, a comment, the open). Per event, only a count. */
  heard(): void
  /** The stream is open: watch it. */
  start(): void
  /** The stream is not open (or not any more): stop watching. */
  stop(): void
  /** The page woke up: a byte must come within `WAKE_GRACE`, else the stream is declared silent. */
  suspect(): void
  /** About how long the open stream has been silent, in ms (to a tick). */
  silentFor(): number
  /** The connection stopped: no more ticks, no more wake-ups. */
  dispose(): void
}

/**
 * An open stream's liveness clock. `setting` is the `idleTimeout` option: a
 * number of ms of silence, `false` for none, or (`undefined`) the stream's own
 * cadence: once it has shown four silences ended by a byte, a silence of four
 * times the longest (at least 3 s) means the connection is gone. Counting
 * bytes instead of reading the clock per event keeps the per-event cost at an
 * increment; the clock is read at each tick. Cadence is kept across the
 * connection's attempts: it is the server's; but a stream suspected by it
 * must show its cadence again, and is suspected more slowly each time
 * (patience doubles), so that a stream that pauses is not recreated every
 * few seconds. `onWake` is called at every
 * wake-up of the page until `dispose()`.
 *
 * A chunk of its own, loaded when a stream starts: nothing of it is needed
 * before the stream opens.
 */
export function createLiveness(
  setting: () => number | false | undefined,
  onSilent: (silentMs: number) => void,
  onWake: () => void,
): Liveness {
  let heard = 0
  let silentMs = 0
  let longest = 0
  let silences = 0
  /** Doubled at each suspicion of the cadence's: a stream that only looked regular is suspected more slowly each time. */
  let patience = 1
  let lastTick = 0
  let lastWall = 0
  let deadline = Infinity
  let cancelTick: (() => void) | undefined

  function limit(): number | undefined {
    const value = setting()
    if (value !== undefined) return value || undefined
    return silences >= LEARNED_AFTER ? patience * Math.max(MIN_SILENCE, CADENCE_FACTOR * longest) : undefined
  }

  function arm(ms = Math.min(TICK, (setting() || TICK * 4) / 4)) {
    cancelTick?.()
    cancelTick = after(ms, tick)
  }

  function tick() {
    const time = now()
    const wall = Date.now()
    const elapsed = time - lastTick
    const slept = wall - lastWall - elapsed > SLEPT
    lastTick = time
    lastWall = wall
    if (heard) {
      longest = Math.max(longest, silentMs)
      silences += heard // each byte ended a silence, however short
      silentMs = heard = 0
      deadline = Infinity
    } else silentMs += elapsed
    const most = limit()
    const woken = time >= deadline
    if (woken || (most !== undefined && silentMs >= most)) {
      liveness.stop()
      if (!woken && setting() === undefined) {
        // The stream may only have paused (a burst, then quiet): it must show its cadence again, and is given more time.
        silences = longest = 0
        patience = Math.min(2 * patience, MAX_PATIENCE)
      }
      return onSilent(silentMs)
    }
    arm()
    if (slept) wakeUp()
  }

  const liveness: Liveness = {
    heard() {
      heard += 1
    },
    start() {
      // A recovery goes through fetch: its code must not have to come over a connection that may be dead by then.
      loadFetch().catch(() => {})
      if (setting() === false) return
      lastTick = now()
      lastWall = Date.now()
      silentMs = heard = 0
      deadline = Infinity
      arm()
    },
    stop() {
      cancelTick?.()
      cancelTick = undefined
    },
    suspect() {
      if (!cancelTick) return
      heard = 0
      deadline = now() + WAKE_GRACE
      arm(WAKE_GRACE)
    },
    silentFor: () => silentMs,
    dispose() {
      liveness.stop()
      stopWaking()
    },
  }
  const stopWaking = onWakeUp(onWake)
  return liveness
}
