import type { Owner, SimClock } from './clock'

interface Waiter {
  owner: Owner
  signal: AbortSignal | undefined
  callback: () => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

const aborted = () => new DOMException('The request was aborted.', 'AbortError')

/**
 * The browser profile's Web Locks, shared by its tabs: exclusive locks, granted in the order asked, one task after
 * they are free (on the simulated clock); held until the callback's promise settles, or until the holder's tab goes
 * (closed or crashed: its locks are released at once). A frozen tab is granted nothing until it resumes: a grant
 * whose callback has not run yet when its tab freezes goes to the next in line (a browser cannot run that callback).
 */
export class SimLocks {
  private holders = new Map<string, Owner>()
  /** Granted, the callback not run yet. */
  private granting = new Map<string, Waiter>()
  private queues = new Map<string, Waiter[]>()

  constructor(private clock: SimClock) {}

  /** `navigator.locks` for one tab. */
  managerFor(owner: Owner) {
    return {
      request: (name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown>) =>
        new Promise((resolve, reject) => {
          const waiter: Waiter = { owner, signal: options.signal, callback, resolve, reject }
          this.queue(name).push(waiter)
          options.signal?.addEventListener('abort', () => {
            const queue = this.queue(name)
            if (!queue.includes(waiter)) return
            queue.splice(queue.indexOf(waiter), 1)
            reject(aborted())
          })
          this.pump(name)
        }),
    }
  }

  /** The tab froze: its grants that have not run go back in line, behind nobody. */
  freeze(owner: Owner): void {
    for (const [name, waiter] of this.granting) {
      if (waiter.owner !== owner) continue
      this.granting.delete(name)
      this.holders.delete(name)
      if (waiter.signal?.aborted) waiter.reject(aborted())
      else this.queue(name).unshift(waiter)
      this.pump(name)
    }
  }

  /** The tab resumed: it may be granted what it asked for. */
  thaw(): void {
    for (const name of this.queues.keys()) this.pump(name)
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
      this.granting.delete(name)
      this.pump(name)
    }
  }

  /** Locks held or asked for by a tab, as `held <name>` or `asked for <name>`. */
  heldBy(owner: Owner): string[] {
    const held = [...this.holders].filter(([, holder]) => holder === owner).map(([name]) => `held ${name}`)
    const asked = [...this.queues].flatMap(([name, queue]) =>
      queue.filter((waiter) => waiter.owner === owner).map(() => `asked for ${name}`),
    )
    return [...held, ...asked]
  }

  private queue(name: string): Waiter[] {
    const queue = this.queues.get(name) ?? []
    this.queues.set(name, queue)
    return queue
  }

  private pump(name: string): void {
    if (this.holders.has(name)) return
    const queue = this.queue(name)
    const index = queue.findIndex((waiter) => !waiter.owner.frozen)
    const waiter = queue[index]
    if (!waiter) return
    queue.splice(index, 1)
    this.holders.set(name, waiter.owner)
    this.granting.set(name, waiter)
    const release = () => {
      if (this.holders.get(name) !== waiter.owner) return
      this.holders.delete(name)
      this.pump(name)
    }
    this.clock.schedule(
      0,
      () => {
        if (this.granting.get(name) !== waiter) return
        this.granting.delete(name)
        Promise.resolve().then(waiter.callback).then(waiter.resolve, waiter.reject).finally(release)
      },
      waiter.owner,
    )
  }
}
