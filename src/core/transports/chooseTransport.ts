import type { EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import { lazyTransport } from './lazyTransport'
import type { Transport } from './types'

const polyfillTransport = lazyTransport(() => import('./polyfill').then((module) => module.polyfillTransport))

export interface TransportChoice {
  /** An explicit EventSource-compatible constructor. */
  EventSource?: EventSourceConstructor | undefined
  /** Request headers are asked for: the native EventSource cannot send them. */
  headers?: boolean
}

/** The one place that decides how a stream is opened. Looks up the global EventSource when called, never at import. */
export function chooseTransport({ EventSource, headers }: TransportChoice): Transport {
  const native = globalThis.EventSource as EventSourceConstructor | undefined
  if (EventSource || (native && !headers)) return eventSourceTransport(EventSource ?? (native as EventSourceConstructor))
  return polyfillTransport
}
