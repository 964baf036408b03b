import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventSourceError } from '../../src/core/EventSourceError'
import { decide, type History, RECONNECTION_TIME, reconnectDelay } from '../../src/core/policy'
import { after, MAX_DELAY } from '../../src/core/timers'

const highest = () => 0.999999
const lowest = () => 0

describe('reconnectDelay', () => {
  it.each([
    // attempt, random, expected ms (defaults: 1 s base, 30 s cap)
    [1, highest, 999],
    [2, highest, 1999],
    [3, highest, 3999],
    [5, highest, 15999],
    [6, highest, 29999],
    [50, highest, 29999],
    [1, lowest, 0],
    [4, () => 0.5, 4000],
  ])('attempt %i with random %o waits %i ms', (attempt, random, expected) => {
    expect(reconnectDelay(attempt, { random })).toBe(expected)
  })

  it.each([
    [1, { base: 200 }, 199],
    [3, { base: 200 }, 799],
    [4, { base: 200, cap: 500 }, 499],
  ])('attempt %i with %o waits %i ms at most', (attempt, options, expected) => {
    expect(reconnectDelay(attempt, { ...options, random: highest })).toBe(expected)
  })

  it('spreads delays over the whole window (full jitter)', () => {
    const delays = Array.from({ length: 2000 }, () => reconnectDelay(3))
    expect(Math.min(...delays)).toBeLessThan(400)
    expect(Math.max(...delays)).toBeGreaterThan(3600)
    expect(Math.max(...delays)).toBeLessThan(4000)
  })
})

describe('decide: the one reconnect policy', () => {
  const network = new EventSourceError('network', 'failed')
  const http = (status: number) => new EventSourceError('http', `HTTP ${status}`, { status })
  const fresh: History = { attempt: 0, opened: false, serverRetry: 0, silent: false, waited: 0 }
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.each<[string, EventSourceError, object, Partial<History>, number | undefined]>([
    // what, failure, options, history, delay (Math.random pinned at the top of its window)
    ['a network failure backs off', network, {}, {}, 999],
    ['the third one backs off more', network, {}, { attempt: 2 }, 3999],
    ['a stream that was open waits the reconnection time too', network, {}, { opened: true }, RECONNECTION_TIME + 999],
    ['the server’s retry: is the least wait', network, {}, { serverRetry: 20_000 }, 20_000],
    ['a silent stream is recreated at once', network, {}, { opened: true, silent: true, serverRetry: 9000 }, 0],
    ['a silent stream whose recovery failed backs off', network, {}, { attempt: 1, silent: true }, 1999],
    ['a 503 is retried', http(503), {}, {}, 999],
    ['a 408 is retried', http(408), {}, {}, 999],
    ['a 429 is retried', http(429), {}, {}, 999],
    ['a 401 gives up', http(401), {}, {}, undefined],
    ['a 404 gives up', http(404), {}, {}, undefined],
    ['another content type gives up', new EventSourceError('content-type', 'text/html'), {}, {}, undefined],
    ['a POST is not asked again', network, { method: 'POST' }, {}, undefined],
    ['a POST is, when the user says so', network, { method: 'POST', reconnect: true }, {}, 999],
    ['reconnect: false never retries', network, { reconnect: false }, {}, undefined],
    ['retries exhausted gives up', network, { reconnect: { retries: 2 } }, { attempt: 2 }, undefined],
    ['a delay number is used as is', network, { reconnect: { delay: 50 } }, { opened: true }, 50],
    [
      'a delay function gets the attempt, from 1',
      network,
      { reconnect: { delay: (n: number) => n * 10 } },
      { attempt: 3 },
      40,
    ],
  ])('%s', (_, failure, options, history, expected) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999)
    expect(decide(failure, options, { ...fresh, ...history })).toBe(expected)
  })
})

describe('after', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('waits the longest delay a timer takes for a longer one, instead of firing at once (defect 1)', () => {
    vi.useFakeTimers()
    const fired = vi.fn()
    after(2 ** 32, fired)
    vi.advanceTimersByTime(60_000)
    expect(fired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(MAX_DELAY - 60_000)
    expect(fired).toHaveBeenCalledOnce()
  })
})
