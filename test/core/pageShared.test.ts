import { expect, it, vi } from 'vitest'

// A page may load the library twice (an `import` in one place, a `require` in another: two module instances). Two
// evaluations of the modules here stand for the two copies.
async function twoCopies<T>(path: string): Promise<[T, T]> {
  const first = (await import(/* @vite-ignore */ path)) as T
  vi.resetModules()
  const second = (await import(/* @vite-ignore */ path)) as T
  expect(second).not.toBe(first)
  return [first, second]
}

it('gives every copy of the library on a page one registry: one connection for one stream', async () => {
  type Registry = typeof import('../../src/core/registry')
  const [first, second] = await twoCopies<Registry>('../../src/core/registry')
  const connection = first.acquireConnection('["http://localhost/sse"]', 'http://localhost/sse')
  expect(second.acquireConnection('["http://localhost/sse"]', 'http://localhost/sse')).toBe(connection)
})

it('gives every copy one set of observers: the devtools see every copy’s streams', async () => {
  type Observers = typeof import('../../src/core/observers')
  const [first, second] = await twoCopies<Observers>('../../src/core/observers')
  const seen: string[] = []
  const stop = first.observe({ rendered: () => seen.push('rendered') })
  second.tell('rendered', {} as never)
  stop()
  expect(seen).toEqual(['rendered'])
})
