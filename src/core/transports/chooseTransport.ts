import type { EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import type { Transport } from './types'

export interface TransportChoice {
  /** An explicit EventSource-compatible constructor. */
  EventSource?: EventSourceConstructor | undefined
  /** The polyfill is needed: for request headers, or for the HTTP status of a failure, which the native EventSource hides. */
  polyfill?: boolean
}

/**
 * The one place that decides how a stream is opened. Looks up the global
 * EventSource when called, never at import. The polyfill is a promise: its
 * code is a chunk of its own that modern browsers fetch only when needed.
 */
export function chooseTransport({ EventSource, polyfill }: TransportChoice): Transport | Promise<Transport> {
  const native = globalThis.EventSource as EventSourceConstructor | undefined
  if (EventSource || (native && !polyfill)) return eventSourceTransport(EventSource ?? (native as EventSourceConstructor))
  return import('./polyfill').then((module) => module.polyfillTransport)
}
