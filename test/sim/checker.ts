import type { HookWatcher, SimHook } from './hook'
import type { Ignored, Item, RoomSpec, Rule, Scene, Scope } from './scene'
import type { RequestRecord } from './server'
import { Lasting, SETTLE } from './lasting'
import type { SimTab } from './tab'
import { trace } from './trace'

export type { Ignored, RoomSpec, Rule, Scope } from './scene'

/** Requests per room and tab in any `STORM_WINDOW` ms, at most. */
const STORM = 25
const STORM_WINDOW = 10_000
/** A failure this long before a hook joined may still be told to it (it was on its way). */
const SLACK = 100
/**
 * `pauseWhenHidden`: how long beyond the setting a stream may stay open once every tab with a hook on it is hidden
 * (the notes between tabs, at most 40 ms each, and a few of them).
 */
const PAUSE_SLACK = 500

/** The tabs whose hooks hold a stream with `pauseWhenHidden` together: one tab, or every tab across tabs. */
interface PauseGroup {
  room: string
  tabs: SimTab[]
  /** What a pause counts from: the tabs and whether each is visible; how often their hooks joined or asked. */
  page: string
  starts: string
}

/** A pause group as the checker keeps it from step to step. */
interface Pause extends PauseGroup {
  /** Since when the group has been as it is (its tabs, whether each is visible, its hooks' starts). */
  since: number
  /** Since when every tab of the group has been hidden; `undefined` while one is visible. */
  hidden: number | undefined
  /** A hook asked again (`reconnect()`) in this hidden spell once the pause was due (the spell as long as the setting). */
  late: boolean
}

/** A pause group's key: the room across tabs, else the tab's own stream of it. */
const pauseKey = (tab: SimTab, room: string, crossTab: boolean) => (crossTab ? room : `${tab.name}/${room}`)

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
  /** How many times a tab's hooks joined or asked for a room (`tab/room`): a pause counts from the latest. */
  private starts = new Map<string, number>()
  /** Each pause group (by `pauseGroups`' key) as it was after the last step's action. */
  private pauses = new Map<string, Pause>()
  /**
   * By cross-tab room with `pauseWhenHidden`, the tabs that stopped holding it while visible (their hooks left, they
   * closed, or they `crashed`: a leader goes on counting those as visible, on purpose, the safe side), and when; with
   * the tabs that ran the stream then (`leaders`: the last to ask for it, those with a response open).
   */
  private gone = new Map<string, { at: number; crashed: boolean; leaders: Set<string> }[]>()

  constructor(
    private scene: Scene,
    private ignored: readonly Ignored[] = [],
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

  asked(hook: SimHook, again = false): void {
    const key = `${hook.tab.name}/${hook.room}`
    this.asks.set(key, (this.asks.get(key) ?? 0) + 1)
    this.starts.set(key, (this.starts.get(key) ?? 0) + 1)
    const { crossTab, pauseWhenHidden = Infinity } = this.room(hook.room)
    const pause = this.pauses.get(pauseKey(hook.tab, hook.room, crossTab))
    if (again && pause?.hidden !== undefined && this.scene.clock.now - pause.hidden >= pauseWhenHidden)
      pause.late = true
  }

  joined(hook: SimHook): void {
    const key = `${hook.tab.name}/${hook.room}`
    this.starts.set(key, (this.starts.get(key) ?? 0) + 1)
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

  /**
   * Records a broken promise, unless its rule is `ignored` (a known defect, while it is not fixed): everywhere, or
   * (`<rule>/<scope>`) in one of the `scopes` this case is in.
   */
  fail(rule: Rule, message: string, scopes: readonly Scope[] = []): void {
    if (this.ignored.includes(rule) || scopes.some((scope) => this.ignored.includes(`${rule}/${scope}`))) return
    // The first few say it all: a tab that replays a hundred events twice would otherwise print them all.
    if (this.violations.length < 4) this.violations.push(`at ${this.scene.clock.now} ms: [${rule}] ${message}`)
  }

  /**
   * After a step's action, before its time passes (tabs, pages and hooks change only by actions): a pause group that
   * changed (a tab hidden or shown, a tab that came or left, a hook that joined or asked) counts its hidden time from
   * now.
   */
  acted(): void {
    const { now } = this.scene.clock
    const groups = this.pauseGroups()
    for (const [room, { crossTab, pauseWhenHidden }] of this.scene.rooms) {
      const was = this.pauses.get(room)?.tabs ?? []
      const stays = groups.get(room)?.tabs ?? []
      if (!crossTab || pauseWhenHidden === undefined) continue
      for (const tab of was) {
        if (stays.includes(tab) || !(tab.alive ? tab.visible : tab.wasVisible)) continue
        const gone = this.gone.get(room) ?? []
        this.gone.set(room, [...gone, { at: now, crashed: tab.crashed, leaders: this.leaders(room) }])
      }
    }
    for (const key of this.pauses.keys()) if (!groups.has(key)) this.pauses.delete(key)
    for (const [key, group] of groups) {
      const was = this.pauses.get(key)
      const shown = group.tabs.some((tab) => tab.visible)
      const same = was?.page === group.page && was.starts === group.starts
      const since = same && was ? was.since : now
      const hidden = shown ? undefined : (was?.hidden ?? now)
      this.pauses.set(key, { ...group, since, hidden, late: !shown && !!was?.late })
    }
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
      for (const hook of mine) {
        this.truthful(hook)
        this.resumed(hook)
      }
      for (const room of this.scene.rooms.keys()) {
        const recent = server.requests.filter(
          (request) => request.tab === tab.name && request.room === room && request.at > clock.now - STORM_WINDOW,
        )
        if (recent.length > STORM) this.fail('storm', `${tab.name}: ${recent.length} requests for room ${room} in 10 s`)
      }
    }
    this.paused()
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
    const { crossTab, pauseWhenHidden } = this.room(hook.room)
    const live = this.scene.server
      .live(hook.room)
      .some(
        (stream) =>
          stream.client === hook.tab || (crossTab && stream.client.owner.alive && !stream.client.owner.frozen),
      )
    const where = `${hook.name} in ${hook.tab.name} (room ${hook.room})`
    const hidden: Scope[] = pauseWhenHidden !== undefined && !hook.tab.visible ? ['hidden'] : []
    this.lasting(
      'open-truth',
      `dead ${hook.name}`,
      status === 'open' && !live,
      `${where} says open, yet no data can arrive`,
      hidden,
    )
    const stale = live && status !== 'open' && status !== 'closed'
    this.lasting('status-truth', `stale ${hook.name}`, stale, `${where} says ${status}, yet its stream is live`)
  }

  /**
   * `pauseWhenHidden` keeps its promise: once every tab with a hook on the stream (across tabs; else each tab on its
   * own) has been hidden for longer than the setting and `PAUSE_SLACK`, none of those tabs (but a frozen one, which
   * runs nothing) has a response of the stream open, but one the server answered within that time (a handover). A
   * hook that joins or asks again starts the count afresh. Across tabs, a leader that ran the stream when a visible
   * tab with hooks on it crashed keeps it running (on purpose: it cannot tell a crash from a busy tab).
   *
   * A case is in the `reconnect` scope when a hook asked again (`reconnect()`) once the pause was due (every tab hidden
   * for the setting); in the `left` scope when the response is that of a leader that may still count as visible a tab
   * that left while visible (its hooks left, or it closed: see `ghosts`).
   */
  private paused(): void {
    const { clock, server } = this.scene
    for (const [key, { room, tabs }] of this.pauseGroups()) {
      const { pauseWhenHidden = 0, crossTab } = this.room(room)
      const over = pauseWhenHidden + PAUSE_SLACK
      const { since = clock.now, late = false } = this.pauses.get(key) ?? {}
      if (tabs.some((tab) => tab.visible) || clock.now - since <= over) continue
      const open = server
        .open(room)
        .find(
          ({ client, at }) =>
            !client.owner.frozen && tabs.some((tab) => tab.name === client.name) && clock.now - at > over,
        )
      if (!open) continue
      const gone = this.ghosts(room, open.client.name)
      if (gone.some(({ crashed }) => crashed)) continue
      const who = tabs.map((tab) => tab.name).join(', ')
      const message = `room ${room}'s hooks in ${who} hidden for ${clock.now - since} ms (pauseWhenHidden ${pauseWhenHidden}), yet ${open.client.name}'s response (since ${open.at} ms) is open`
      const scopes: Scope[] = crossTab ? ['crossTab'] : []
      if (late) scopes.push('reconnect')
      if (gone.length) scopes.push('left')
      this.fail('pause-hidden', message, scopes)
    }
  }

  /**
   * A stream with `pauseWhenHidden` is not left let go while a tab with a hook on it is visible: once the tab has been
   * shown (or its pause group last changed: a tab came or left, a hook joined or asked) for longer than `SETTLE`, the
   * hook does not say `idle` with nothing of the stream open at the server (in its tab; across tabs, in any running
   * tab). A stream that gave up, was closed or is refused says so (`error`, `closed`, `reconnecting`), not `idle`.
   */
  private resumed(hook: SimHook): void {
    const { tab, room } = hook
    const { crossTab, pauseWhenHidden } = this.room(room)
    if (pauseWhenHidden === undefined || !tab.visible || hook.status() !== 'idle') return
    const { clock, server } = this.scene
    const since = this.pauses.get(pauseKey(tab, room, crossTab))?.since ?? clock.now
    if (clock.now - since <= SETTLE) return
    const open = server
      .open(room)
      .some(({ client }) => client === tab || (crossTab && client.owner.alive && !client.owner.frozen))
    if (open) return
    const message = `${hook.name} in ${tab.name} (room ${room}) says idle, its stream let go, though its page has been visible for ${clock.now - since} ms`
    this.fail('pause-visible', message, crossTab ? ['crossTab'] : [])
  }

  /**
   * The tabs gone from a cross-tab room while visible that the tab running it may still count as visible: it ran the
   * stream then, or took it over while their last notes could still arrive.
   */
  private ghosts(room: string, tab: string) {
    const arriving = this.scene.latency + PAUSE_SLACK
    const { requests } = this.scene.server
    const after = (at: number) =>
      requests.some((r) => r.room === room && r.tab === tab && r.at > at && r.at <= at + arriving)
    return (this.gone.get(room) ?? []).filter(({ at, leaders }) => leaders.has(tab) || after(at))
  }

  /** The tabs that run a room's stream now, across tabs: the last that asked for it, and those with a response open. */
  private leaders(room: string): Set<string> {
    const { requests } = this.scene.server
    const leaders = new Set(this.scene.server.open(room).map(({ client }) => client.name))
    for (let i = requests.length - 1; i >= 0; i--) {
      const request = requests[i]
      if (request?.room !== room) continue
      leaders.add(request.tab)
      break
    }
    return leaders
  }

  /**
   * The pause groups of the rooms with `pauseWhenHidden`, by key (the room across tabs, else `tab/room`): the live
   * tabs with a hook subscribed to it, and not closed.
   */
  private pauseGroups(): Map<string, PauseGroup> {
    const groups = new Map<string, PauseGroup>()
    for (const hook of this.scene.hooks) {
      const { tab, room } = hook
      const { crossTab, pauseWhenHidden } = this.room(room)
      // A hook closed by the user (`close()`) has let its stream go until `reconnect()`.
      if (pauseWhenHidden === undefined || !hook.subscribed || hook.hookState.closed || !tab.alive) continue
      const key = pauseKey(tab, room, crossTab)
      const group = groups.get(key) ?? { room, tabs: [], page: '', starts: '' }
      groups.set(key, group)
      if (!group.tabs.includes(tab)) group.tabs.push(tab)
    }
    for (const group of groups.values()) {
      group.tabs.sort((a, b) => a.name.localeCompare(b.name))
      group.page = group.tabs.map((tab) => `${tab.name}:${tab.visible}`).join(' ')
      group.starts = group.tabs.map((tab) => this.starts.get(`${tab.name}/${group.room}`) ?? 0).join(' ')
    }
    return groups
  }

  /** A condition that transitions excuse for `SETTLE` ms at most. */
  private lasting(rule: Rule, key: string, holds: boolean, message: string, scopes: readonly Scope[] = []): void {
    if (this.lasts.tooLong(key, holds, this.scene.clock.now))
      this.fail(rule, `${message}, for over ${SETTLE / 1000} s`, scopes)
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
