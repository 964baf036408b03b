import { MockEventSource } from '../src/testing'
import { format } from '../test/support/sse.ts'
import { type ConnectionCount, connectionCounter, routes } from './demoStreams.ts'

/**
 * A static Storybook build has no server, so the demo endpoints do not
 * exist. This EventSource plays the same demo streams in the page instead,
 * with the browser's semantics: `open`, events, a reconnect after the stream
 * ends, and, for a refused stream, an error carrying the status (as the
 * polyfill reports it) that closes the source. Streams with headers never get
 * here: the hook sends them through the polyfill, which uses `fetch` below.
 */

/** The streams the page plays now, per `key` query value: what `/sse/connections` reports here, with no server to ask. */
const connections = connectionCounter()
class DemoEventSource extends MockEventSource {
  private readonly abort = new AbortController()

  constructor(url: string | URL, init?: EventSourceInit) {
    super(new URL(url, location.href).href, init)
    MockEventSource.reset() // it records every instance: nothing here reads them
    setTimeout(() => void this.play())
  }

  override close() {
    super.close()
    this.abort.abort()
  }

  private async play(lastEventId = 0) {
    if (this.closed) return
    const url = new URL(this.url)
    const route = routes[url.pathname]
    const response = route
      ? route({ query: url.searchParams, body: '', lastEventId, authorization: undefined, signal: this.abort.signal })
      : { status: 404 }
    if ('status' in response) {
      this.fail({ close: true, status: response.status })
      return
    }
    this.open()
    const uncount = connections.add(url.searchParams.get('key'))
    try {
      for await (const { event, id, data } of response.events) {
        if (this.closed) return
        if (id !== undefined) lastEventId = id
        this.emit(data, { event, id: id === undefined ? undefined : String(id) })
      }
    } finally {
      uncount()
    }
    if (this.closed) return
    // The stream ended: reconnect as a browser would.
    this.fail()
    setTimeout(() => void this.play(lastEventId), response.retry ?? 1000)
  }
}

/** fetch, answering the demo routes and `/sse/connections` in the page (for the streams that need a POST, and the stories that count connections), passing anything else on. */
function demoFetch(realFetch: typeof fetch): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href)
    if (url.pathname === '/sse/connections') {
      const count: ConnectionCount = { open: connections.count(url.searchParams.get('key')), counter: 'page' }
      return Response.json(count)
    }
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
        const uncount = connections.add(url.searchParams.get('key'))
        try {
          for await (const event of response.events) controller.enqueue(encoder.encode(format(event)))
          controller.close()
        } finally {
          uncount()
        }
      },
    })
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
  }
}

let installed: Promise<void> | undefined

/** Installs the in-page streams when the page was not served with the demo endpoints; once, however often it is called. */
export function installStaticFallback(): Promise<void> {
  installed ??= fetch('/sse/connections')
    .then((response) => response.ok && (response.headers.get('Content-Type') ?? '').includes('json'))
    .catch(() => false)
    .then((served) => {
      if (!served) Object.assign(globalThis, { EventSource: DemoEventSource, fetch: demoFetch(globalThis.fetch) })
    })
  return installed
}
