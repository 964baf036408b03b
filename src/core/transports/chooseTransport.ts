import { environment } from '../environment'
import { isGet } from '../policy'
import type { ConnectionOptions } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import type { Transport } from './types'

/** A transport, named as the devtools show it; chunks of their own are promises. */
export interface Choice {
  /** `native`, `fetch`, `polyfill`, or the name of the user's EventSource class. */
  name: string
  transport: Transport | Promise<Transport>
}

/** The fetch transport's chunk: loaded when a stream opens natively too, so that a recovery needs no code from a connection that may be dead. */
export const loadFetch = () => import('./fetch').then((module) => module.fetchTransport)

/**
 * The one place that decides how a stream is opened:
 * - fetch with eventsource-parser for whatever EventSource cannot do: a method or a body, request headers,
 *   and (unless `native`) an attempt the library makes itself, which sends the last event id and learns the
 *   HTTP status;
 * - the user's EventSource class, when given;
 * - the browser's EventSource for plain GET streams;
 * - event-source-polyfill only where there is no EventSource at all (legacy browsers).
 * Looks up the environment's EventSource when called, never at import. fetch and the polyfill are promises: their
 * code is in chunks of their own, fetched only when needed.
 */
export function chooseTransport(options: ConnectionOptions, native: boolean): Choice {
  const { EventSource, headers, transport } = options
  const Native = environment.EventSource
  const viaFetch = transport
    ? transport === 'fetch'
    : !isGet(options) || (!EventSource && Native && (headers || !native))
  if (viaFetch) return { name: 'fetch', transport: loadFetch() }
  if (EventSource) return { name: EventSource.name || 'EventSource', transport: eventSourceTransport(EventSource) }
  if (Native) return { name: 'native', transport: eventSourceTransport(Native) }
  return { name: 'polyfill', transport: import('./polyfill').then((module) => module.polyfillTransport) }
}
