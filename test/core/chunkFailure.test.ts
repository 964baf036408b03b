import { beforeEach, expect, it, vi } from 'vitest'
import { createConnection } from '../../src/core/connection'
import { MockEventSource } from '../../src/testing'
import { withFakeClock } from '../support/fakeClock'
import { quiet } from '../support/listeners'

// The chunks of the fetch transport and of liveness cannot be loaded: after a deploy their old files may be gone
// for good. (A module of its own: the mocks hold for the whole file.)
vi.mock('../../src/core/transports/fetch', () => {
  throw new Error('chunk gone')
})
vi.mock('../../src/core/liveness', () => {
  throw new Error('chunk gone')
})

withFakeClock()
beforeEach(() => {
  vi.stubGlobal('EventSource', MockEventSource)
})

it('goes on with the native EventSource when the fetch chunk fails to load', async () => {
  const connection = createConnection('http://localhost/sse')
  connection.subscribe(quiet(), () => ({}))
  MockEventSource.latest().fail({ close: true }) // native: no status, so fetch asks at once why
  await vi.advanceTimersByTimeAsync(0)
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

it('goes on without liveness when its chunk fails to load, with no unhandled rejection', async () => {
  const rejections: unknown[] = []
  const onRejection = (reason: unknown) => rejections.push(reason)
  process.on('unhandledRejection', onRejection)
  try {
    const connection = createConnection('http://localhost/sse')
    connection.subscribe(quiet(), () => ({}))
    MockEventSource.latest().open()
    await vi.advanceTimersByTimeAsync(100)
    vi.useRealTimers()
    await new Promise((resolve) => setTimeout(resolve, 10)) // unhandled rejections are told after a task
    expect(connection.getState().status).toBe('open')
    expect(rejections).toEqual([])
  } finally {
    process.off('unhandledRejection', onRejection)
  }
})

it('never falls back to the native EventSource with an id to resume from: it could not send it', async () => {
  const connection = createConnection('http://localhost/sse')
  connection.listen('message')
  connection.subscribe(quiet(), () => ({}))
  MockEventSource.latest().open().emit('1', { id: '1' }).fail({ close: true })
  await vi.advanceTimersByTimeAsync(60_000)
  expect(MockEventSource.instances).toHaveLength(1)
  expect(connection.getState()).toMatchObject({ status: 'reconnecting', error: { kind: 'network' } })
})
