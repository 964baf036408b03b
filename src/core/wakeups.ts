/**
 * The page's wake-ups, in one place: the moments after which a connection may
 * have died without a word. A frozen page resumed (`resume`), a page restored
 * from the back/forward cache (`pageshow`), the network back (`online`), a
 * page shown after a long hidden spell (`visibilitychange`), and a timer that
 * fired far too late because the machine slept (`wakeUp()`, called by the
 * connections' liveness clocks). Listens to the page only while a connection
 * does; events are looked up when used.
 */

/** A page hidden for longer than this may have had its streams cut (mobile browsers do). */
export const LONG_HIDDEN = 30_000

const callbacks = new Set<() => void>()
let hiddenAt = 0

function onVisibility() {
  if (document.visibilityState === 'hidden') hiddenAt = Date.now()
  else if (hiddenAt && Date.now() - hiddenAt >= LONG_HIDDEN) wakeUp()
}

function onPageShow(event: Event) {
  if ((event as PageTransitionEvent).persisted) wakeUp()
}

function listen(add: boolean) {
  const method = add ? 'addEventListener' : 'removeEventListener'
  globalThis.document?.[method]('resume', wakeUp)
  globalThis.document?.[method]('visibilitychange', onVisibility)
  globalThis[method]?.('pageshow', onPageShow)
  globalThis[method]?.('online', wakeUp)
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
  const listener = () => callback(document.visibilityState === 'hidden')
  globalThis.document?.addEventListener('visibilitychange', listener)
  return () => globalThis.document?.removeEventListener('visibilitychange', listener)
}
