import type { EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import { lazyTransport } from './lazyTransport'
import type { Transport } from './types'

const polyfillTransport = lazyTransport(() => import('./polyfill').then((module) => module.polyfillTransport))

export interface TransportChoice {
  /** An explicit EventSource-compatible constructor. */
  EventSource?: EventSourceConstructor | undefined
  /** The polyfill is needed: for request headers, or for the HTTP status of a failure, which the native EventSource hides. */
  polyfill?: boolean
}

/** The one place that decides how a stream is opened. Looks up the global EventSource when called, never at import. */
export function chooseTransport({ EventSource, polyfill }: TransportChoice): Transport {
  const native = globalThis.EventSource as EventSourceConstructor | undefined
  if (EventSource || (native && !polyfill)) return eventSourceTransport(EventSource ?? (native as EventSourceConstructor))
  return polyfillTransport
}
