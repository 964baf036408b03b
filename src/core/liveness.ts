import { after, now } from './timers'
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
/** How far patience grows: a learned limit is never more than this many times the cadence's. */
const MAX_PATIENCE = 32
/** More wall-clock time than monotonic time between two ticks: the machine slept (its monotonic clock stood still). */
const SLEPT = 5000
/** The bounds of the time an attempt may wait for its answer, in ms (see `answerWithin`). */
const ANSWER_FLOOR = 10_000
const ANSWER_CEILING = 30_000

/**
 * How long an attempt of a GET stream waits for the response's headers before its socket is presumed dead (a
 * request written onto a pooled socket that the network dropped gets no answer, and no error, for many minutes):
 * 30 s until the stream has opened once (a server may hold its headers until its first event), then three times the
 * slowest answer it has given, between 10 and 30 s. `slowest` is that answer in ms, `undefined` before any.
 */
export function answerWithin(slowest: number | undefined): number {
  if (slowest === undefined) return ANSWER_CEILING
  return Math.min(ANSWER_CEILING, Math.max(ANSWER_FLOOR, 3 * slowest))
}

/** What a stream's liveness clock tells its connection. */
export interface LivenessCallbacks {
  /** The `idleTimeout` setting: ms of silence, `false` for none, `undefined` for the stream's cadence. */
  setting(): number | false | undefined
  /** The open stream has been silent too long (by its setting, its cadence, or after a wake-up). */
  silent(silentMs: number): void
  /** The attempt had no answer in time (see `awaitAnswer`); `waitedMs` is how long it waited. */
  unanswered(waitedMs: number): void
  /** The page woke up. */
  woke(): void
  /** The `pauseWhenHidden` setting where it applies (a GET stream, not across tabs), else `undefined`. */
  pauseAfter(): number | undefined
  /** The page has been hidden for `pauseAfter` ms: let the stream go. */
  pause(): void
  /** The page is shown again after a `pause()`. */
  resume(): void
}

/** What the connection tells its liveness clock, and reads of it. */
export interface Liveness {
  /** The transport received something (a chunk of bytes, an event, a comment). Per event, only a count. */
  heard(): void
  /** The stream is open: watch it (and its answer came). */
  start(): void
  /**
   * An attempt of a GET stream is waiting for its answer, from `delay` ms on (the browser's reconnection time, for
   * its own retry): without one in `answerWithin`, it is `unanswered`.
   */
  awaitAnswer(delay?: number): void
  /** The stream is not open, or its attempt was dropped: stop watching. */
  stop(): void
  /** The page woke up: a byte must come within `WAKE_GRACE`, else the stream is declared silent. */
  suspect(): void
  /** About how long the open stream has been silent, in ms (to a tick). */
  silentFor(): number
  /** The connection stopped: no more ticks, no more wake-ups. */
  dispose(): void
}

/** What the stream has shown of its cadence: the silences that ended with a byte, and the longest of them. */
interface Cadence {
  silences: number
  longest: number
}

/** A suspicion of the cadence's, until the recovery's connection tells whether it was right. */
interface Probation {
  /** The cadence the suspected connection had shown, and the patience before the suspicion. */
  cadence: Cadence
  patience: number
  /** The limit the suspected connection was given: the new one must hear from the server sooner to prove it dead. */
  within: number
}

/**
 * An open stream's liveness clock. `setting` is the `idleTimeout` option: a
 * number of ms of silence, `false` for none, or (`undefined`) the stream's own
 * cadence: once it has shown four silences ended by a byte, a silence of four
 * times the longest (at least 3 s) means the connection is gone.
 *
 * What a server sends on connect (a snapshot, a greeting: the bytes of the
 * first tick after the open) is not a cadence, so a burst at the open is not
 * mistaken for a fast stream. Counting bytes instead of reading the clock per
 * event keeps the per-event cost at an increment; the clock is read at each
 * tick.
 *
 * A suspicion of the cadence's is checked by the recovery: if the new
 * connection hears from the server (beyond what it sends on connect) sooner
 * than the old one was given, the old one was dead, and the cadence and the
 * patience are kept as they were, so that detection stays as quick for the
 * next death. Otherwise the stream had only paused: it must show its cadence
 * again, and patience doubles, so that a stream that pauses is not recreated
 * every few seconds. `onWake` is called at every wake-up of the page until
 * `dispose()`.
 *
 * It also keeps the time an attempt may wait for its answer (`awaitAnswer`),
 * and loads the watch of a hidden page for a stream with `pauseWhenHidden`.
 *
 * A chunk of its own, loaded when a stream starts: nothing of it is needed
 * before the stream opens.
 */
export function createLiveness(callbacks: LivenessCallbacks): Liveness {
  const { setting, silent, unanswered, woke } = callbacks
  let heard = 0
  let silentMs = 0
  let cadence: Cadence = { silences: 0, longest: 0 }
  let patience = 1
  let probation: Probation | undefined
  /** Since the open, in ms: the first tick's bytes are what the server sends on connect. */
  let openFor = 0
  let lastTick = 0
  let lastWall = 0
  let deadline = Infinity
  let cancelTick: (() => void) | undefined
  /** The attempt waiting for its answer: since when (`now()`), and the timer that gives up on it. */
  let askedAt = 0
  let cancelAnswer: (() => void) | undefined
  /** The slowest answer the stream has given, in ms. */
  let slowest: number | undefined

  function limit(): number | undefined {
    const value = setting()
    if (value !== undefined) return value || undefined
    const { silences, longest } = cadence
    return silences >= LEARNED_AFTER ? patience * Math.max(MIN_SILENCE, CADENCE_FACTOR * longest) : undefined
  }

  function arm(ms = Math.min(TICK, (setting() || TICK * 4) / 4)) {
    cancelTick?.()
    cancelTick = after(ms, tick)
  }

  /** Bytes ended a silence: after the first tick, they show the cadence, and may prove a suspicion right. */
  function beat() {
    if (openFor <= TICK) return
    if (probation && openFor <= probation.within) {
      ;({ cadence, patience } = probation)
      probation = undefined
    }
    cadence.longest = Math.max(cadence.longest, silentMs)
    cadence.silences += heard // each byte ended a silence, however short
  }

  /** The cadence's limit passed: the stream may only have paused, which its recovery will tell. */
  function suspected() {
    probation = { cadence, patience, within: limit() ?? Infinity }
    cadence = { silences: 0, longest: 0 }
    patience = Math.min(2 * patience, MAX_PATIENCE)
  }

  function tick() {
    const time = now()
    const wall = Date.now()
    const elapsed = time - lastTick
    const slept = wall - lastWall - elapsed > SLEPT
    lastTick = time
    lastWall = wall
    openFor += elapsed
    if (probation && openFor > probation.within) probation = undefined
    if (heard) {
      beat()
      silentMs = heard = 0
      deadline = Infinity
    } else silentMs += elapsed
    const most = limit()
    const woken = time >= deadline
    if (woken || (most !== undefined && silentMs >= most)) {
      liveness.stop()
      if (!woken && setting() === undefined) suspected()
      return silent(silentMs)
    }
    arm()
    if (slept) wakeUp()
  }

  const liveness: Liveness = {
    heard() {
      heard += 1
    },
    start() {
      if (cancelAnswer) slowest = Math.max(slowest ?? 0, now() - askedAt)
      cancelAnswer?.()
      cancelAnswer = undefined
      if (setting() === false) return
      lastTick = now()
      lastWall = Date.now()
      silentMs = heard = openFor = 0
      deadline = Infinity
      arm()
    },
    awaitAnswer(delay = 0) {
      liveness.stop()
      askedAt = now() + delay
      const waited = delay + answerWithin(slowest)
      cancelAnswer = after(waited, () => {
        cancelAnswer = undefined
        unanswered(waited)
      })
    },
    stop() {
      cancelTick?.()
      cancelAnswer?.()
      cancelTick = cancelAnswer = undefined
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
      disposed = true
      stopWatching?.()
    },
  }
  const stopWaking = onWakeUp(woke)
  /** `pauseWhenHidden`: its watch of the page's visibility, a chunk of its own for the streams that set it. */
  let stopWatching: (() => void) | undefined
  let disposed = false
  const pauseAfter = callbacks.pauseAfter()
  if (pauseAfter !== undefined) {
    import('./pause').then(
      ({ watchHidden }) => {
        if (!disposed) stopWatching = watchHidden(pauseAfter, callbacks.pause, callbacks.resume)
      },
      () => {}, // without its chunk, the stream stays open while hidden, as it does by default
    )
  }
  return liveness
}
