import { chooseTransport } from '../core/transports/chooseTransport'
import type { Transport, TransportHandle, TransportHandlers } from '../core/transports/types'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

/** What the tabs of one stream tell one another over its BroadcastChannel. */
type Note =
  /** To the leader: a tab joined, with the event types it listens to (the leader answers `open` when it is). */
  | { kind: 'hello'; types: string[] }
  /** To the leader: a tab listens to one more event type. */
  | { kind: 'listen'; type: string }
  /** To the leader: a follower's `reconnect()`. */
  | { kind: 'reconnect' }
  /** From a new leader: tell it your types. */
  | { kind: 'leader' }
  /** From the leader, the stream as its transport reports it. */
  | { kind: 'open' }
  | { kind: 'message'; type: string; data: string; id: string }
  | { kind: 'id'; id: string }
  | { kind: 'error'; status: number | undefined; closed: boolean }

type Listener<E extends Event> = ((event: E) => void) | { handleEvent(event: E): void } | null

/** The streams this tab holds, by lock name, with their urls. */
const held = new Map<string, string>()
/** Streams whose follower was closed while open, for one microtask: an instance created right after is a `reconnect()`. */
const justClosed = new Set<string>()

export interface CrossTabEventSourceInit extends EventSourceInit {
  /** Request headers, sent through fetch (header values must match for tabs to share). @default undefined */
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
 * last event id relayed (Last-Event-ID), so no tab misses or repeats an event.
 * Tabs share a stream when its url, `withCredentials` and headers are equal.
 * Without Web Locks or BroadcastChannel every tab connects on its own.
 */
export class CrossTabEventSource extends EventTarget {
  static readonly CONNECTING = CONNECTING
  static readonly OPEN = OPEN
  static readonly CLOSED = CLOSED

  /** Whether this tab holds (connects) a cross-tab stream of `url` now. */
  static holds(url: string | URL): boolean {
    const href = new URL(url, globalThis.location?.href).href
    return [...held.values()].includes(href)
  }

  readonly url: string
  readonly withCredentials: boolean
  readyState = CONNECTING
  onopen: ((event: Event) => unknown) | null = null
  onmessage: ((event: MessageEvent) => unknown) | null = null
  onerror: ((event: Event) => unknown) | null = null

  readonly #name: string
  readonly #headers: Record<string, string> | undefined
  readonly #channel: BroadcastChannel | undefined
  /** Cancels the lock request while it waits. */
  readonly #abort = new AbortController()
  /** Lets go of the lock while this tab holds it. */
  #release: (() => void) | undefined
  #transport: TransportHandle | undefined
  /** Bumped when the transport is dropped, so that a dropped one (or a chunk that loads late) is never heard. */
  #generation = 0
  #lastEventId: string
  #closed = false
  /** The event types this tab listens to; as the leader, those of every tab. */
  readonly #types = new Set<string>(['message'])
  readonly #wanted = new Set<string>(['message'])

  constructor(url: string | URL, init: CrossTabEventSourceInit = {}) {
    super()
    this.url = new URL(url, globalThis.location?.href).href
    this.withCredentials = !!init.withCredentials
    const { 'Last-Event-ID': lastEventId = '', ...headers } = init.headers ?? {}
    this.#lastEventId = lastEventId
    this.#headers = Object.keys(headers).length ? headers : undefined
    this.#name = `use-event-source ${JSON.stringify([this.url, this.withCredentials, this.#headers ?? null])}`
    const locks = globalThis.navigator?.locks
    if (!locks || typeof BroadcastChannel === 'undefined') {
      this.#lead()
      return
    }
    this.#channel = new BroadcastChannel(this.#name)
    this.#channel.onmessage = ({ data }: MessageEvent<Note>) => this.#hear(data)
    this.#queue()
    this.#post({ kind: 'hello', types: [] })
    if (justClosed.delete(this.#name)) this.#post({ kind: 'reconnect' })
    // A frozen page (or one put in the back/forward cache) runs nothing: it hands the stream to another tab.
    globalThis.document?.addEventListener('freeze', this.#stepDown)
    globalThis.addEventListener?.('pagehide', this.#stepDown)
  }

  /** Whether this tab connects the stream (the others follow it). */
  get leading(): boolean {
    return this.#release !== undefined
  }

  override addEventListener(type: string, listener: Listener<MessageEvent>, options?: AddEventListenerOptions | boolean): void
  override addEventListener(type: string, listener: Listener<Event>, options?: AddEventListenerOptions | boolean): void
  override addEventListener(type: string, listener: Listener<MessageEvent>, options?: AddEventListenerOptions | boolean): void {
    super.addEventListener(type, listener as Listener<Event>, options)
    if (type === 'open' || type === 'error' || this.#types.has(type)) return
    this.#types.add(type)
    if (this.#release) this.#want(type)
    else this.#post({ kind: 'listen', type })
  }

  // Typed as EventSource's: listeners of MessageEvent.
  override removeEventListener(type: string, listener: Listener<MessageEvent>, options?: EventListenerOptions | boolean): void
  override removeEventListener(type: string, listener: Listener<Event>, options?: EventListenerOptions | boolean): void
  override removeEventListener(type: string, listener: Listener<MessageEvent>, options?: EventListenerOptions | boolean): void {
    super.removeEventListener(type, listener as Listener<Event>, options)
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (this.readyState === OPEN && !this.#release) {
      justClosed.add(this.#name)
      queueMicrotask(() => justClosed.delete(this.#name))
    }
    this.readyState = CLOSED
    this.#abort.abort()
    this.#letGo()
    this.#channel?.close()
    globalThis.document?.removeEventListener('freeze', this.#stepDown)
    globalThis.removeEventListener?.('pagehide', this.#stepDown)
  }

  /** Waits for the stream's lock; granted, this tab leads until it lets go. */
  #queue() {
    globalThis.navigator.locks
      .request(this.#name, { signal: this.#abort.signal }, () => new Promise<void>((release) => this.#lead(release)))
      .catch(() => {}) // closed while waiting: the request is aborted
  }

  #lead(release: () => void = () => {}) {
    this.#release = release
    held.set(this.#name, this.url)
    for (const type of this.#types) this.#wanted.add(type)
    this.#post({ kind: 'leader' })
    this.#connect()
  }

  /** Drops the transport and the lock (a waiting tab is granted it at once). */
  #letGo() {
    this.#generation += 1
    this.#transport?.close()
    this.#transport = undefined
    this.#release?.()
    this.#release = undefined
    held.delete(this.#name)
  }

  #stepDown = () => {
    if (!this.#release || this.#closed) return
    this.#letGo()
    this.#queue()
  }

  #connect() {
    const generation = ++this.#generation
    const live = () => generation === this.#generation
    const announce = (note: Note) => {
      if (!live()) return
      this.#post(note)
      this.#apply(note)
    }
    const handlers: TransportHandlers = {
      open: () => announce({ kind: 'open' }),
      message: (type, data, id) => announce({ kind: 'message', type, data, id }),
      id: (id) => announce({ kind: 'id', id }),
      retry() {},
      error: (error, closed) => announce({ kind: 'error', status: error.status, closed }),
      // The server ended the stream: the hooks' policy reopens it (Last-Event-ID resumes it).
      end: () => announce({ kind: 'error', status: undefined, closed: true }),
    }
    const begin = (transport: Transport) => {
      if (!live()) return
      const request = { url: this.url, withCredentials: this.withCredentials, headers: this.#headers, lastEventId: this.#lastEventId }
      this.#transport = transport(request, handlers)
      for (const type of this.#wanted) this.#transport.listen(type)
    }
    // Through fetch, which sends the last event id and learns the HTTP status (the hooks' policy stops on a 4xx);
    // without Web Locks, the way a hook without this class would connect.
    const options = { withCredentials: this.withCredentials, headers: this.#headers, transport: this.#channel && ('fetch' as const) }
    const chosen = chooseTransport(options, !this.#lastEventId)
    const fail = () => announce({ kind: 'error', status: undefined, closed: true })
    if (chosen instanceof Promise) chosen.then(begin, fail)
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
    if (note.kind === 'leader') return this.#post({ kind: 'hello', types: [...this.#types] })
    if (!this.#release) return note.kind === 'hello' || note.kind === 'listen' || note.kind === 'reconnect' ? undefined : this.#apply(note)
    if (note.kind === 'hello') {
      for (const type of note.types) this.#want(type)
      if (this.readyState === OPEN) this.#post({ kind: 'open' })
    } else if (note.kind === 'listen') this.#want(note.type)
    else if (note.kind === 'reconnect') {
      this.#generation += 1
      this.#transport?.close()
      this.#transport = undefined
      this.#post({ kind: 'error', status: undefined, closed: false })
      this.#apply({ kind: 'error', status: undefined, closed: false })
      this.#connect()
    }
  }

  /** What the stream did, in this tab: the state, and the event its listeners get. */
  #apply(note: Note) {
    if (this.#closed) return
    if (note.kind === 'open') {
      if (this.readyState === OPEN) return // a tab that takes over, or a repeated answer to a hello
      this.readyState = OPEN
      this.#dispatch(new Event('open'))
    } else if (note.kind === 'message') {
      this.#lastEventId = note.id
      this.#dispatch(new MessageEvent(note.type, { data: note.data, lastEventId: note.id }))
    } else if (note.kind === 'id') this.#lastEventId = note.id
    else if (note.kind === 'error') {
      this.readyState = note.closed ? CLOSED : CONNECTING
      this.#dispatch(Object.assign(new Event('error'), note.status === undefined ? {} : { status: note.status }))
      if (note.closed) this.close()
    }
  }

  #dispatch(event: Event) {
    const handler = this[`on${event.type}` as 'onopen' | 'onerror']
    handler?.call(this, event as MessageEvent)
    this.dispatchEvent(event)
  }

  #post(note: Note) {
    this.#channel?.postMessage(note)
  }
}
