import { vi } from 'vitest'

/**
 * A Web Locks manager standing in for the browser's, for one realm that plays several tabs: exclusive locks,
 * granted in the order asked, a task later (`{ at: 'once' }`: as soon as the lock is free, which nothing in the
 * standard forbids); held until the callback's promise settles. A request whose signal aborts before it is granted
 * rejects with an AbortError. Installed as `navigator.locks` until the globals are unstubbed.
 */
export function stubLocks({ at = 'task' }: { at?: 'task' | 'once' } = {}): void {
  const queues = new Map<string, (() => void)[]>()
  const busy = new Set<string>() // held, or about to be granted
  const queue = (name: string) => queues.get(name) ?? queues.set(name, []).get(name) ?? []
  const pump = (name: string) => {
    if (busy.has(name) || !queue(name).length) return
    busy.add(name)
    const grant = () => (queue(name).shift() ?? (() => busy.delete(name)))()
    if (at === 'once') grant()
    else setTimeout(grant)
  }
  const locks = {
    request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown>): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const grant = () =>
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => {
              busy.delete(name)
              pump(name)
            })
        queue(name).push(grant)
        options.signal?.addEventListener('abort', () => {
          const index = queue(name).indexOf(grant)
          if (index < 0) return
          queue(name).splice(index, 1)
          reject(new DOMException('The request was aborted.', 'AbortError'))
        })
        pump(name)
      })
    },
  }
  vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { locks }))
}
