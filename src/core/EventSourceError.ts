/**
 * What went wrong:
 * - `url`: the url is invalid or not http(s); nothing was opened
 * - `network`: the connection failed or dropped without an HTTP status
 * - `http`: the server answered a status other than 200 (`status` says which)
 * - `content-type`: the server answered 200 with something other than `text/event-stream`
 * - `parse`: one event's data could not be parsed (`raw` holds it); the stream stays open
 */
export type EventSourceErrorKind = 'url' | 'network' | 'http' | 'content-type' | 'parse'

/** What an `EventSourceError` knows besides its kind and message. */
export interface EventSourceErrorDetails {
  /** The HTTP status, where the transport knows it. */
  status?: number
  /** The data text of the event that failed to parse. */
  raw?: string
  /** The underlying exception. */
  cause?: unknown
}

/** A failure of the stream or of one event, as reported in `error` and to `onError`. */
export class EventSourceError extends Error {
  /** What went wrong; see `EventSourceErrorKind`. */
  declare readonly kind: EventSourceErrorKind
  /** The HTTP status, where the transport knows it (the polyfill does, the native EventSource does not). */
  declare readonly status?: number
  /** The data text of the event that failed to parse (`kind: 'parse'`). */
  declare readonly raw?: string

  constructor(kind: EventSourceErrorKind, message: string, details?: EventSourceErrorDetails) {
    super(message, details)
    Object.assign(this, details, { kind, name: 'EventSourceError' })
  }
}
