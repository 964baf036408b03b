import { type Attempt, beginAttempt, createTransportMemory, type Failure } from './attempt'
import type { ConnectionState, Input } from './connectionTypes'
import { environment } from './environment'
import { EventSourceError } from './EventSourceError'
import type { Liveness } from './liveness'
import { decide, isGet, RECONNECTION_TIME } from './policy'
import { after, now } from './timers'
import type { TransportHandlers } from './transports/types'
import type { ConnectionOptions } from './types'

/** What a runner takes from its connection. */
export interface RunnerSide {
  readonly url: string | URL
  /** The options of the longest-subscribed hook, read at every attempt. */
  options(): ConnectionOptions
  /** The event types the stream listens to. */
  readonly types: ReadonlySet<string>
  /** The stream's position, and its move to an id the transport reports on its own. */
  lastEventId(): string
  moveTo(lastEventId: string): void
  state(): ConnectionState
  dispatch(input: Input): void
  deliver(type: string, data: string, id: string): void
  /** The liveness clock, once its chunk has loaded. */
  liveness(): Liveness | undefined
}

/** The attempts of the tab that runs a stream, one after another (see `createRunner`). */
export interface Runner {
  /** Begins an attempt now, dropping the current one and any pending retry. */
  begin(): void
  /** Drops the attempt, the pending retry and the liveness clock. */
  stop(): void
  /** Stopped for good, as asked: a 204, the complete answer to a POST, or `close()`. */
  finish(): void
  /** The attempt failed, the stream ended, went silent, or got no answer in time: the policy decides. */
  retry(error: EventSourceError, how?: { silent?: boolean; waited?: number }): void
  /** The current attempt listens to one more event type (the next ones listen to every type of the stream). */
  listen(type: string): void
  /** The next attempt's transport is chosen afresh, as for a stream's first. */
  restart(): void
  /** When (`now()`) the current attempt began, while it waits for its answer; `undefined` when none waits. */
  waitingSince(): number | undefined
  /** Whether one of the policy's retries is pending. */
  retrying(): boolean
  /** The transport of the current (or last) attempt, or what stands in for it (the devtools show it). */
  via: string | undefined
}

function resolveUrl(url: string | URL): URL | EventSourceError {
  try {
    const resolved = new URL(url, environment.location?.href)
    if (/^https?:$/.test(resolved.protocol)) return resolved
  } catch {}
  return new EventSourceError('url', 'not an http(s) url') // never shown: it may carry a token
}

/**
 * Runs a stream's attempts in the tab that runs it: begins each through
 * `beginAttempt`, turns what its transport says into the connection's
 * inputs, and asks the one reconnect policy what follows a failure. The
 * browser's own retries are left to it; what it cannot do (a status it
 * hides, headers from a function, a position to resume from natively) the
 * runner does with the next attempt.
 */
export function createRunner(side: RunnerSide): Runner {
  let current: Attempt | undefined
  let cancelRetry: (() => void) | undefined
  /** The server's `retry:` value, where the transport reports it. */
  let serverRetry = 0
  /** The current attempt opened: its end is a reconnection, not a failure, so it waits the reconnection time. */
  let opened = false
  /** When the current attempt began (`now()`). */
  let began = 0
  /** The current attempt waits for an answer: its first, or one of the browser's own retries within it. */
  let waiting = false
  /** Resolved once, as EventSource does: a retry after a client-side navigation goes to the same place. */
  let resolved: URL | EventSourceError | undefined
  /** Which transport the next attempt takes (see `createTransportMemory`). */
  const next = createTransportMemory()

  function stop() {
    current?.close()
    cancelRetry?.()
    side.liveness()?.stop()
    current = cancelRetry = undefined
    waiting = false
  }

  function finish() {
    stop()
    side.dispatch({ type: 'finished' })
  }

  /** What the transport of an attempt says, as the connection's inputs. */
  function handlersFor(options: ConnectionOptions): TransportHandlers {
    return {
      open() {
        opened = true
        waiting = false
        next.answered(current)
        side.liveness()?.start()
        side.dispatch({ type: 'opened' })
      },
      message(type, data, id) {
        side.liveness()?.heard()
        side.deliver(type, data, id)
      },
      id: side.moveTo, // only fetch reports ids on their own
      retry(ms) {
        serverRetry = ms // the server's wish, whichever of its responses said it
      },
      bytes: () => side.liveness()?.heard(),
      error(error, gaveUp) {
        if (error.status !== undefined) next.answered(current)
        // The transport retries by itself, unless headers come from a function (asked afresh at each attempt).
        if (!gaveUp && typeof options.headers !== 'function') {
          waiting = true
          // The browser retries after its reconnection time; the answer may not come (a dead socket).
          side.liveness()?.awaitAnswer(serverRetry || RECONNECTION_TIME)
          side.dispatch({ type: 'lost', error })
        } else if (error.status === 204) finish()
        else if (current?.via === 'native' && !opened && error.status === undefined && options.reconnect !== false)
          diagnose(error)
        else retry(error)
      },
      end() {
        // The answer to a POST (an LLM's) is complete: sending it again would ask again. A GET stream resumes.
        if (isGet(options)) retry(new EventSourceError('network', 'the stream ended'))
        else finish()
      },
    }
  }

  function begin() {
    stop()
    opened = false
    waiting = true
    began = now()
    resolved ??= resolveUrl(side.url)
    if (resolved instanceof EventSourceError) return side.dispatch({ type: 'gaveUp', error: resolved })
    const href = new URL(resolved)
    const options = side.options()
    const { headers, lastEventIdParam } = options
    const lastEventId = side.lastEventId()
    if (lastEventIdParam && lastEventId) href.searchParams.set(lastEventIdParam, lastEventId)
    // Headers are asked for right before the request, so that a token is as fresh as can be.
    const request = () => ({
      ...options,
      url: href.href,
      lastEventId: side.lastEventId(),
      headers: typeof headers === 'function' ? headers() : headers,
    })
    current = beginAttempt(options, next.native(lastEventId), request, side.types, handlersFor(options))
    runner.via = current.via
    // A GET stream's attempt that gets no answer in time is presumed to wait on a dead socket (see `answerWithin`).
    side.liveness()?.awaitAnswer()
  }

  /** What the failure of the current attempt tells of the next one. */
  function failure(opened: boolean, { status }: EventSourceError): Failure {
    const sameOrigin = resolved instanceof URL && resolved.origin === environment.location?.origin
    return { opened, status, lastEventId: side.lastEventId(), sameOrigin }
  }

  function retry(error: EventSourceError, { silent = false, waited = 0 } = {}) {
    if (waited) opened = false // this attempt (or the browser's retry within it) never opened
    next.failed(current, failure(opened, error))
    stop() // an attempt with no answer drops its socket: the browser must not reuse it
    const attempt = opened ? 0 : side.state().attempt
    const delay = decide(error, side.options(), { attempt, opened, serverRetry, silent, waited })
    if (delay === undefined) return side.dispatch({ type: 'gaveUp', error })
    cancelRetry = after(delay, begin)
    // Last: a listener told of this (onError) may call reconnect() or close, which must find the retry in place.
    side.dispatch({ type: 'retrying', error, attempt: attempt + 1, retryAt: now() + delay })
  }

  /**
   * The browser's EventSource refused a stream without saying why (a 404, a 401, a page served instead, a server
   * down all look alike there): fetch asks at once and learns why, so that the first failure the hooks see is its
   * diagnosis, not a "failed" that a retry later explains. The policy decides on what fetch learns.
   */
  function diagnose(error: EventSourceError) {
    next.failed(current, failure(false, error))
    begin()
  }

  const runner: Runner = {
    begin,
    stop,
    finish,
    retry,
    listen: (type) => current?.listen(type),
    restart: next.restart,
    waitingSince: () => (current && waiting ? began : undefined),
    retrying: () => !!cancelRetry,
    via: undefined,
  }
  return runner
}
