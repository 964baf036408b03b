/**
 * The page's wake-ups, in one place: the moments after which a connection may
 * have died without a word. A frozen page resumed (`resume`), a page restored
 * from the back/forward cache (`pageshow`), the network back (`online`), a
 * page shown after a long hidden spell (`visibilitychange`), and a timer that
 * fired far too late because the machine slept (`wakeUp()`, called by the
 * connections' liveness clocks). Listens to the page only while a connection
 * does; the page is the environment's, looked up when used.
 */
import { environment } from './environment'

/** A page hidden for longer than this may have had its streams cut (mobile browsers do). */
export const LONG_HIDDEN = 30_000

const callbacks = new Set<() => void>()
let hiddenAt = 0

/** Whether the page is hidden. */
export const hidden = () => environment.document?.visibilityState === 'hidden'

function onVisibility() {
  if (hidden()) hiddenAt = environment.Date.now()
  else if (hiddenAt && environment.Date.now() - hiddenAt >= LONG_HIDDEN) wakeUp()
}

function onPageShow(event: Event) {
  if ((event as PageTransitionEvent).persisted) wakeUp()
}

function listen(add: boolean) {
  const method = add ? 'addEventListener' : 'removeEventListener'
  const { document, window } = environment
  document?.[method]('resume', wakeUp)
  document?.[method]('visibilitychange', onVisibility)
  window?.[method]('pageshow', onPageShow)
  window?.[method]('online', wakeUp)
}

/** Tells every connection that the page woke up. */
export function wakeUp(): void {
  hiddenAt = 0
  for (const callback of [...callbacks]) callback()
}

/** Calls `callback` at every wake-up until the returned function is called. */
export function onWakeUp(callback: () => void): () => void {
  if (!callbacks.size) listen(true)
  callbacks.add(callback)
  return () => {
    if (callbacks.delete(callback) && !callbacks.size) listen(false)
  }
}

/** Calls `callback` with whether the page is hidden at each change of its visibility, until the returned function is called. */
export function onVisibilityChange(callback: (hidden: boolean) => void): () => void {
  const listener = () => callback(hidden())
  const { document } = environment
  document?.addEventListener('visibilitychange', listener)
  return () => document?.removeEventListener('visibilitychange', listener)
}
