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
 * also get the request headers, with the last event id as `Last-Event-ID`
 * (kept current for their own reconnects, as they read it at each), the
 * query parameter for it, and the polyfill's longest heartbeat timeout (its
 * 45 s default would tear quiet streams down); the native EventSource
 * ignores them all.
 *
 * A server event named `error` or `open` is dispatched like the
 * EventSource's own: it is a message (it has `data`), never a failure.
 */
export function eventSourceTransport(EventSourceClass: EventSourceConstructor): Transport {
  return ({ url, withCredentials, headers, lastEventId, lastEventIdParam }, handlers) => {
    const sent: Record<string, string> = { ...headers }
    const setId = (id: string) => {
      if (id) sent['Last-Event-ID'] = id
      else delete sent['Last-Event-ID'] // the server reset it
    }
    setId(lastEventId)
    const source = new EventSourceClass(url, {
      withCredentials,
      headers: sent,
      lastEventIdQueryParameterName: lastEventIdParam,
      heartbeatTimeout: 18e6,
    })
    const onMessage = (event: MessageEvent) => {
      if (!('data' in event)) return // the EventSource's own open or error event
      setId(event.lastEventId)
      handlers.message(event.type, event.data, event.lastEventId)
    }
    source.onopen = (event) => {
      if (!('data' in event)) handlers.open()
    }
    source.onerror = (event) => {
      if ('data' in event) return // a server event named error
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
