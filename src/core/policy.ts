import type { EventSourceError } from './EventSourceError'
import type { ConnectionOptions } from './types'

export interface ReconnectDelayOptions {
  /**
   * Delay scale of the first attempt, in ms.
   * @default 1000
   */
  base?: number
  /**
   * Longest delay, in ms.
   * @default 30000
   */
  cap?: number
  /**
   * Source of randomness in [0, 1).
   * @default Math.random
   */
  random?: () => number
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from
 * [0, min(cap, base * 2^(attempt - 1))). Jitter spreads the clients of a
 * restarted server over the window instead of bringing them back at once.
 * `attempt` counts from 1.
 */
export function reconnectDelay(
  attempt: number,
  { base = 1000, cap = 30_000, random = Math.random }: ReconnectDelayOptions = {},
): number {
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}

/** How long to wait before reopening a stream that was open and ended, as browsers do (the spec's reconnection time). */
export const RECONNECTION_TIME = 3000

/** Whether the stream's request is a GET: the method, else POST with a body. */
export const isGet = ({ method, body }: ConnectionOptions) => (method ? method === 'GET' : body === undefined)

/** What the policy knows of the stream besides the failure. */
export interface History {
  /** Retries since the stream last opened (the one to decide excluded). */
  attempt: number
  /** The failed attempt had opened: the stream ended rather than failed, and waits the reconnection time. */
  opened: boolean
  /** The server's `retry:` value in ms (0 when it sent none): no retry is sooner, but for a silent stream. */
  serverRetry: number
  /** The stream went silent (liveness): the server did not end it, so it is recreated at once. */
  silent: boolean
  /** How long the failed attempt waited for an answer that never came, in ms: the wait counts towards the backoff. */
  waited: number
}

/** Failures that retrying cannot fix: another content type (the spec fails the connection), a 4xx but 408 and 429. */
export function isFatal({ kind, status = 0 }: EventSourceError): boolean {
  return kind === 'content-type' || (status >= 400 && status < 500 && status !== 408 && status !== 429)
}

/**
 * The one reconnect policy, for every stream (and, across tabs, for the
 * leader's): whether a failed stream is tried again, and when. A stream whose
 * request is not a GET is an answer, asked again only when the user says so.
 * A stream that was open and ended waits the reconnection time (plus jitter,
 * so that the clients of a restarted server do not come back together);
 * failures back off exponentially; a silent stream is recreated at once.
 * Returns the delay in ms before the next attempt, or `undefined` to give up
 * (the status becomes `error`).
 */
export function decide(failure: EventSourceError, options: ConnectionOptions, history: History): number | undefined {
  const { reconnect = isGet(options) } = options
  const { retries = Infinity, delay } = typeof reconnect === 'object' ? reconnect : {}
  if (!reconnect || isFatal(failure) || history.attempt >= retries) return undefined
  const attempt = history.attempt + 1
  if (typeof delay === 'function') return delay(attempt)
  if (delay !== undefined) return delay
  if (history.silent && attempt === 1) return 0
  const wait = Math.max(history.serverRetry, (history.opened ? RECONNECTION_TIME : 0) + reconnectDelay(attempt))
  return Math.max(0, wait - history.waited)
}
