import { afterEach, beforeEach, vi } from 'vitest'
import { MockEventSource } from '../../src/testing'

/**
 * For a test file on the React-free connection: fake timers, a fresh list of
 * mocks per test, and the jitter pinned at the top of its window, so that
 * every wait is exact (1 s of backoff is 999 ms). After each test: real
 * timers and globals again. Call it before the file's own hooks: its
 * afterEach then runs after theirs (hooks run as a stack).
 */
export function withFakeClock() {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0.999999)
    MockEventSource.reset()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })
}
