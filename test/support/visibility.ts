// The page's visibility as a user hiding the tab would make it: headless pages and jsdom are always visible.

/** Makes `document.visibilityState` read `hidden` (or `visible`), and tells the page's listeners. */
export function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
  document.dispatchEvent(new Event('visibilitychange'))
}

/** Gives `document.visibilityState` back to the page. */
export function restoreVisibility(): void {
  Reflect.deleteProperty(document, 'visibilityState')
}
