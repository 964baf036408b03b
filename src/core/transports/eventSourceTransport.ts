import { EventSourceError } from '../EventSourceError'
import type { EventSourceConstructor } from '../types'
import type { Transport } from './types'

/** What the polyfill adds to its error events; the native EventSource tells nothing. */
interface ErrorDetails {
  status?: number
  headers?: { get(name: string): string | null }
  error?: unknown
}

/**
 * Adapts any EventSource-compatible constructor. Polyfill-like constructors
 * also get the request headers, with the last event id as `Last-Event-ID`,
 * and the polyfill's longest heartbeat timeout (its 45 s default would tear
 * quiet streams down); the native EventSource ignores both.
 */
export function eventSourceTransport(EventSourceClass: EventSourceConstructor): Transport {
  return ({ url, withCredentials, headers, lastEventId }, handlers) => {
    const source = new EventSourceClass(url, {
      withCredentials,
      headers: lastEventId ? { ...headers, 'Last-Event-ID': lastEventId } : headers,
      heartbeatTimeout: 18e6,
    })
    const onMessage = (event: MessageEvent) => handlers.message(event.type, event.data, event.lastEventId)
    source.onopen = handlers.open
    source.onerror = (event) => {
      const { status, headers, error } = event as ErrorDetails
      const closed = source.readyState === 2 // CLOSED: it gave up and will not retry by itself
      const [kind, reason] =
        status === 200
          ? (['content-type', `${headers?.get('Content-Type')} is not text/event-stream`] as const)
          : status
            ? (['http', `HTTP ${status}`] as const)
            : (['network', closed ? 'refused' : 'connection lost'] as const)
      handlers.error(new EventSourceError(kind, `${url}: ${reason}`, { status, cause: error }), closed)
    }
    // Superseded sources are silenced by the connection; closing is all that is left to do.
    return { listen: (type) => source.addEventListener(type, onMessage), close: () => source.close() }
  }
}
