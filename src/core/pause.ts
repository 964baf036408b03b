import { after } from './timers'
import { hidden, onVisibilityChange } from './wakeups'

/**
 * The `pauseWhenHidden` option's watch (a chunk of its own, loaded by the
 * liveness clock of a stream that sets it): once the page has been hidden for
 * `ms`, `pause()`; when it is shown again after that, `resume()`. A page
 * already hidden when the watch begins counts from then. Returns the function
 * that stops watching.
 */
export function watchHidden(ms: number, pause: () => void, resume: () => void): () => void {
  let cancel: (() => void) | undefined
  let paused = false
  const change = (hidden: boolean) => {
    cancel?.()
    cancel = undefined
    if (hidden) {
      cancel = after(ms, () => {
        paused = true
        pause()
      })
    } else if (paused) {
      paused = false
      resume()
    }
  }
  const stop = onVisibilityChange(change)
  if (hidden()) change(true)
  return () => {
    cancel?.()
    stop()
  }
}
