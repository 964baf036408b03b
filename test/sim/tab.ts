import { type Library, loadLibrary, type TabGlobals } from './bundle'
import type { Owner, SimClock, Task } from './clock'
import type { SimChannels } from './channels'
import { simEventSource } from './eventSource'
import { simFetch } from './fetch'
import type { SimLocks } from './locks'
import { PageTarget, seeded } from './page'
import type { Client, SimServer } from './server'

/** What the tabs of one browser profile share. */
export interface Browser {
  clock: SimClock
  server: SimServer
  locks: SimLocks
  channels: SimChannels
  /** The origin's `localStorage`, shared by the profile's tabs. */
  storage: Map<string, string>
}

const EPOCH = Date.UTC(2026, 11, 1)

/**
 * One tab: its own evaluation of the library (its own module state), its own page (timers on the simulated clock,
 * Web Locks and BroadcastChannel of the profile, fetch and EventSource to the simulated server, visibility and
 * lifecycle events), and what it went through: closed, crashed, frozen, in the back/forward cache, offline.
 */
export class SimTab implements Client {
  readonly owner: Owner = { alive: true, frozen: false, held: [] }
  readonly window = new PageTarget()
  readonly document = new PageTarget()
  readonly library: Library
  /** The library's pending timers. */
  readonly timers = new Map<number, Task>()
  online = true
  visible = true
  inCache = false
  /** Gone without a word (rather than closed); `wasVisible`: its page was shown as it went. */
  crashed = false
  wasVisible = false

  constructor(
    readonly name: string,
    private browser: Browser,
    seed: number,
  ) {
    const { clock, server, locks, channels, storage } = browser
    const { owner, timers, window, document } = this
    const tab = this
    const page = Object.create(globalThis) as TabGlobals & Record<string, unknown>
    Object.assign(page, {
      setTimeout(callback: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) {
        const task = clock.schedule(
          Number(ms) || 0,
          () => {
            timers.delete(task.seq)
            callback(...args)
          },
          owner,
        )
        timers.set(task.seq, task)
        return task.seq
      },
      clearTimeout(id: number) {
        const task = timers.get(id)
        if (task) clock.cancel(task)
        timers.delete(id)
      },
      setInterval() {
        throw new Error('the library uses no intervals')
      },
      clearInterval() {},
      queueMicrotask: (callback: () => void) => queueMicrotask(() => owner.alive && callback()),
      performance: { now: () => clock.now },
      Date: { now: () => EPOCH + clock.now },
      Math: Object.assign(Object.create(Math), { random: seeded(seed) }),
      fetch: simFetch(server, this),
      EventSource: simEventSource(server, this, clock),
      BroadcastChannel: channels.classFor(owner),
      localStorage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => storage.set(key, String(value)),
        removeItem: (key: string) => storage.delete(key),
      },
      navigator: {
        locks: locks.managerFor(owner),
        get onLine() {
          return tab.online
        },
      },
      document: {
        get visibilityState() {
          return tab.visible ? 'visible' : 'hidden'
        },
        get hidden() {
          return !tab.visible
        },
        addEventListener: document.addEventListener,
        removeEventListener: document.removeEventListener,
      },
      addEventListener: window.addEventListener,
      removeEventListener: window.removeEventListener,
      location: { href: 'https://app.test/', origin: 'https://app.test' },
      requestAnimationFrame: undefined,
      cancelAnimationFrame: undefined,
    })
    page.globalThis = page.window = page.self = page
    this.library = loadLibrary(page)
  }

  get alive() {
    return this.owner.alive
  }

  get frozen() {
    return this.owner.frozen
  }

  setVisible(visible: boolean): void {
    if (this.visible === visible) return
    this.visible = visible
    this.document.dispatch('visibilitychange')
  }

  /** Frozen (a hidden page the browser stops): `freeze`, then nothing runs until `resume`. */
  freeze(): void {
    this.setVisible(false)
    this.document.dispatch('freeze')
    this.owner.frozen = true
    this.browser.locks.freeze(this.owner)
  }

  resume(): void {
    this.browser.clock.thaw(this.owner)
    this.browser.locks.thaw()
    this.document.dispatch('resume')
  }

  /** Into the back/forward cache: `pagehide` (persisted), then frozen, its connections cut. */
  enterCache(): void {
    this.setVisible(false)
    this.window.dispatch('pagehide', { persisted: true })
    this.inCache = true
    this.owner.frozen = true
    this.browser.locks.freeze(this.owner)
    this.browser.server.cut(this.owner)
  }

  leaveCache(): void {
    this.inCache = false
    this.browser.clock.thaw(this.owner)
    this.browser.locks.thaw()
    this.setVisible(true)
    this.window.dispatch('pageshow', { persisted: true })
  }

  setOnline(online: boolean): void {
    if (this.online === online) return
    this.online = online
    if (!online) this.browser.server.cut(this.owner)
    this.window.dispatch(online ? 'online' : 'offline')
  }

  /** Closed by the user: hidden (as a page being unloaded is), `pagehide`, then gone. */
  close(): void {
    this.wasVisible = this.visible
    if (!this.owner.frozen) {
      this.setVisible(false)
      this.window.dispatch('pagehide', { persisted: false })
    }
    this.end()
  }

  /** Gone at once, without a word: its locks, channels and connections with it. */
  crash(): void {
    this.crashed = true
    this.wasVisible = this.visible
    this.end()
  }

  private end(): void {
    this.owner.alive = false
    this.browser.locks.forget(this.owner)
    this.browser.channels.forget(this.owner)
    this.browser.server.cut(this.owner, true)
  }

  /** What the library still holds in this tab: timers, locks, channels, page listeners, connections. */
  leftovers(): string[] {
    const { locks, channels, server } = this.browser
    const left: string[] = []
    if (this.timers.size) left.push(`${this.timers.size} timer(s)`)
    const held = locks.heldBy(this.owner)
    if (held.length) left.push(`locks: ${held.join(', ')}`)
    if (channels.openFor(this.owner)) left.push(`${channels.openFor(this.owner)} BroadcastChannel(s)`)
    const listening = [...this.window.listening(), ...this.document.listening()]
    if (listening.length) left.push(`listeners: ${listening.join(', ')}`)
    if (server.openFor(this.owner)) left.push(`${server.openFor(this.owner)} connection(s)`)
    return left
  }
}
