import { RECONNECTION_TIME, reconnectDelay } from '../core/reconnectDelay'
import { after } from '../core/timers'
import { chooseTransport } from '../core/transports/chooseTransport'
import type { Transport, TransportHandle, TransportHandlers } from '../core/transports/types'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

/** What the tabs of one stream tell one another over its BroadcastChannel. */
type Note =
  /** To the leader: a tab joined, or answers a new leader, with the event types it listens to. */
  | { kind: 'hello'; types: string[] }
  /** To the leader: a tab listens to one more event type. */
  | { kind: 'listen'; type: string }
  /** To the leader: a follower's `reconnect()`, from the follower's last event id. */
  | { kind: 'reconnect'; from: string }
  /** From a new leader (`epoch` names its turn), or one that reconnects: it resumes after `from`. */
  | { kind: 'leader'; epoch: string; from: string }
  /** From the leader, the stream as it goes. */
  | { kind: 'open'; epoch: string }
  | { kind: 'message'; epoch: string; type: string; data: string; id: string }
  | { kind: 'id'; epoch: string; id: string }
  /**
   * `closed`: given up (an HTTP status, a wrong content type): every tab's own policy decides what next. `learn`:
   * the browser's EventSource gave up without a status: whichever tab tries next asks through fetch.
   */
  | { kind: 'error'; epoch: string; status: number | undefined; closed: boolean; learn?: true }

/** What the leader relays: a note without its epoch. */
type Relayed = Note extends infer N ? (N extends { epoch: string } ? Omit<N, 'epoch'> : never) : never

type Listener<E extends Event> = ((event: E) => void) | { handleEvent(event: E): void } | null

/** The instances of this tab that connect a stream now, with the stream's url. */
const leaders = new Map<CrossTabEventSource, string>()
/** Streams whose follower was closed while open, for one microtask: an instance created right after is a `reconnect()`. */
const justClosed = new Set<string>()
/**
 * Streams whose next attempt goes through fetch after the browser's EventSource gave up without saying why (a 204,
 * a 401 and a 502 look alike there): the next instance in this tab learns the status, so that the hooks' policy can
 * stop. Every tab hears of it (`learn`), so that whichever tab tries next asks through fetch.
 */
const learnStatus = new Set<string>()

/** What `new CrossTabEventSource(url, init)` takes; the hook passes it. */
export interface CrossTabEventSourceInit extends EventSourceInit {
  /**
   * Request headers, sent through fetch; tabs share a stream only when the values match (they are part of the
   * stream's lock and channel names, which any script of the origin can list). A `Last-Event-ID` entry is where the
   * stream resumes. @default undefined
   */
  headers?: Record<string, string>
}

/**
 * An EventSource that one tab holds for all the tabs of a browser profile:
 * pass it as `useEventSource(url, { EventSource: CrossTabEventSource })`.
 *
 * The tab granted the stream's Web Lock connects (the leader); it relays every
 * event and every change of state over a BroadcastChannel, and the other tabs
 * (followers) dispatch them as if they came from a stream of their own. When
 * the leader's tab closes, reloads, is frozen or closes its last hook on the
 * stream, the next tab is granted the lock and connects, resuming after the
 * last event id relayed (Last-Event-ID). Like the browser's EventSource, the
 * leader reopens a stream that ended or dropped by itself (the tabs show
 * `reconnecting`), and gives up on an HTTP error or a wrong content type
 * (each tab's policy then decides). Tabs share a stream when its url,
 * `withCredentials` and headers are equal. Without Web Locks or
 * BroadcastChannel every tab connects on its own.
 */
export class CrossTabEventSource extends EventTarget {
  /** The `readyState` values, as on EventSource. */
  static readonly CONNECTING = CONNECTING
  static readonly OPEN = OPEN
  static readonly CLOSED = CLOSED

  /** Whether this tab connects a cross-tab stream of `url` now. */
  static holds(url: string | URL): boolean {
    return [...leaders.values()].includes(new URL(url, globalThis.location?.href).href)
  }

  /** The stream's url, resolved against the page's. */
  readonly url: string
  /** Whether the request sends cookies cross-origin. @default false */
  readonly withCredentials: boolean
  /** Called when the stream opens (in a follower: when the leader's is open). @default null */
  onopen: ((event: Event) => unknown) | null = null
  /** Called with each unnamed (`message`) event. @default null */
  onmessage: ((event: MessageEvent) => unknown) | null = null
  /** Called when the stream is lost (`readyState` CONNECTING: it is being reopened) or given up (CLOSED; `status` on the event when known). @default null */
  onerror: ((event: Event) => unknown) | null = null

  readonly #name: string
  readonly #headers: Record<string, string> | undefined
  readonly #channel: BroadcastChannel | undefined
  #readyState = CONNECTING
  #closed = false
  /** Cancels this tab's lock request while it waits (a frozen tab takes its request back). */
  #waiting: AbortController | undefined
  /** Lets go of the lock while this tab leads. */
  #release: (() => void) | undefined
  /** This leader's turn, on every note it sends; as a follower, the turn it follows, and the turns that ended. */
  #epoch = ''
  readonly #former = new Set<string>()
  #transport: TransportHandle | undefined
  /** Whether the leader's own transport is open (a tab that takes over is OPEN before it is). */
  #transportOpen = false
  #cancelTimer: (() => void) | undefined
  /** Bumped when the transport is dropped, so that a dropped one (or a chunk that loads late) is never heard. */
  #generation = 0
  #lastEventId: string
  /** The server's `retry:`, in ms. */
  #serverRetry = 0
  /** Whether the leader's next attempt with nothing to resume is the browser's EventSource (see `learnStatus`). */
  #native: boolean
  /** The leader's last fetch attempt got no answer at all: the next is the browser's EventSource. */
  #noAnswer = false
  /** The last ids dispatched, and those the leader will send again (it resumed from an older one): skipped, once. */
  #recent: string[] = []
  #again: string[] = []
  /** The event types this tab listens to; as the leader, those of every tab. */
  readonly #types = new Set<string>(['message'])
  readonly #wanted = new Set<string>(['message'])

  /** Opens the stream if this tab is granted its lock at once, else follows the tab that holds it (and waits for it). */
  constructor(url: string | URL, init: CrossTabEventSourceInit = {}) {
    super()
    this.url = new URL(url, globalThis.location?.href).href
    this.withCredentials = !!init.withCredentials
    const { 'Last-Event-ID': lastEventId = '', ...headers } = init.headers ?? {}
    this.#lastEventId = lastEventId
    this.#headers = Object.keys(headers).length ? headers : undefined
    this.#name = `use-event-source ${JSON.stringify([this.url, this.withCredentials, this.#headers ?? null])}`
    this.#native = !learnStatus.delete(this.#name)
    // The handler properties are listeners too: what they throw is reported, never thrown into the stream.
    for (const type of ['open', 'message', 'error'] as const)
      super.addEventListener(type, (event) => this[`on${type}`]?.(event as MessageEvent))
    const locks = globalThis.navigator?.locks
    if (!locks || typeof BroadcastChannel === 'undefined') {
      this.#lead()
      return
    }
    this.#channel = new BroadcastChannel(this.#name)
    this.#channel.onmessage = ({ data }: MessageEvent<Note>) => this.#hear(data)
    this.#queue()
    this.#post({ kind: 'hello', types: [] })
    if (justClosed.delete(this.#name)) this.#post({ kind: 'reconnect', from: lastEventId })
    // A page about to be frozen (or put in the back/forward cache) runs nothing: it hands the stream to another
    // tab, and asks for it again once it runs again.
    globalThis.document?.addEventListener('freeze', this.#stepDown)
    globalThis.addEventListener?.('pagehide', this.#stepDown)
    globalThis.document?.addEventListener('resume', this.#stepUp)
    globalThis.addEventListener?.('pageshow', this.#stepUp)
  }

  /** `CONNECTING` (0), `OPEN` (1) or `CLOSED` (2), as on EventSource. */
  get readyState(): number {
    return this.#readyState
  }

  /** Whether this instance's tab connects the stream (the others follow it). */
  get leading(): boolean {
    return leaders.has(this)
  }

  // Typed as EventSource's: listeners of MessageEvent.
  override addEventListener(
    type: string,
    listener: Listener<MessageEvent>,
    options?: AddEventListenerOptions | boolean,
  ): void
  override addEventListener(type: string, listener: Listener<Event>, options?: AddEventListenerOptions | boolean): void
  override addEventListener(
    type: string,
    listener: Listener<MessageEvent>,
    options?: AddEventListenerOptions | boolean,
  ): void {
    super.addEventListener(type, listener as Listener<Event>, options)
    if (type === 'open' || type === 'error' || this.#types.has(type)) return
    this.#types.add(type)
    if (this.leading) this.#want(type)
    else this.#post({ kind: 'listen', type })
  }

  override removeEventListener(
    type: string,
    listener: Listener<MessageEvent>,
    options?: EventListenerOptions | boolean,
  ): void
  override removeEventListener(type: string, listener: Listener<Event>, options?: EventListenerOptions | boolean): void
  override removeEventListener(
    type: string,
    listener: Listener<MessageEvent>,
    options?: EventListenerOptions | boolean,
  ): void {
    super.removeEventListener(type, listener as Listener<Event>, options)
  }

  /** Stops the stream in this tab; if this tab leads, the next tab waiting takes it over. */
  close(): void {
    if (this.#closed) return
    if (this.readyState === OPEN && !this.leading) {
      justClosed.add(this.#name)
      queueMicrotask(() => justClosed.delete(this.#name))
    }
    this.#closed = true
    this.#readyState = CLOSED
    this.#waiting?.abort()
    this.#letGo()
    this.#channel?.close()
    globalThis.document?.removeEventListener('freeze', this.#stepDown)
    globalThis.removeEventListener?.('pagehide', this.#stepDown)
    globalThis.document?.removeEventListener('resume', this.#stepUp)
    globalThis.removeEventListener?.('pageshow', this.#stepUp)
  }

  /** Waits for the stream's lock; granted, this tab leads until it lets go. */
  #queue() {
    const waiting = new AbortController()
    this.#waiting = waiting
    const granted = () =>
      new Promise<void>((release) => {
        this.#waiting = undefined
        this.#lead(release)
      })
    globalThis.navigator.locks.request(this.#name, { signal: waiting.signal }, granted).catch(() => {}) // taken back while waiting
  }

  #lead(release: () => void = () => {}) {
    if (this.#closed) return release()
    this.#release = release
    this.#again = []
    leaders.set(this, this.url)
    this.#epoch = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
    for (const type of this.#types) this.#wanted.add(type)
    this.#post({ kind: 'leader', epoch: this.#epoch, from: this.#lastEventId })
    this.#connect()
  }

  /** Drops the transport, the pending reconnect and the lock (a waiting tab is granted it at once). */
  #letGo() {
    this.#drop()
    this.#release?.()
    this.#release = undefined
    leaders.delete(this)
  }

  #drop() {
    this.#generation += 1
    this.#transport?.close()
    this.#cancelTimer?.()
    this.#transport = this.#cancelTimer = undefined
    this.#transportOpen = false
  }

  /** A page about to be frozen: a leader lets go, a follower takes its request back (granted, it could not run). */
  #stepDown = () => {
    this.#waiting?.abort()
    this.#waiting = undefined
    if (!this.leading || this.#closed) return
    this.#letGo()
    this.#former.add(this.#epoch)
  }

  #stepUp = () => {
    if (!this.leading && !this.#waiting && !this.#closed && this.#channel) this.#queue()
  }

  #connect() {
    const generation = ++this.#generation
    // An attempt that resumes sends the id (fetch), unless fetch got no answer at all the last time.
    const native = this.#noAnswer || (this.#native && !this.#lastEventId)
    this.#noAnswer = false
    let opened = false
    const relay = (note: Relayed) => {
      if (generation !== this.#generation) return false
      this.#announce(note)
      return true
    }
    /** A stream that ended or dropped is reopened after the reconnection time (the server's `retry:`, if longer), resuming after the last id. */
    const reopen = () => {
      // Unless the hook closed this instance on hearing of it (a headers function: the hook reconnects itself).
      if (!relay({ kind: 'error', status: undefined, closed: false }) || this.#closed) return
      this.#drop()
      // A fetch attempt that got no answer at all (the network, or a refused CORS preflight) is followed by a native
      // one, which needs no preflight (and cannot send the id), as the hook does.
      this.#noAnswer = !native && !opened
      const wait = Math.max(this.#serverRetry, (opened ? RECONNECTION_TIME : 0) + reconnectDelay(1))
      this.#cancelTimer = after(wait, () => this.#connect())
    }
    const handlers: TransportHandlers = {
      open: () => {
        opened = true
        this.#transportOpen = true
        relay({ kind: 'open' })
      },
      message: (type, data, id) => relay({ kind: 'message', type, data, id }),
      id: (id) => relay({ kind: 'id', id }),
      retry: (ms) => {
        this.#serverRetry = ms
      },
      error: (error, closed) => {
        if (!closed)
          relay({ kind: 'error', status: undefined, closed: false }) // the browser's EventSource retries by itself
        else if (error.status !== undefined) relay({ kind: 'error', status: error.status, closed: true })
        else if (!native) reopen()
        else {
          // The browser's EventSource gave up without saying why: the next attempt, in whichever tab, asks through fetch.
          relay({ kind: 'error', status: undefined, closed: true, learn: true })
        }
      },
      end: reopen,
    }
    const begin = (transport: Transport) => {
      if (generation !== this.#generation) return
      const request = {
        url: this.url,
        withCredentials: this.withCredentials,
        headers: this.#headers,
        lastEventId: this.#lastEventId,
      }
      this.#transport = transport(request, handlers)
      for (const type of this.#wanted) this.#transport.listen(type)
    }
    // As the hook does without this class: the browser's EventSource for a first attempt with nothing to resume, fetch
    // for one that sends the last event id or learns the HTTP status.
    const chosen = chooseTransport({ withCredentials: this.withCredentials, headers: this.#headers }, native)
    if (chosen instanceof Promise) chosen.then(begin, () => relay({ kind: 'error', status: undefined, closed: true }))
    else begin(chosen)
  }

  #want(type: string) {
    if (this.#wanted.has(type)) return
    this.#wanted.add(type)
    this.#transport?.listen(type)
  }

  /** A note from another tab. */
  #hear(note: Note) {
    if (this.#closed) return
    if (!this.leading) {
      if (note.kind === 'leader') {
        this.#resumeFrom(note.from)
        this.#follow(note.epoch)
        this.#post({ kind: 'hello', types: [...this.#types] })
      } else if ('epoch' in note && !this.#former.has(note.epoch)) {
        // A former leader's notes may arrive late: they are dropped. A turn never announced here (this tab joined
        // during it, or was frozen when it began) is followed from its first note.
        this.#follow(note.epoch)
        this.#apply(note)
      }
      return
    }
    if (note.kind === 'hello') {
      for (const type of note.types) this.#want(type)
      if (this.#transportOpen) this.#post({ kind: 'open', epoch: this.#epoch })
    } else if (note.kind === 'listen') this.#want(note.type)
    else if (note.kind === 'reconnect') {
      this.#drop()
      // From the asking tab's last event: what the leader relayed while that tab had no channel open comes again,
      // and every tab that has it already skips it.
      if (note.from) {
        this.#resumeFrom(note.from)
        this.#lastEventId = note.from
      }
      this.#post({ kind: 'leader', epoch: this.#epoch, from: this.#lastEventId })
      this.#announce({ kind: 'error', status: undefined, closed: false })
      if (!this.#closed) this.#connect() // unless the hook closed this instance on hearing of it (a headers function)
    }
  }

  /** The stream resumes after `from`: the ids dispatched since will come again, and are skipped, once. */
  #resumeFrom(from: string) {
    const index = this.#recent.lastIndexOf(from)
    this.#again = index < 0 ? [] : this.#recent.slice(index + 1)
  }

  #follow(epoch: string) {
    if (epoch === this.#epoch) return
    if (this.#epoch) this.#former.add(this.#epoch)
    this.#epoch = epoch
  }

  /** What the stream did, in this tab: the state, and the event its listeners get. */
  #apply(note: Note) {
    if (this.#closed) return
    if (note.kind === 'open') {
      if (this.readyState === OPEN) return // a tab that takes over, or a repeated answer to a hello
      this.#readyState = OPEN
      this.dispatchEvent(new Event('open'))
    } else if (note.kind === 'message') {
      if (note.id && note.id === this.#again[0]) {
        this.#again.shift()
        return
      }
      this.#again = []
      if (this.readyState !== OPEN) this.#apply({ kind: 'open', epoch: note.epoch }) // a message means the stream is open
      this.#lastEventId = note.id
      if (this.#recent.push(note.id) > 200) this.#recent = this.#recent.slice(-100)
      this.dispatchEvent(new MessageEvent(note.type, { data: note.data, lastEventId: note.id }))
    } else if (note.kind === 'id') this.#lastEventId = note.id
    else if (note.kind === 'error') {
      if (note.learn) learnStatus.add(this.#name)
      this.#readyState = note.closed ? CLOSED : CONNECTING
      this.dispatchEvent(Object.assign(new Event('error'), note.status === undefined ? {} : { status: note.status }))
      if (note.closed) this.close()
    }
  }

  /** As the leader: tells the other tabs, and this one. */
  #announce(note: Relayed) {
    const told = { ...note, epoch: this.#epoch } as Note
    this.#post(told)
    this.#apply(told)
  }

  #post(note: Note) {
    if (!this.#closed) this.#channel?.postMessage(note)
  }
}
