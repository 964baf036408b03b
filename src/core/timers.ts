/** Milliseconds on a clock that never goes back (the wall clock may: NTP, a resumed laptop); looked up when called. */
export const now = () => performance.now()

/** Runs `callback` after `ms`; returns the function that cancels it. Timer functions are looked up when called, never captured. */
export function after(ms: number, callback: () => void): () => void {
  const id = setTimeout(callback, ms)
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
  const frame = globalThis.requestAnimationFrame?.(run)
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
