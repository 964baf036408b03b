/** Where every copy of the library on a page finds the state they share (see `pageShared`). */
const KEY = Symbol.for('use-event-source')

/**
 * State that every copy of the library a page loads must share. A page may
 * reach the package through `import` in one place and `require` in another
 * (Next.js does: two builds of the package, two module instances), and two
 * registries would mean two connections for one url, and devtools blind to
 * one copy's streams. The first copy to ask creates it under a well-known
 * global key; the others find it. Read when a module loads: the page is the
 * page for as long as the module lives.
 */
export function pageShared<T>(name: string, create: () => T): T {
  const page = globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>
  const store = page[KEY] ?? {}
  page[KEY] = store
  if (!(name in store)) store[name] = create()
  return store[name] as T
}
