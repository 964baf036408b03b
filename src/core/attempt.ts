import { EventSourceError } from './EventSourceError'
import { chooseTransport } from './transports/chooseTransport'
import type { Transport, TransportHandle, TransportHandlers, TransportRequest } from './transports/types'
import type { ConnectionOptions } from './types'

/** One try at opening a stream. */
export interface Attempt {
  /** The transport's name (see `Choice`). */
  readonly via: string
  /** Whether the transport began: false while its chunk loads, and for good when the chunk failed to load. */
  readonly began: boolean
  /** Receives events of this type too. */
  listen(type: string): void
  /** Stops the transport, which says nothing more. */
  close(): void
}

/**
 * One attempt: chooses the transport (`native`: whether a plain GET stream
 * may use the browser's EventSource), loads its chunk if need be, asks for
 * the request (headers are fresh right before it is sent) and begins. An
 * attempt closed before its chunk loaded never begins, so that a superseded
 * attempt never reaches the stream (a transport says nothing once closed). A
 * failure to begin is a failure of the attempt, so that the policy applies.
 */
export function beginAttempt(
  options: ConnectionOptions,
  native: boolean,
  request: () => TransportRequest,
  types: Iterable<string>,
  handlers: TransportHandlers,
): Attempt {
  let closed = false
  let handle: TransportHandle | undefined
  const fail = (cause: unknown) => {
    if (!closed) handlers.error(new EventSourceError('network', String(cause), { cause }), true)
  }
  const begin = (transport: Transport) => {
    if (closed) return
    try {
      handle = transport(request(), handlers)
      attempt.began = true
      for (const type of types) handle.listen(type)
    } catch (cause) {
      // Told after this function returned, so that the connection knows this attempt (and its transport) by then.
      queueMicrotask(() => fail(cause))
    }
  }
  const choice = chooseTransport(options, native)
  const attempt = {
    via: choice.name,
    began: false,
    listen: (type: string) => handle?.listen(type),
    close() {
      closed = true
      handle?.close()
    },
  }
  // A chunk that failed to load may fail for good (a deploy removed it): the attempt fails, and the policy decides.
  if (choice.transport instanceof Promise) choice.transport.then(begin, fail)
  else begin(choice.transport)
  return attempt
}

/** What a failed attempt tells of the next one. */
export interface Failure {
  /** The attempt had opened: the stream ended or dropped, rather than failed. */
  opened: boolean
  /** The HTTP status, where the transport knows it. */
  status?: number | undefined
  /** The stream's position, which the next attempt must resume from. */
  lastEventId: string
  /** The stream's url is of the page's origin: no preflight. */
  sameOrigin: boolean
}

/**
 * Which transport a plain GET stream's next attempt takes. The browser's
 * EventSource for the first attempt of a start with no id to resume from.
 * Every attempt the library makes itself goes through fetch, which sends the
 * last event id (as its UTF-8 bytes, as browsers do) and learns the HTTP
 * status that the browser's EventSource hides (a 204, a 401 and a 502 look
 * alike there); except after a fetch attempt that got no answer from a server
 * that never answered fetch: a cross-origin server may refuse the preflight a
 * Last-Event-ID header needs, and the browser's EventSource, which sends no
 * preflight, may get through. With an id to resume from, only then: a
 * same-origin request needs no preflight (no answer means the server or the
 * network), and a fetch whose chunk did not load says nothing of the server;
 * the browser's EventSource could not send the id. Once the server answered
 * fetch, no answer means the network, and fetch goes on sending the id.
 */
export function createTransportMemory() {
  /** The next attempt is the first of a start (or of a tab that takes over). */
  let fresh = true
  /** fetch got no answer from a server that never answered it. */
  let refused = false
  /** The server answered fetch once: an HTTP status, or the open. */
  let answeredFetch = false
  return {
    /** A start, or a tab taking over: it resumes from its own position. */
    restart() {
      fresh = true
      refused = false
    },
    /** Whether the next attempt may be the browser's EventSource. */
    native: (lastEventId: string) => (fresh && !lastEventId) || refused,
    /** The attempt's server answered: it opened, or said an HTTP status. */
    answered(attempt: Attempt | undefined) {
      if (attempt?.via === 'fetch') answeredFetch = true
    },
    /** The attempt failed; the next is the library's. */
    failed(attempt: Attempt | undefined, { opened, status, lastEventId, sameOrigin }: Failure) {
      fresh = false
      const preflight = !lastEventId || (attempt?.began === true && !sameOrigin)
      refused = attempt?.via === 'fetch' && preflight && !opened && status === undefined && !answeredFetch
    },
  }
}
