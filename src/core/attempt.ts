import { EventSourceError } from './EventSourceError'
import { RECONNECTION_TIME } from './policy'
import { after } from './timers'
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

/** A deadline for the response's headers, and what to do when it passes. */
export interface AnswerDeadline {
  /** How long the attempt may wait for its answer, in ms (asked again for each of the browser's retries). */
  within(): number
  /** Called, once the transport is closed, with how long the attempt waited in ms. */
  missed(waited: number): void
}

/**
 * One attempt: chooses the transport (`native`: whether a plain GET stream
 * may use the browser's EventSource), loads its chunk if need be, asks for
 * the request (headers are fresh right before it is sent) and begins. An
 * attempt closed before its chunk loaded never begins, so that a superseded
 * attempt never reaches the stream (a transport says nothing once closed). A
 * failure to begin is a failure of the attempt, so that the policy applies.
 *
 * With a `deadline`, the attempt is given up when its answer does not come
 * in time: the transport is closed (so that the browser drops its socket)
 * and `deadline.missed` is called. Where the browser's EventSource retries by
 * itself, each of its retries gets the same time, after its reconnection time.
 */
export function beginAttempt(
  options: ConnectionOptions,
  native: boolean,
  request: () => TransportRequest,
  types: Iterable<string>,
  handlers: TransportHandlers,
  deadline?: AnswerDeadline,
): Attempt {
  let closed = false
  let handle: TransportHandle | undefined
  let reconnectionTime = RECONNECTION_TIME
  let cancelDeadline: (() => void) | undefined
  const fail = (cause: unknown) => {
    if (!closed) handlers.error(new EventSourceError('network', String(cause), { cause }), true)
  }
  /** Waits for an answer, `extra` ms more than the deadline's (the browser's own reconnection time). */
  const awaitAnswer = (extra = 0) => {
    cancelDeadline?.()
    if (!deadline) return
    const waited = extra + deadline.within()
    cancelDeadline = after(waited, () => {
      attempt.close()
      deadline.missed(waited)
    })
  }
  const watched: TransportHandlers = {
    ...handlers,
    open() {
      cancelDeadline?.()
      handlers.open()
    },
    error(error, gaveUp) {
      if (gaveUp) cancelDeadline?.()
      else awaitAnswer(reconnectionTime)
      handlers.error(error, gaveUp)
    },
    retry(ms) {
      reconnectionTime = ms
      handlers.retry(ms)
    },
  }
  const begin = (transport: Transport) => {
    if (closed) return
    try {
      handle = transport(request(), deadline ? watched : handlers)
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
      cancelDeadline?.()
      handle?.close()
    },
  }
  awaitAnswer() // the chunk's load counts too: it may come over the same dead network
  // A chunk that failed to load may fail for good (a deploy removed it): the attempt fails, and the policy decides.
  if (choice.transport instanceof Promise) choice.transport.then(begin, fail)
  else begin(choice.transport)
  return attempt
}
