import type { HookWatcher, SimHook } from './hook'
import type { Item, RoomSpec, Rule, Scene } from './scene'
import type { RequestRecord } from './server'
import { Lasting, SETTLE } from './lasting'
import type { SimTab } from './tab'
import { trace } from './trace'

export type { RoomSpec, Rule } from './scene'

/** Requests per room and tab in any `STORM_WINDOW` ms, at most. */
const STORM = 25
const STORM_WINDOW = 10_000
/** A failure this long before a hook joined may still be told to it (it was on its way). */
const SLACK = 100

/**
 * The library's promises, checked as the simulation runs (each event, each `onError`) and after every step. A
 * broken promise is written to `violations`, in words a user would use.
 */
export class Checker implements HookWatcher {
  readonly violations: string[] = []
  /** The last event number each hook got, and whether it rejoined since (its next event may skip: a join point). */
  private lastOf = new Map<SimHook, number>()
  private rejoined = new Set<SimHook>()
  /** Each tab's position in each room: kept while a hook of the tab holds the stream (mounted, even hidden). */
  private positions = new Map<string, number>()
  /** How many times the user asked for each tab's stream of each room. */
  private asks = new Map<string, number>()
  /** When each hook first joined, and how many times it was told of an error. */
  private joinedAt = new Map<SimHook, number>()
  private errors = new Map<SimHook, number>()
  private lasts = new Lasting()

  constructor(
    private scene: Scene,
    private ignored: readonly Rule[] = [],
  ) {
    scene.server.onRequest = (request) => this.requested(request)
  }

  /** A tab that stands somewhere in a stream asks for it from there (else what it missed meanwhile is lost). */
  private requested({ tab, room, lastEventId, via }: RequestRecord): void {
    const key = `${tab}/${room}`
    if (this.room(room).post) {
      const posts = this.scene.server.requests.filter((request) => request.tab === tab && request.room === room)
      const asks = this.asks.get(key) ?? 0
      if (posts.length > asks)
        this.fail('no-resend', `${tab} sent room ${room}'s POST ${posts.length} times, asked ${asks}`)
      return
    }
    const position = this.positions.get(key)
    if (position === undefined || lastEventId || !this.room(room).ids) return
    this.fail(
      'resume',
      `${tab} asked for room ${room} afresh (${via}, no Last-Event-ID) though it stood at ${position}`,
    )
    // What follows is a consequence, not another broken promise (across tabs, in every tab that follows).
    const { crossTab } = this.room(room)
    for (const hook of this.scene.hooks) {
      if (hook.room !== room || (hook.tab.name !== tab && !crossTab)) continue
      this.rejoined.add(hook)
      this.positions.delete(`${hook.tab.name}/${room}`)
    }
    this.positions.delete(key)
  }

  asked(hook: SimHook): void {
    const key = `${hook.tab.name}/${hook.room}`
    this.asks.set(key, (this.asks.get(key) ?? 0) + 1)
  }

  joined(hook: SimHook): void {
    this.rejoined.add(hook)
    if (!this.joinedAt.has(hook)) this.joinedAt.set(hook, this.scene.clock.now)
  }

  /** An event a hook got: its stream's, in order, no duplicate, no gap within one subscription. */
  message(hook: SimHook, raw: string): void {
    const item = JSON.parse(raw) as Item
    if (item.room !== hook.room)
      this.fail('own-stream', `${hook.name} (room ${hook.room}) got room ${item.room}'s event ${item.n}`)
    const last = this.lastOf.get(hook)
    this.follow(`${hook.name} in ${hook.tab.name}`, hook.room, last, item, this.rejoined.has(hook))
    this.rejoined.delete(hook)
    this.lastOf.set(hook, Math.max(item.n, last ?? 0))
  }

  /** An event a tab's connection delivered: the tab's position in the stream goes on from where it was. */
  delivered(tab: SimTab, room: string, raw: string): void {
    const item = JSON.parse(raw) as Item
    trace(this.scene.clock.now, `${tab.name} delivers ${room} ${item.n}${item.snapshot ? ' (snapshot)' : ''}`)
    const key = `${tab.name}/${room}`
    const last = this.positions.get(key)
    this.follow(`${tab.name}'s stream of room ${room}`, room, last, item, last === undefined)
    this.positions.set(key, Math.max(item.n, last ?? 0))
  }

  /**
   * One `onError` per failure: no more of them than the failures of the hook's stream since it first joined, and the
   * one the stream was in when it joined (another tab's, told to a tab that joins it).
   */
  error(hook: SimHook): void {
    trace(this.scene.clock.now, `${hook.name} in ${hook.tab.name}: onError (${hook.status()})`)
    const errors = (this.errors.get(hook) ?? 0) + 1
    this.errors.set(hook, errors)
    const { crossTab } = this.room(hook.room)
    const joined = (this.joinedAt.get(hook) ?? 0) - SLACK
    const mine = this.scene.server.failures.filter(
      ({ room, tab }) => room === hook.room && (crossTab || tab === hook.tab.name),
    )
    const since = mine.filter(({ at }) => at >= joined).length
    const allowed = since + (mine.length > since ? 1 : 0)
    if (errors > allowed) {
      this.fail('one-error', `${hook.name} in ${hook.tab.name}: onError ${errors} times for ${since} failure(s)`)
    }
  }

  /** Records a broken promise, unless its rule is `ignored` (a known defect, while it is not fixed). */
  fail(rule: Rule, message: string): void {
    // The first few say it all: a tab that replays a hundred events twice would otherwise print them all.
    if (!this.ignored.includes(rule) && this.violations.length < 4)
      this.violations.push(`at ${this.scene.clock.now} ms: [${rule}] ${message}`)
  }

  /** After every step: what must hold once transitions settle, and what must be gone when no hook is left. */
  step(): void {
    const { tabs, hooks, server, clock } = this.scene
    for (const tab of tabs) {
      for (const room of this.scene.rooms.keys()) {
        if (!tab.alive || !hooks.some((hook) => hook.tab === tab && hook.mounted && hook.room === room)) {
          this.positions.delete(`${tab.name}/${room}`)
        }
      }
      if (!tab.alive || tab.frozen) continue
      const mine = hooks.filter((hook) => hook.tab === tab && hook.subscribed)
      const left = mine.length ? [] : tab.leftovers()
      if (left.length)
        this.fail('nothing-left', `${tab.name} has no hook subscribed, yet the library holds ${left.join('; ')}`)
      for (const hook of mine) this.truthful(hook)
      for (const room of this.scene.rooms.keys()) {
        const recent = server.requests.filter(
          (request) => request.tab === tab.name && request.room === room && request.at > clock.now - STORM_WINDOW,
        )
        if (recent.length > STORM) this.fail('storm', `${tab.name}: ${recent.length} requests for room ${room} in 10 s`)
      }
    }
    for (const [room, { crossTab }] of this.scene.rooms) {
      const streams = server.live(room).filter((stream) => stream.client.owner.alive)
      const owners = new Set(streams.map((stream) => stream.client.name))
      const extra = crossTab ? streams.length > 1 : streams.length > owners.size
      this.lasting(
        'one-connection',
        `double ${room}`,
        extra,
        `room ${room} has ${streams.length} connections (${[...owners]})`,
      )
    }
    // A hook of a frozen tab, or one that left, starts afresh: its time frozen or away is not counted.
    this.lasts.sweep()
  }

  /** A hook's status tells the truth: `open` only while data can arrive, and `open` while its stream is live. */
  private truthful(hook: SimHook): void {
    const status = hook.status()
    const { crossTab } = this.room(hook.room)
    const live = this.scene.server
      .live(hook.room)
      .some(
        (stream) =>
          stream.client === hook.tab || (crossTab && stream.client.owner.alive && !stream.client.owner.frozen),
      )
    const where = `${hook.name} in ${hook.tab.name} (room ${hook.room})`
    this.lasting(
      'open-truth',
      `dead ${hook.name}`,
      status === 'open' && !live,
      `${where} says open, yet no data can arrive`,
    )
    const stale = live && status !== 'open' && status !== 'closed'
    this.lasting('status-truth', `stale ${hook.name}`, stale, `${where} says ${status}, yet its stream is live`)
  }

  /** A condition that transitions excuse for `SETTLE` ms at most. */
  private lasting(rule: Rule, key: string, holds: boolean, message: string): void {
    if (this.lasts.tooLong(key, holds, this.scene.clock.now)) this.fail(rule, `${message}, for over ${SETTLE / 1000} s`)
  }

  private follow(who: string, room: string, last: number | undefined, item: Item, joining: boolean): void {
    const { ids, post } = this.room(room)
    if (last === undefined || post) return // an answer numbers its own events
    if (item.n < last || (item.n === last && !item.snapshot))
      this.fail('order', `${who} got event ${item.n} after ${last}`)
    else if (ids && !joining && !item.snapshot && item.n > last + 1) {
      this.fail('gap', `${who} missed events ${last + 1}..${item.n - 1} (got ${item.n} after ${last})`)
    }
  }

  private room(name: string): RoomSpec {
    const room = this.scene.rooms.get(name)
    if (!room) throw new Error(`no room ${name}`)
    return room
  }
}
