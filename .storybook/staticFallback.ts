import { format, routes } from './demoStreams.ts'

/**
 * A static Storybook build has no server, so the demo endpoints do not
 * exist. This EventSource plays the same demo streams in the page instead,
 * with the browser's semantics: `open`, events, a reconnect after the stream
 * ends, and, for a refused stream, an error carrying the status (as the
 * polyfill reports it) that closes the source.
 */
export class DemoEventSource extends EventTarget {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  readyState = DemoEventSource.CONNECTING
  onopen: ((event: Event) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  onmessage: ((event: MessageEvent) => void) | null = null
  readonly url: string
  readonly withCredentials: boolean
  private readonly abort = new AbortController()
  private readonly headers: Record<string, string>
  private lastEventId = ''

  constructor(url: string | URL, init: EventSourceInit & { headers?: Record<string, string> } = {}) {
    super()
    this.url = new URL(url, location.href).href
    this.withCredentials = Boolean(init.withCredentials)
    this.headers = init.headers ?? {}
    setTimeout(() => this.connect())
  }

  close() {
    this.readyState = DemoEventSource.CLOSED
    this.abort.abort()
  }

  private fire(event: Event, handler: ((event: never) => void) | null) {
    this.dispatchEvent(event)
    handler?.(event as never)
  }

  private async connect() {
    if (this.readyState === DemoEventSource.CLOSED) return
    const url = new URL(this.url)
    const route = routes[url.pathname]
    const response = route
      ? route({
          query: url.searchParams,
          body: '',
          lastEventId: Number(this.lastEventId) || 0,
          authorization: this.headers.Authorization,
          signal: this.abort.signal,
        })
      : { status: 404 }
    if ('status' in response) {
      this.readyState = DemoEventSource.CLOSED
      return this.fire(Object.assign(new Event('error'), { status: response.status }), this.onerror)
    }
    this.readyState = DemoEventSource.OPEN
    this.fire(new Event('open'), this.onopen)
    for await (const { event = 'message', id, data } of response.events) {
      if (this.readyState === DemoEventSource.CLOSED) return
      if (id !== undefined) this.lastEventId = String(id)
      const message = new MessageEvent(event, { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId: this.lastEventId })
      this.fire(message, event === 'message' ? this.onmessage : null)
    }
    if (this.readyState === DemoEventSource.CLOSED) return
    // The stream ended: reconnect as a browser would.
    this.readyState = DemoEventSource.CONNECTING
    this.fire(new Event('error'), this.onerror)
    setTimeout(() => this.connect(), response.retry ?? 1000)
  }
}

/** fetch, answering the demo routes in the page (for the streams that need a POST) and passing anything else on. */
function demoFetch(realFetch: typeof fetch): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href)
    const route = routes[url.pathname]
    if (!route) return realFetch(input, init)
    const signal = init.signal ?? new AbortController().signal
    const headers = new Headers(init.headers)
    const response = route({
      query: url.searchParams,
      body: typeof init.body === 'string' ? init.body : '',
      lastEventId: Number(headers.get('Last-Event-ID')) || 0,
      authorization: headers.get('Authorization') ?? undefined,
      signal,
    })
    if ('status' in response) return new Response(response.body ?? null, { status: response.status })
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const event of response.events) controller.enqueue(encoder.encode(format(event)))
        controller.close()
      },
    })
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
  }
}

/** Installs the in-page streams when the page was not served with the demo endpoints. */
export async function installStaticFallback(): Promise<void> {
  const served = await fetch('/sse/connections')
    .then((response) => response.ok && (response.headers.get('Content-Type') ?? '').includes('json'))
    .catch(() => false)
  if (!served) Object.assign(globalThis, { EventSource: DemoEventSource, fetch: demoFetch(globalThis.fetch) })
}
