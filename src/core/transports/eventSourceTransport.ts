import { environment } from '../environment'
import { EventSourceError } from '../EventSourceError'
import type { EventSourceConstructor } from '../types'
import type { Transport } from './types'

/** What the polyfill (and MockEventSource) add to their error events; the native EventSource tells nothing. */
interface ErrorDetails {
  status?: number
}

/**
 * Adapts any EventSource-compatible constructor. Constructors that take
 * headers (the polyfill, a user's class) get the request headers, with the
 * last event id as `Last-Event-ID` (kept current for their own reconnects, as
 * they read it at each; `encodeId` makes it a byte string for those that
 * send it through XHR or fetch), and `init`; the native EventSource ignores
 * them. Messages never show the url: it may carry a token.
 *
 * A server event named `error` or `open` is dispatched like the
 * EventSource's own: it is a message (it has `data`), never a failure.
 */
export function eventSourceTransport(
  EventSourceClass: EventSourceConstructor,
  init?: Record<string, unknown>,
  encodeId = (id: string) => id,
): Transport {
  return ({ url, withCredentials, headers, lastEventId }, handlers) => {
    // The browser's EventSource ignores headers: nothing to keep current per event.
    const takesHeaders = EventSourceClass !== environment.EventSource
    const sent: Record<string, string> = { ...headers }
    const setId = (id: string) => {
      if (id) sent['Last-Event-ID'] = encodeId(id)
      else delete sent['Last-Event-ID'] // the server reset it
    }
    setId(lastEventId)
    const source = new EventSourceClass(url, { withCredentials, headers: sent, ...init })
    /** Closed: a user's class (or the polyfill) may still dispatch; nothing more is said. */
    let closed = false
    const onMessage = (event: MessageEvent) => {
      if (closed || !('data' in event)) return // or the EventSource's own open or error event
      if (takesHeaders) setId(event.lastEventId)
      handlers.message(event.type, event.data, event.lastEventId)
    }
    source.onopen = (event) => {
      if (!closed && !('data' in event)) handlers.open()
    }
    source.onerror = (event) => {
      if (closed || 'data' in event) return // or a server event named error
      const { status } = event as ErrorDetails
      const gaveUp = source.readyState === 2 // CLOSED: it will not retry by itself
      let error = new EventSourceError('network', gaveUp ? 'failed' : 'connection lost', { status })
      if (status === 200) error = new EventSourceError('content-type', 'not text/event-stream', { status })
      else if (status) error = new EventSourceError('http', `HTTP ${status}`, { status })
      handlers.error(error, gaveUp)
    }
    return {
      listen: (type) => source.addEventListener(type, onMessage),
      close() {
        closed = true
        source.close()
      },
    }
  }
}
