import type { EventSourceError } from '../EventSourceError'

/** What a transport needs to open one stream. */
export interface TransportRequest {
  /** Absolute http(s) url. */
  url: string
  withCredentials?: boolean | undefined
  /** The last event id seen, sent with the request where the transport can send headers (`''` when none). */
  lastEventId: string
  /** The query parameter the polyfill puts the last event id in on its own reconnects. */
  lastEventIdParam?: string | undefined
  /** Extra request headers; only the polyfill and fetch transports can send them. */
  headers: Record<string, string> | undefined
  /** For fetch: the HTTP method (default GET, or POST with a body). */
  method?: string | undefined
  /** For fetch: a string as is, anything else as JSON. */
  body?: string | object | undefined
}

/** How a transport reports back: from its creation until it is closed, and never after. */
export interface TransportHandlers {
  open(): void
  message(type: string, data: string, id: string): void
  /** `closed`: the transport gave up and will not retry by itself (HTTP error, wrong content type, 204). */
  error(error: EventSourceError, closed: boolean): void
  /** The server ended the response normally (fetch only: EventSource reconnects by itself). */
  end(): void
  /** The stream set the last event id, with or without an event (fetch only: EventSource hides id-only events). */
  id(id: string): void
  /** The server's `retry:` field, in ms (fetch only: EventSource keeps it to itself). */
  retry(ms: number): void
  /** Bytes arrived, mid-event or mid-comment (a heartbeat): the connection is alive (fetch only: EventSource hides them). */
  bytes(): void
}

/** A live transport: `close` stops it for good; `listen` adds a named event type to receive. */
export interface TransportHandle {
  close(): void
  listen(type: string): void
}

export type Transport = (request: TransportRequest, handlers: TransportHandlers) => TransportHandle
