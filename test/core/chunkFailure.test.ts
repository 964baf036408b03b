import { beforeEach, expect, it, vi } from 'vitest'
import { createConnection } from '../../src/core/connection'
import { MockEventSource } from '../../src/testing'
import { withFakeClock } from '../support/fakeClock'
import { quiet } from '../support/listeners'

// The fetch transport's chunk cannot be loaded: after a deploy its old file may be gone for good.
vi.mock('../../src/core/transports/fetch', () => {
  throw new Error('chunk gone')
})

withFakeClock()
beforeEach(() => {
  vi.stubGlobal('EventSource', MockEventSource)
})

it('goes on with the native EventSource when the fetch chunk fails to load', async () => {
  const connection = createConnection('http://localhost/sse')
  connection.subscribe(quiet(), () => ({}))
  MockEventSource.latest().fail({ close: true }) // native: no status, so the next attempt goes through fetch
  await vi.advanceTimersByTimeAsync(1000)
  // The failed import is the error now (vitest wraps the factory's 'chunk gone'), no longer the native refusal.
  await vi.waitFor(() => expect(connection.getState().error?.message).toMatch(/error when mocking a module/), {
    timeout: 5000,
  })
  expect(connection.getState()).toMatchObject({ status: 'reconnecting', error: { kind: 'network' } })
  expect(MockEventSource.instances).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(2000)
  expect(MockEventSource.instances).toHaveLength(2) // native again, not the chunk that failed
  MockEventSource.latest().open()
  expect(connection.getState()).toMatchObject({ status: 'open', error: null })
})
