import { environment } from './environment'

/** Milliseconds on a clock that never goes back (the wall clock may: NTP, a resumed laptop): the environment's. */
export const now = () => environment.performance.now()

/** The longest delay `setTimeout` takes (a signed 32-bit number): a longer one would fire at once. */
export const MAX_DELAY = 2 ** 31 - 1

/**
 * Runs `callback` after `ms` (at most `MAX_DELAY`) on the environment's timers; returns the function that cancels it.
 */
export function after(ms: number, callback: () => void): () => void {
  const { setTimeout, clearTimeout } = environment
  const id = setTimeout(callback, Math.min(ms, MAX_DELAY))
  return () => clearTimeout(id)
}

/** How long a frame may take to come before a timer stands in: a hidden page runs no frames, and then renders about once a second. */
const HIDDEN = 1000

/**
 * Runs `callback` before the next paint, or after a second where no frame
 * comes (a hidden page; ~one frame where there are no frames at all);
 * returns the function that cancels it.
 */
export function nextFrame(callback: () => void): () => void {
  const { requestAnimationFrame, cancelAnimationFrame } = environment
  const frame = requestAnimationFrame?.(run)
  const cancelTimer = after(frame === undefined ? 16 : HIDDEN, run)
  function cancel() {
    cancelTimer()
    if (frame !== undefined) cancelAnimationFrame(frame)
  }
  function run() {
    cancel()
    callback()
  }
  return cancel
}
