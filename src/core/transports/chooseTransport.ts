import type { ConnectionOptions, EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import type { Transport } from './types'

/**
 * The one place that decides how a stream is opened. Looks up the global
 * EventSource when called, never at import. The polyfill and fetch are
 * promises: their code is in chunks of their own, fetched only when needed.
 * `diagnose` asks for the polyfill, which reports the HTTP status of a
 * failure that the native EventSource hides.
 */
export function chooseTransport(
  { EventSource, headers, method = 'GET', body, transport }: ConnectionOptions,
  diagnose: boolean,
): Transport | Promise<Transport> {
  if (transport ? transport === 'fetch' : method !== 'GET' || body !== undefined) {
    return import('./fetch').then((module) => module.fetchTransport)
  }
  const native = globalThis.EventSource as EventSourceConstructor | undefined
  if (EventSource || (native && !headers && !diagnose)) return eventSourceTransport(EventSource ?? (native as EventSourceConstructor))
  return import('./polyfill').then((module) => module.polyfillTransport)
}
