import type { Controls } from './connectionTypes'
import { EventSourceError } from './EventSourceError'
import { createLiveness, type Liveness } from './liveness'
import { isGet } from './policy'
import { now } from './timers'

/** An attempt that has waited less than this for its answer, in ms, is not one a wake-up reveals as stuck. */
const STUCK_AFTER = 1000

/**
 * A connection's liveness clock, wired to the connection (a chunk of its own,
 * loaded when a stream starts). What the clock finds becomes the connection's
 * inputs: an open stream gone silent, or an attempt with no answer in time,
 * is retried through the policy; a wake-up restarts a pending retry or a
 * stuck attempt, and puts an open stream to the proof. An answer (a request
 * that is not a GET) is watched only when the user set `idleTimeout` for it,
 * never woken, never paused: re-sending it would ask again.
 */
export function watchConnection(controls: Controls): Liveness {
  const get = () => isGet(controls.options())
  const status = () => controls.connection.getState().status
  /** Let go by `pauseWhenHidden`, and not started again since. */
  let paused = false

  const liveness = createLiveness({
    setting() {
      const options = controls.options()
      return options.idleTimeout ?? (isGet(options) ? undefined : false)
    },
    silent(silentMs) {
      const seconds = Math.max(1, Math.round(silentMs / 1000))
      const error = new EventSourceError('network', `no data for ${seconds} s: the connection was lost`)
      controls.retry(error, { silent: true })
    },
    unanswered(waited) {
      controls.retry(new EventSourceError('network', `no answer in ${Math.round(waited / 1000)} s`), { waited })
    },
    woke() {
      // An attempt begun a moment ago (as the page was shown) is not one that a wake-up reveals as stuck.
      const since = controls.waitingSince()
      if (controls.retrying() || (since !== undefined && now() - since >= STUCK_AFTER && get())) controls.connect()
      else if (status() === 'open') liveness.suspect()
    },
    pauseAfter() {
      const options = controls.options()
      return isGet(options) && !options.crossTab ? options.pauseWhenHidden : undefined
    },
    pause() {
      if (status() === 'closed' || status() === 'error') return
      paused = true
      controls.stop()
      controls.dispatch({ type: 'paused' })
    },
    resume() {
      // From the stream's position (`Last-Event-ID`); unless something else started it meanwhile.
      if (paused && status() === 'idle') controls.start()
      paused = false
    },
  })

  return {
    ...liveness,
    // The browser's own retry (a `delay`) is a GET's; else only a GET stream's attempt waits for its answer.
    awaitAnswer(delay) {
      if (delay !== undefined || (controls.waitingSince() !== undefined && get())) liveness.awaitAnswer(delay)
    },
  }
}
