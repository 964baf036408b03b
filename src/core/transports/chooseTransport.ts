import type { ConnectionOptions, EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import type { Transport } from './types'

/** Whether the stream's request is a GET: the method, else POST with a body. */
export const isGet = ({ method, body }: ConnectionOptions) => (method ? method === 'GET' : body === undefined)

/**
 * The one place that decides how a stream is opened:
 * - fetch with eventsource-parser for whatever EventSource cannot do: a method or a body, request headers,
 *   and (unless `native`) an attempt the library makes itself, which sends the last event id and learns the
 *   HTTP status;
 * - the user's EventSource class, when given;
 * - the browser's EventSource for plain GET streams;
 * - event-source-polyfill only where there is no EventSource at all (legacy browsers).
 * Looks up the global EventSource when called, never at import. fetch and the polyfill are promises: their
 * code is in chunks of their own, fetched only when needed.
 */
export function chooseTransport(options: ConnectionOptions, native: boolean): Transport | Promise<Transport> {
  const { EventSource, headers, transport } = options
  const Native = globalThis.EventSource as EventSourceConstructor | undefined
  const viaFetch = transport
    ? transport === 'fetch'
    : !isGet(options) || (!EventSource && Native && (headers || !native))
  if (viaFetch) return import('./fetch').then((module) => module.fetchTransport)
  if (EventSource || Native) return eventSourceTransport((EventSource ?? Native) as EventSourceConstructor)
  return import('./polyfill').then((module) => module.polyfillTransport)
}
