import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnection } from '../../src/core/connection'
import { type Environment, environment, type TimerId } from '../../src/core/environment'
import type { ConnectionOptions, EventSourceStatus } from '../../src/core/types'
import { LONG_HIDDEN } from '../../src/core/wakeups'
import { MockEventSource, setEnvironment } from '../../src/testing'
import { listener } from '../support/listeners'

/**
 * The environment seam: every test swaps what the library takes from the page with `setEnvironment` and no
 * `vi.useFakeTimers` or stubbed global, so that it fails if the library reads the page around the environment.
 */

/** A clock of the test's own: time moves only when `advance` says, and the timers due fire then, in order. */
function testClock(start = 5000) {
  let time = start
  let seq = 0
  const timers = new Map<number, { at: number; callback: () => void }>()
  const members = {
    performance: { now: () => time },
    Date: { now: () => Date.UTC(2026, 0, 1) + time },
    setTimeout(callback: () => void, ms: number) {
      timers.set(++seq, { at: time + ms, callback })
      return seq
    },
    clearTimeout(id: TimerId) {
      timers.delete(id as number)
    },
  } satisfies Partial<Environment>
  function advance(ms: number) {
    const end = time + ms
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined
      for (const entry of timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry
      if (!next) break
      timers.delete(next[0])
      time = next[1].at
      next[1].callback()
    }
    time = end
  }
  return { members, advance, now: () => time, pending: () => [...timers.values()].map(({ at }) => at - time) }
}

/** A document of the test's own: its visibility is the test's to set, and `visibilitychange` is told at each change. */
function testDocument() {
  const target = new EventTarget()
  const page = Object.assign(target, {
    visibilityState: 'visible' as DocumentVisibilityState,
    show(visible: boolean) {
      page.visibilityState = visible ? 'visible' : 'hidden'
      target.dispatchEvent(new Event('visibilitychange'))
    },
  })
  return page
}

/** A real macrotask (the page's own timers are not swapped): the chunks' imports settle meanwhile. */
const settle = () => new Promise((resolve) => setTimeout(resolve))

const unsubscribes: (() => void)[] = []
const restores: (() => void)[] = []
const swap = (members: Partial<Environment>) => restores.push(setEnvironment(members))

/** A connection with one listener; its statuses as told. */
function connect(options: ConnectionOptions = {}, url = 'http://localhost/sse') {
  const statuses: EventSourceStatus[] = []
  const connection = createConnection(url)
  connection.listen('message')
  unsubscribes.push(
    connection.subscribe(listener({ state: ({ status }) => statuses.push(status) }), () => ({
      EventSource: MockEventSource,
      ...options,
    })),
  )
  return { connection, statuses }
}

beforeAll(async () => {
  // Cached, so that a connection's import() settles in one macrotask.
  await import('../../src/core/watch')
  await import('../../src/core/pause')
  await import('../../src/core/transports/fetch')
})
beforeEach(() => MockEventSource.reset())
afterEach(async () => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe()
  await Promise.resolve() // the grace period: the connections stop, with their timers and page listeners
  for (const restore of restores.splice(0).reverse()) restore()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the environment', () => {
  it('gives a connection its clock and timers: the retry waits on them, and nothing else', () => {
    const clock = testClock()
    swap(clock.members)
    const { connection, statuses } = connect({ reconnect: { delay: 60_000 } })
    MockEventSource.latest().open()
    MockEventSource.latest().fail({ close: true, status: 503 })
    expect(connection.getState()).toMatchObject({ status: 'reconnecting', retryAt: clock.now() + 60_000 })
    expect(clock.pending()).toContain(60_000)
    clock.advance(59_999)
    expect(MockEventSource.instances).toHaveLength(1)
    clock.advance(1)
    expect(MockEventSource.instances).toHaveLength(2)
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting'])
  })

  it('gives pauseWhenHidden the page’s visibility: a hidden spell on its clock lets the stream go, shown resumes it', async () => {
    const clock = testClock()
    const page = testDocument()
    swap({ ...clock.members, document: page })
    const { connection } = connect({ pauseWhenHidden: 10_000 })
    MockEventSource.latest().open()
    MockEventSource.latest().emit('hello', { id: '1' })
    await settle() // the liveness chunk, then its watch of the page's visibility
    page.show(false)
    clock.advance(9_999)
    expect(MockEventSource.latest().closed).toBe(false)
    clock.advance(1)
    expect(MockEventSource.latest().closed).toBe(true)
    expect(connection.getState().status).toBe('idle')
    page.show(true)
    await settle()
    expect(MockEventSource.instances).toHaveLength(2)
    expect(MockEventSource.latest().closed).toBe(false)
  })

  it('wakes a waiting retry at the page’s wake-ups: online on its window, shown after a long hidden spell by its wall clock', async () => {
    const clock = testClock()
    const page = testDocument()
    const window = new EventTarget()
    swap({ ...clock.members, document: page, window })
    connect({ reconnect: { delay: 600_000 } })
    MockEventSource.latest().open()
    await settle() // the liveness chunk, which listens to the page's wake-ups
    MockEventSource.latest().fail({ close: true, status: 503 })
    window.dispatchEvent(new Event('online'))
    expect(MockEventSource.instances).toHaveLength(2)
    MockEventSource.latest().fail({ close: true, status: 503 })
    page.show(false)
    clock.advance(LONG_HIDDEN - 1)
    page.show(true)
    expect(MockEventSource.instances).toHaveLength(2) // not hidden long enough to have lost the stream
    page.show(false)
    clock.advance(LONG_HIDDEN)
    page.show(true)
    expect(MockEventSource.instances).toHaveLength(3)
  })

  it('gives plain GET streams its EventSource, as the page’s own: it takes no headers', () => {
    swap({ EventSource: MockEventSource }) // jsdom has none
    connect({ EventSource: undefined })
    MockEventSource.latest().open()
    MockEventSource.latest().emit('hello', { id: '7' })
    expect(MockEventSource.instances).toHaveLength(1)
    expect(MockEventSource.latest().init.headers).toEqual({}) // a user's class would be kept told of the id
  })

  it('gives the fetch transport its fetch, and relative urls the page’s location', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }))
    swap({ fetch, location: { href: 'https://app.test/feed/', origin: 'https://app.test' } })
    const { statuses } = connect({ EventSource: undefined, transport: 'fetch' }, 'sse?topic=a')
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('closed'))
    expect(fetch).toHaveBeenCalledWith('https://app.test/feed/sse?topic=a', expect.objectContaining({ method: 'GET' }))
  })

  it('puts the page back when the swap is undone, read afresh: stubbed globals and fake timers work again', () => {
    const page = testDocument()
    class Other extends MockEventSource {}
    const { locks } = environment
    const restore = setEnvironment({ EventSource: Other, document: page, locks: () => undefined })
    const restoreInner = setEnvironment({ EventSource: MockEventSource })
    expect(environment.EventSource).toBe(MockEventSource)
    restoreInner()
    expect(environment).toMatchObject({ EventSource: Other, document: page })
    restore()
    expect(environment.document).toBe(document)
    expect(environment.locks).toBe(locks)
    expect(environment.EventSource).toBeUndefined() // jsdom has none
    vi.stubGlobal('EventSource', MockEventSource)
    vi.useFakeTimers()
    expect(environment.EventSource).toBe(MockEventSource)
    connect({ EventSource: undefined }) // the page's own EventSource: the stubbed one
    expect(MockEventSource.instances).toHaveLength(1)
    const { connection } = connect({ reconnect: { delay: 1000 } })
    MockEventSource.latest().open()
    MockEventSource.latest().fail({ close: true, status: 503 })
    expect(connection.getState().retryAt).toBe(performance.now() + 1000) // vitest's fake clock
    vi.advanceTimersByTime(1000)
    expect(MockEventSource.instances).toHaveLength(3)
  })
})

describe('the library’s use of it', () => {
  it('never calls the page’s functions on the environment: a browser throws (Illegal invocation), jsdom does not', () => {
    const src = join(fileURLToPath(import.meta.url), '../../../src')
    const calls = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('environment.ts')) // whose doc shows the wrong way
      .flatMap((file) =>
        [...readFileSync(join(src, file), 'utf8').matchAll(/environment\.(\w+)\??\.?\(/g)]
          .filter(([, name]) => name !== 'locks') // the environment's own function
          .map(([call]) => `${file}: ${call}`),
      )
    expect(calls).toEqual([])
  })
})
