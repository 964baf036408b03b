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
