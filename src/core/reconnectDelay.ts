export interface ReconnectDelayOptions {
  /** Delay scale of the first attempt, in ms. @default 1000 */
  base?: number
  /** Longest delay, in ms. @default 30000 */
  cap?: number
  /** Source of randomness in [0, 1). @default Math.random */
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
