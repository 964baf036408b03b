import { SimChannels } from './channels'
import { Checker, type Ignored, type RoomSpec } from './checker'
import { SimClock } from './clock'
import { roomOf } from './fetch'
import { SimHook } from './hook'
import { SimLocks } from './locks'
import { SimServer } from './server'
import { type Browser, SimTab } from './tab'
import { restartTrace, timeline, trace, tracing } from './trace'

/** How a schedule's world begins: its rooms, the BroadcastChannel's latency, the tabs open at first. */
export interface Setup {
  seed: number
  latency: number
  rooms: RoomSpec[]
  tabs: number
}

export const MAX_TABS = 4

/**
 * One browser profile of 1–4 tabs and the SSE server, on one simulated clock, with the checker watching. Steps act
 * on it by position (the n-th live tab, the n-th mounted hook, modulo how many there are), so that a shrunk schedule
 * still means something.
 */
export class World {
  readonly browser: Browser
  readonly tabs: SimTab[] = []
  readonly hooks: SimHook[] = []
  readonly checker: Checker
  readonly rooms: Map<string, RoomSpec>
  /** The steps run so far, as `replay` reads them. */
  readonly ran: string[] = []
  private opened = 0

  constructor(
    readonly setup: Setup,
    ignored: readonly Ignored[] = [],
  ) {
    restartTrace()
    const clock = new SimClock()
    this.rooms = new Map(setup.rooms.map((room) => [room.name, room]))
    const server = new SimServer(clock, this.rooms)
    const channels = new SimChannels(clock, setup.latency)
    this.browser = { clock, server, locks: new SimLocks(clock), channels, storage: new Map() }
    const { latency } = setup
    this.checker = new Checker(
      { clock, server, rooms: this.rooms, tabs: this.tabs, hooks: this.hooks, latency },
      ignored,
    )
    for (let i = 0; i < setup.tabs; i++) this.mount(this.openTab(), 0)
  }

  get clock() {
    return this.browser.clock
  }

  get server() {
    return this.browser.server
  }

  liveTabs(): SimTab[] {
    return this.tabs.filter((tab) => tab.alive)
  }

  tab(index: number): SimTab | undefined {
    const live = this.liveTabs()
    return live[index % Math.max(1, live.length)]
  }

  /** The n-th mounted hook of a tab that runs (a frozen page runs nothing its user could do). */
  hook(index: number): SimHook | undefined {
    const mounted = this.hooks.filter((hook) => hook.mounted && hook.tab.alive && !hook.tab.frozen)
    return mounted[index % Math.max(1, mounted.length)]
  }

  room(index: number): RoomSpec {
    return this.setup.rooms[index % this.setup.rooms.length] as RoomSpec
  }

  openTab(): SimTab {
    const name = `tab${++this.opened}`
    const tab = new SimTab(name, this.browser, this.setup.seed + this.opened)
    tab.library.observe({
      event: (connection, _type, data) => this.checker.delivered(tab, roomOf(String(connection.url)), data),
    })
    this.tabs.push(tab)
    return tab
  }

  mount(tab: SimTab, roomIndex: number): SimHook {
    const room = this.room(roomIndex)
    const hook = new SimHook(tab, room.name, room, this.checker)
    this.hooks.push(hook)
    return hook
  }

  /** Into the back/forward cache: a page that keeps a BroadcastChannel open there is evicted (Chromium). */
  enterCache(tab: SimTab): void {
    tab.enterCache()
    const open = this.browser.channels.openFor(tab.owner)
    if (open)
      this.checker.fail('bfcache', `${tab.name} went into the back/forward cache with ${open} BroadcastChannel(s) open`)
  }

  /** Lets `ms` of simulated time pass, then checks every invariant; throws on a broken one. */
  async run(ms: number): Promise<void> {
    this.checker.acted()
    await this.clock.advance(ms)
    this.checker.step()
    const { violations } = this.checker
    if (!violations.length) return
    const schedule = [`setup: ${JSON.stringify(this.setup)}`, `ran: ${this.ran.join(', ')}`]
    throw new Error([...violations, ...schedule, ...(tracing ? ['timeline:', timeline()] : [])].join('\n'))
  }

  /** The start of a schedule: what the first hooks began (their chunks, the first requests) has settled. */
  async start(): Promise<World> {
    await this.run(0)
    return this
  }

  /**
   * The end of a schedule: every page wakes and is shown (a stream let go while hidden comes back), every hook
   * leaves; nothing may be left behind.
   */
  async finish(): Promise<void> {
    trace(this.clock.now, 'finish: 15 s, then every page wakes and is shown, then every hook leaves')
    await this.run(15_000)
    for (const tab of this.liveTabs()) {
      if (tab.inCache) tab.leaveCache()
      else if (tab.frozen) tab.resume()
      tab.setVisible(true)
      tab.setOnline(true)
    }
    await this.run(15_000)
    for (const hook of this.hooks) hook.unmount()
    await this.run(5_000)
  }
}
