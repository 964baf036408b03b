import type { EventSourceLike } from '../core/types'

type Listener = (event: MessageEvent) => void

export interface EmitOptions {
  /** The event type (`event:` line). @default 'message' */
  event?: string
  /** The event id (`id:` line); later events keep it until another id is set. @default the previous id */
  id?: string
}

export interface FailOptions {
  /** Give up like a browser after an HTTP error or wrong content type (readyState CLOSED); otherwise keep retrying (CONNECTING). @default false */
  close?: boolean
  /** The HTTP status to report, as the polyfill does. @default undefined */
  status?: number
}

/**
 * A controllable stand-in for EventSource, for testing components with no
 * server. Pass it as the `EventSource` option (or stub the global), then
 * drive the latest instance: `MockEventSource.latest().open()`, `.emit({ price: 1 })`.
 * Every instance is recorded in `MockEventSource.instances` until `reset()`.
 */
export class MockEventSource implements EventSourceLike {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  /** Every instance created since the last `reset()`, oldest first. */
  static instances: MockEventSource[] = []

  /** The newest instance; throws when none was created (the stream never opened). */
  static latest(): MockEventSource {
    const latest = MockEventSource.instances.at(-1)
    if (!latest)
      throw new Error('No MockEventSource was created: did the component mount with a url and the EventSource option?')
    return latest
  }

  /** Forgets the recorded instances; call it between tests. */
  static reset(): void {
    MockEventSource.instances = []
  }

  readyState: number = MockEventSource.CONNECTING
  onopen: ((event: Event) => unknown) | null = null
  onerror: ((event: Event) => unknown) | null = null
  onmessage: ((event: MessageEvent) => unknown) | null = null
  readonly withCredentials: boolean
  private readonly listeners = new Map<string, Set<Listener>>()
  private lastEventId = ''

  constructor(
    /** The url the stream was opened with. */
    readonly url: string,
    /** Everything the constructor was given (`withCredentials`, and `headers` for polyfill-like use: the live object, in which the library keeps `Last-Event-ID` current, as the polyfill reads it at each of its reconnects). */
    readonly init: EventSourceInit & Record<string, unknown> = {},
  ) {
    this.withCredentials = Boolean(init.withCredentials)
    MockEventSource.instances.push(this)
  }

  addEventListener(type: string, listener: Listener): void {
    const set = this.listeners.get(type) ?? new Set()
    this.listeners.set(type, set.add(listener))
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener)
  }

  /** Event types something listens to right now. */
  get listenedTypes(): string[] {
    return [...this.listeners].filter(([, set]) => set.size > 0).map(([type]) => type)
  }

  /** The stream is closed: the code under test closed it, or it failed with `close: true`. */
  get closed(): boolean {
    return this.readyState === MockEventSource.CLOSED
  }

  close(): void {
    this.readyState = MockEventSource.CLOSED
  }

  /** The server accepted the stream. */
  open(): this {
    this.assertNotClosed('open')
    this.readyState = MockEventSource.OPEN
    this.dispatch(new Event('open'))
    return this
  }

  /** The server sent an event; data that is not a string is sent as JSON. */
  emit(data: unknown, { event = 'message', id }: EmitOptions = {}): this {
    this.assertNotClosed('emit')
    if (id !== undefined) this.lastEventId = id
    this.dispatch(
      new MessageEvent(event, {
        data: typeof data === 'string' ? data : JSON.stringify(data),
        lastEventId: this.lastEventId,
      }),
    )
    return this
  }

  /** The connection failed: by default the browser retries by itself; `close: true` gives up as after an HTTP error. */
  fail({ close = false, status }: FailOptions = {}): this {
    this.assertNotClosed('fail')
    this.readyState = close ? MockEventSource.CLOSED : MockEventSource.CONNECTING
    this.dispatch(Object.assign(new Event('error'), status === undefined ? {} : { status }))
    return this
  }

  /** As a browser does: to the listeners of the type, and to `onmessage`, `onopen` or `onerror` (server events named so included). */
  private dispatch(event: Event) {
    for (const listener of this.listeners.get(event.type) ?? []) listener(event as MessageEvent)
    const handler = { message: this.onmessage, open: this.onopen, error: this.onerror }[event.type]
    handler?.(event as MessageEvent)
  }

  private assertNotClosed(action: string) {
    if (this.closed)
      throw new Error(
        `MockEventSource.${action}(): the stream to ${this.url} is closed; the code under test closed it or it failed with close: true.`,
      )
  }
}
