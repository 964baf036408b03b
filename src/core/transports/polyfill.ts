import { EventSourcePolyfill } from 'event-source-polyfill'
import { byteString } from '../byteString'
import type { EventSourceConstructor } from '../types'
import { eventSourceTransport } from './eventSourceTransport'
import type { Transport } from './types'

/**
 * event-source-polyfill, for browsers without EventSource (a user's `headers` and the last event id go out as headers). A chunk of its own, loaded on demand. Its own
 * reconnects put the last event id in a query parameter (`lastEventIdParam`, else `lastEventId`); its 45 s
 * heartbeat timeout, which would tear quiet streams down, is raised to its maximum.
 */
export const polyfillTransport: Transport = (request, handlers) =>
  eventSourceTransport(
    EventSourcePolyfill as unknown as EventSourceConstructor,
    { heartbeatTimeout: 18e6, lastEventIdQueryParameterName: request.lastEventIdParam },
    byteString, // it sends headers through XHR
  )(request, handlers)
