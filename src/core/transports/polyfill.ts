import { EventSourcePolyfill } from 'event-source-polyfill'
import type { EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'

/** event-source-polyfill: for browsers without EventSource, and for requests with headers. A chunk of its own, loaded on demand. */
export const polyfillTransport = eventSourceTransport(EventSourcePolyfill as unknown as EventSourceConstructor)
