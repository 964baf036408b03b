import type { Owner, SimClock } from './clock'

interface Waiter {
  owner: Owner
  callback: () => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * The browser profile's Web Locks, shared by its tabs: exclusive locks, granted in the order asked, one task after
 * they are free (on the simulated clock, in the granted tab: a frozen tab is granted when it resumes); held until the
 * callback's promise settles, or until the holder's tab goes (closed or crashed: its locks are released at once).
 */
export class SimLocks {
  private holders = new Map<string, Owner>()
  private queues = new Map<string, Waiter[]>()

  constructor(private clock: SimClock) {}

  /** `navigator.locks` for one tab. */
  managerFor(owner: Owner) {
    return {
      request: (name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown>) =>
        new Promise((resolve, reject) => {
          const waiter: Waiter = { owner, callback, resolve, reject }
          this.queue(name).push(waiter)
          options.signal?.addEventListener('abort', () => {
            const queue = this.queue(name)
            if (!queue.includes(waiter)) return
            queue.splice(queue.indexOf(waiter), 1)
            reject(new DOMException('The request was aborted.', 'AbortError'))
          })
          this.pump(name)
        }),
    }
  }

  /** The tab is gone: its locks are free, its requests forgotten. */
  forget(owner: Owner): void {
    for (const [name, queue] of this.queues) {
      this.queues.set(
        name,
        queue.filter((waiter) => waiter.owner !== owner),
      )
    }
    for (const [name, holder] of this.holders) {
      if (holder !== owner) continue
      this.holders.delete(name)
      this.pump(name)
    }
  }

  /** Locks held or asked for by a tab. */
  countFor(owner: Owner): number {
    let count = 0
    for (const holder of this.holders.values()) if (holder === owner) count++
    for (const queue of this.queues.values()) count += queue.filter((waiter) => waiter.owner === owner).length
    return count
  }

  private queue(name: string): Waiter[] {
    const queue = this.queues.get(name) ?? []
    this.queues.set(name, queue)
    return queue
  }

  private pump(name: string): void {
    if (this.holders.has(name)) return
    const waiter = this.queue(name).shift()
    if (!waiter) return
    this.holders.set(name, waiter.owner)
    const release = () => {
      if (this.holders.get(name) !== waiter.owner) return
      this.holders.delete(name)
      this.pump(name)
    }
    this.clock.schedule(
      0,
      () => {
        if (this.holders.get(name) !== waiter.owner) return
        Promise.resolve().then(waiter.callback).then(waiter.resolve, waiter.reject).finally(release)
      },
      waiter.owner,
    )
  }
}
