import { EventSourceError } from '../EventSourceError'
import type { EventSourceConstructor } from '../types'
import type { Transport, TransportRequest } from './types'

/** The polyfill's longest heartbeat timeout: a quiet stream is not torn down every 45 s. */
const QUIET_STREAM_TIMEOUT_MS = 18_000_000

/** What the polyfill adds to its error events; the native EventSource tells nothing. */
interface ErrorDetails {
  status?: number
  headers?: { get(name: string): string | null }
  error?: unknown
}

function describeFailure({ url }: TransportRequest, closed: boolean, { status, headers, error }: ErrorDetails): EventSourceError {
  if (status === 200) {
    return new EventSourceError('content-type', `${url} answered ${headers?.get('Content-Type')}, not text/event-stream`, { status })
  }
  if (status) return new EventSourceError('http', `${url} answered HTTP ${status}`, { status })
  return new EventSourceError('network', closed ? `${url} refused the stream (HTTP error, wrong Content-Type or CORS)` : `${url}: connection lost`, {
    cause: error,
  })
}

/**
 * Adapts any EventSource-compatible constructor. Polyfill-like constructors
 * also get the request headers, with the last event id as `Last-Event-ID`;
 * the native EventSource ignores them.
 */
export function eventSourceTransport(EventSourceClass: EventSourceConstructor): Transport {
  return (request, handlers) => {
    const { url, withCredentials, headers, lastEventId } = request
    const source = new EventSourceClass(url, {
      withCredentials,
      headers: lastEventId ? { ...headers, 'Last-Event-ID': lastEventId } : headers,
      heartbeatTimeout: QUIET_STREAM_TIMEOUT_MS,
    })
    const types = new Set<string>()
    const onMessage = (event: MessageEvent) => handlers.message(event.type, event.data, event.lastEventId)
    source.onopen = () => handlers.open()
    source.onerror = (event) => {
      const closed = source.readyState === 2 // CLOSED: the transport gave up
      handlers.error(describeFailure(request, closed, event as ErrorDetails), closed)
    }
    return {
      listen(type) {
        if (types.has(type)) return
        types.add(type)
        source.addEventListener(type, onMessage)
      },
      close() {
        source.onopen = source.onerror = null
        for (const type of types) source.removeEventListener(type, onMessage)
        source.close()
      },
    }
  }
}
