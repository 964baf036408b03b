import type { EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import type { Transport } from './types'

export interface TransportChoice {
  /** fetch: for a method, a body, or when asked for by name. */
  fetch?: boolean
  /** An explicit EventSource-compatible constructor. */
  EventSource?: EventSourceConstructor | undefined
  /** The polyfill is needed: for request headers, or for the HTTP status of a failure, which the native EventSource hides. */
  polyfill?: boolean
}

/**
 * The one place that decides how a stream is opened. Looks up the global
 * EventSource when called, never at import. The polyfill and fetch are
 * promises: their code is in chunks of their own, fetched only when needed.
 */
export function chooseTransport({ EventSource, polyfill, fetch }: TransportChoice): Transport | Promise<Transport> {
  if (fetch) return import('./fetch').then((module) => module.fetchTransport)
  const native = globalThis.EventSource as EventSourceConstructor | undefined
  if (EventSource || (native && !polyfill)) return eventSourceTransport(EventSource ?? (native as EventSourceConstructor))
  return import('./polyfill').then((module) => module.polyfillTransport)
}
