/** Runs `callback` after `ms`; returns the function that cancels it. Timer functions are looked up when called, never captured. */
export function after(ms: number, callback: () => void): () => void {
  const id = setTimeout(callback, ms)
  return () => clearTimeout(id)
}

/** Runs `callback` before the next paint (or after ~one frame where there are no frames); returns the function that cancels it. */
export function nextFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') return after(16, callback)
  const id = requestAnimationFrame(callback)
  return () => cancelAnimationFrame(id)
}
