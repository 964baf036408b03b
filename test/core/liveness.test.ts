import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnection } from '../../src/core/connection'
import { LONG_HIDDEN } from '../../src/core/wakeups'
import type { ConnectionOptions, EventSourceStatus } from '../../src/core/types'
import { MockEventSource } from '../../src/testing'
import { withFakeClock } from '../support/fakeClock'
import { listener } from '../support/listeners'

/**
 * Liveness, with fake timers and a fake frame clock: the browser's EventSource is MockEventSource, and fetch a stub
 * whose every answer is a stream the test writes to (`write`), as a server would, one network write at a time.
 */
interface Served {
  headers: Record<string, string>
  method: string
  write(text: string): void
  end(): void
}

let served: Served[] = []
const encoder = new TextEncoder()
/** While true, a request gets no answer until it is aborted: it went out on a socket the network dropped. */
let networkDown = false

function stubFetch() {
  served = []
  networkDown = false
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      if (networkDown) {
        return new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        )
      }
      let controller: ReadableStreamDefaultController<Uint8Array> | undefined
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          controller = c
        },
      })
      served.push({
        headers: Object.fromEntries(new Headers(init.headers)),
        method: init.method ?? 'GET',
        write: (text) => controller?.enqueue(encoder.encode(text)),
        end: () => controller?.close(),
      })
      return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
    }),
  )
}

const unsubscribes: (() => void)[] = []

/** A stream on one hook, with the statuses and error messages it was told of. */
function stream(options: ConnectionOptions = {}) {
  const connection = createConnection('http://localhost/sse')
  const statuses: EventSourceStatus[] = []
  const errors: string[] = []
  connection.listen('message')
  unsubscribes.push(
    connection.subscribe(
      listener({
        state({ status, error }) {
          statuses.push(status)
          if (error && error.message !== errors.at(-1)) errors.push(error.message)
        },
      }),
      () => options,
    ),
  )
  return { connection, statuses, errors }
}

/** Lets fake time pass with the promises in between (the chunks' imports, fetch's body). */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms)
/** An event every `every` ms for `count` events, from the newest native stream. */
async function events(count: number, every = 100, from = 1) {
  for (let n = from; n < from + count; n++) {
    MockEventSource.latest().emit(n, { id: String(n) })
    await pass(every)
  }
}

withFakeClock()
beforeAll(async () => {
  // Cached, so that the connection's import() settles in fake time.
  await import('../../src/core/transports/fetch')
  await import('../../src/core/watch')
  await import('../../src/core/pause')
})
beforeEach(() => {
  vi.stubGlobal('EventSource', MockEventSource)
  stubFetch()
})
afterEach(async () => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe()
  await Promise.resolve()
})

describe('liveness by default: the stream’s own cadence', () => {
  it('recreates at once, with Last-Event-ID, a stream silent for four times its longest silence (at least 3 s)', async () => {
    const { connection, statuses, errors } = stream()
    await pass(0)
    MockEventSource.latest().open()
    await events(10) // 100 ms apart: the longest silence is under a tick, so 3 s it is
    await pass(2500)
    expect(served).toHaveLength(0)
    await pass(1000)
    expect(errors).toEqual(['no data for 3 s: the connection was lost'])
    expect(MockEventSource.instances.map((source) => source.closed)).toEqual([true])
    // Through fetch (its chunk came when the stream opened), which sends the last id.
    expect(served).toHaveLength(1)
    expect(served[0]?.headers['last-event-id']).toBe('10')
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open'])
    expect(connection.getState().error).toBeNull()
  })

  it('suspects nothing before it has seen the stream’s cadence (four silences ended by a byte)', async () => {
    const { connection } = stream()
    await pass(0)
    MockEventSource.latest().open()
    await events(2, 600)
    await pass(120_000)
    expect(connection.getState().status).toBe('open')
    expect(MockEventSource.instances).toHaveLength(1)
  })

  it('scales with a slow cadence: heartbeats every 15 s make a minute of silence the limit', async () => {
    const { errors } = stream({ transport: 'fetch' })
    await pass(0)
    for (let beat = 0; beat < 5; beat++) {
      served[0]?.write(': heartbeat\n\n')
      await pass(15_000)
    }
    await pass(40_000) // 55 s without a byte
    expect(served).toHaveLength(1)
    await pass(6000)
    expect(served).toHaveLength(2)
    // Four times the longest silence, which ticks every 500 ms measure (about 14.5 s of the 15).
    expect(errors).toEqual([expect.stringMatching(/^no data for 5[6-9] s: the connection was lost$/)])
  })

  it('counts comments as life: a healthy stream quiet for 8 s with heartbeats every 250 ms is left alone', async () => {
    const { connection, statuses } = stream({ transport: 'fetch' })
    await pass(0)
    for (let n = 1; n <= 10; n++) {
      served[0]?.write(`id: ${n}\ndata: ${n}\n\n`)
      await pass(100)
    }
    for (let beat = 0; beat < 32; beat++) {
      served[0]?.write(': heartbeat\n\n')
      await pass(250)
    }
    expect(connection.getState().status).toBe('open')
    expect(statuses).toEqual(['connecting', 'open'])
    expect(served).toHaveLength(1)
  })

  it('reconnects a quiet native stream at most once: from then on it is on fetch, which sees the heartbeats', async () => {
    const { connection } = stream()
    await pass(0)
    MockEventSource.latest().open()
    await events(10)
    // Heartbeats only from now on: the browser's EventSource shows none of them.
    await pass(3500)
    expect(served).toHaveLength(1)
    for (let beat = 0; beat < 40; beat++) {
      served[0]?.write(': heartbeat\n\n')
      await pass(250)
    }
    expect(served).toHaveLength(1)
    expect(connection.getState().status).toBe('open')
  })

  it('keeps the cadence across attempts: it is the server’s', async () => {
    const { errors } = stream()
    await pass(0)
    MockEventSource.latest().open()
    await events(10)
    MockEventSource.latest().fail() // the browser reconnects by itself
    await pass(2000)
    MockEventSource.latest().open()
    await pass(3500)
    expect(errors).toEqual(['connection lost', 'no data for 3 s: the connection was lost'])
  })
})

describe('idleTimeout', () => {
  it('recreates a silent stream at once after that many ms (to a tick): no reconnection time', async () => {
    const { errors } = stream({ idleTimeout: 2000 })
    await pass(0)
    MockEventSource.latest().open()
    await events(3) // the last at 200 ms
    await pass(2100)
    expect(served).toHaveLength(0)
    await pass(100) // the tick at 2,500 ms: 2 s since the tick that saw the last event
    expect(errors).toEqual(['no data for 2 s: the connection was lost'])
    await pass(1) // at once: the server did not end the stream, there is no reconnection time to wait
    expect(served).toHaveLength(1)
    expect(served[0]?.headers['last-event-id']).toBe('3')
  })

  it('false turns liveness off: no watchdog, and no wake-up check', async () => {
    const { connection } = stream({ idleTimeout: false })
    await pass(0)
    MockEventSource.latest().open()
    await events(10)
    await pass(600_000)
    document.dispatchEvent(new Event('resume'))
    await pass(5000)
    expect(connection.getState().status).toBe('open')
    expect(served).toHaveLength(0)
  })
})

describe('wake-ups', () => {
  /** An open native stream with a cadence that a minute of silence would not yet exceed (it is a slow one). */
  async function slowStream() {
    const result = stream()
    await pass(0)
    MockEventSource.latest().open()
    await events(5, 20_000)
    return result
  }

  it.each<[string, () => void]>([
    ['a frozen page resumed', () => document.dispatchEvent(new Event('resume'))],
    [
      'a page restored from the back/forward cache',
      () => window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true })),
    ],
    ['the network back', () => window.dispatchEvent(new Event('online'))],
  ])('after %s, a stream that shows no byte within 1 s is recreated with Last-Event-ID', async (_, wake) => {
    const { errors } = await slowStream()
    wake()
    await pass(900)
    expect(served).toHaveLength(0)
    await pass(200)
    expect(errors).toEqual([expect.stringMatching(/^no data for \d+ s: the connection was lost$/)])
    expect(served).toHaveLength(1)
    expect(served[0]?.headers['last-event-id']).toBe('5')
  })

  it('leaves a stream with data flowing alone', async () => {
    const { connection } = await slowStream()
    document.dispatchEvent(new Event('resume'))
    await events(1, 500, 6)
    await pass(5000)
    expect(connection.getState().status).toBe('open')
    expect(served).toHaveLength(0)
  })

  it('checks after a long hidden spell, not after a short one', async () => {
    await slowStream()
    const hide = (hidden: boolean) => {
      vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(hidden ? 'hidden' : 'visible')
      document.dispatchEvent(new Event('visibilitychange'))
    }
    hide(true)
    await pass(5000)
    hide(false)
    await pass(2000)
    expect(served).toHaveLength(0)
    hide(true)
    await pass(LONG_HIDDEN)
    hide(false)
    await pass(1100)
    expect(served).toHaveLength(1)
  })

  it('checks when a tick comes far later by the wall clock than by the monotonic one: the machine slept', async () => {
    const { errors } = await slowStream()
    vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000) // two hours of sleep: the monotonic clock stood still
    await pass(600) // the next tick sees it
    expect(served).toHaveLength(0)
    await pass(1100)
    expect(errors).toEqual([expect.stringMatching(/^no data for \d+ s: the connection was lost$/)])
    expect(served).toHaveLength(1)
  })

  it('makes a pending retry at once', async () => {
    const { connection } = stream({ transport: 'fetch' })
    await pass(0)
    vi.mocked(fetch).mockRejectedValueOnce(new TypeError('Failed to fetch'))
    connection.reconnect()
    await pass(1)
    expect(connection.getState().status).toBe('reconnecting')
    const before = served.length
    window.dispatchEvent(new Event('online'))
    await pass(1)
    expect(served.length).toBe(before + 1)
  })
})

describe('a stream that pauses', () => {
  it('is not recreated every 3 s after a burst: it must show its cadence again, and patience doubles', async () => {
    const { errors } = stream()
    await pass(0)
    MockEventSource.latest().open()
    await events(10) // a burst at the open, as a server sends a snapshot: the learned limit is 3 s
    await pass(60_000) // then a quiet minute: the server is fine, every recreation opens at once
    expect(served.length).toBeLessThanOrEqual(3) // 19: one fetch every ~3 s, at once each time (attempt back at 0)
    expect(errors.length).toBeLessThanOrEqual(3)
  })
})

describe('an answer (a POST) is not a subscription', () => {
  /** An LLM's answer: `before` tokens at once, a pause of `pause` ms (a tool call), the rest, then the end. */
  async function answer(options: ConnectionOptions, pause: number, during?: () => void) {
    const result = stream({ body: { prompt: 'hi' }, ...options })
    await pass(0)
    for (let n = 1; n <= 10; n++) {
      served[0]?.write(`id: ${n}\ndata: ${n}\n\n`)
      await pass(50)
    }
    during?.()
    await pass(pause)
    for (let n = 11; n <= 15; n++) {
      served[0]?.write(`id: ${n}\ndata: ${n}\n\n`)
      await pass(50)
    }
    served[0]?.end()
    await pass(10)
    return result
  }

  it.each<[string, ConnectionOptions]>([
    ['with defaults', {}],
    ['with reconnect: { retries: 2 }', { reconnect: { retries: 2 } }],
  ])('completes with one request when the model pauses 10 s mid-answer, %s', async (_, options) => {
    const { connection, statuses, errors } = await answer(options, 10_000)
    expect(served.map(({ method }) => method)).toEqual(['POST'])
    expect(errors).toEqual([])
    expect(statuses).toEqual(['connecting', 'open', 'closed'])
    expect(connection.inspect().lastEventId).toBe('15')
  })

  it('is not checked by a wake-up: the user back after 30 s away while the model pauses', async () => {
    const hide = (hidden: boolean) => {
      vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(hidden ? 'hidden' : 'visible')
      document.dispatchEvent(new Event('visibilitychange'))
    }
    const { statuses, errors } = await answer({ reconnect: { retries: 2 } }, 3000, () => {
      hide(true)
      vi.setSystemTime(Date.now() + LONG_HIDDEN)
      hide(false)
      window.dispatchEvent(new Event('online'))
    })
    expect(served).toHaveLength(1)
    expect(errors).toEqual([])
    expect(statuses).toEqual(['connecting', 'open', 'closed'])
  })

  it('with idleTimeout, ends a silent answer as an error, and sends it again only if reconnect says so', async () => {
    const once = stream({ body: { prompt: 'hi' }, idleTimeout: 2000 })
    await pass(0)
    served[0]?.write('data: 1\n\n')
    await pass(5000)
    expect(once.connection.getState()).toMatchObject({ status: 'error', error: { kind: 'network' } })
    expect(served).toHaveLength(1)
    const again = stream({ body: { prompt: 'hi' }, idleTimeout: 2000, reconnect: { retries: 1 } })
    await pass(0)
    served[1]?.write('data: 1\n\n')
    await pass(3000)
    expect(served).toHaveLength(3) // sent once more, as reconnect says
    expect(again.connection.getState()).toMatchObject({ status: 'open', error: null })
  })
})

describe('every byte is life', () => {
  it('receives a 200 kB event trickled over 6 s whole, on one request, open throughout', async () => {
    const { connection, statuses } = stream({ transport: 'fetch' })
    const received: number[] = []
    unsubscribes.push(connection.subscribe(listener({ event: (_, data) => received.push(data.length) }), () => ({})))
    await pass(0)
    for (let n = 1; n <= 5; n++) {
      served[0]?.write(`id: ${n}\ndata: ${n}\n\n`)
      await pass(100)
    }
    const big = `"${'x'.repeat(200_000 - 2)}"`
    served[0]?.write('id: 6\ndata: ')
    for (let part = 0; part < 60; part++) {
      served[0]?.write(big.slice(part * 3334, (part + 1) * 3334))
      await pass(100)
    }
    served[0]?.write('\n\n')
    await pass(10)
    expect(received).toEqual([1, 1, 1, 1, 1, 200_000])
    expect(served).toHaveLength(1)
    expect(statuses).toEqual(['connecting', 'open'])
  })
})

describe('a cadence that a burst does not fool', () => {
  it('leaves alone, for 10 minutes, a server that sends a snapshot on connect and live messages 20–90 s apart', async () => {
    const { connection, statuses } = stream()
    await pass(0)
    const source = MockEventSource.latest().open()
    for (let n = 1; n <= 10; n++) source.emit(n) // the last 10 messages, no ids, at once
    const gaps = [20, 90, 45, 30, 75, 60, 25, 90, 50, 85] // 570 s
    for (const gap of gaps) {
      await pass(gap * 1000)
      source.emit('live')
    }
    await pass(600_000 - gaps.reduce((sum, gap) => sum + gap, 0) * 1000)
    expect(MockEventSource.instances).toHaveLength(1)
    expect(served).toHaveLength(0)
    expect(statuses).toEqual(['connecting', 'open'])
    expect(connection.getState().status).toBe('open')
  })
})

describe('detection stays bounded', () => {
  /** Opens the stream through fetch, beats every `every` ms for `beats` beats, then the connection dies silently. */
  async function liveThenDead(every: number, beats: number) {
    const request = served.length - 1
    for (let beat = 0; beat < beats; beat++) {
      served[request]?.write(': heartbeat\n\n')
      await pass(every)
    }
    const diedAt = performance.now()
    while (served.length === request + 1) await pass(100)
    return performance.now() - diedAt
  }

  it.each([
    [1000, 5000],
    [15_000, 65_000],
  ])('with heartbeats every %i ms, notices each of ten deaths in a row within %i ms', async (every, within) => {
    stream({ transport: 'fetch' })
    await pass(0)
    const detections: number[] = []
    for (let death = 0; death < 10; death++) detections.push(await liveThenDead(every, 8))
    expect(Math.max(...detections)).toBeLessThanOrEqual(within)
  })

  it('leaves a stream alone after a suspicion that its recovery proves wrong: the new connection is as quiet', async () => {
    stream({ transport: 'fetch' })
    await pass(0)
    for (let n = 1; n <= 10; n++) {
      served[0]?.write(`id: ${n}\ndata: ${n}\n\n`)
      await pass(100)
    }
    await pass(3500) // quiet: suspected after 3 s
    expect(served).toHaveLength(2)
    served[1]?.write(': hello\n\n') // the new connection's greeting, and nothing more: the stream only paused
    await pass(600_000)
    expect(served).toHaveLength(2)
  })
})

describe('no attempt waits forever', () => {
  it('aborts a recovery that gets no answer, retries with backoff, and delivers within 30 s of the network coming back', async () => {
    const { connection } = stream({ transport: 'fetch' })
    await pass(0)
    for (let n = 1; n <= 20; n++) {
      served[0]?.write(`id: ${n}\ndata: ${n}\n\n`)
      await pass(100)
    }
    networkDown = true // every socket to the server goes silent
    const calls = () => vi.mocked(fetch).mock.calls.length
    await pass(10 * 60_000)
    expect(connection.getState().status).toBe('reconnecting')
    expect(connection.getState().error?.message).toBe('no answer in 10 s')
    // Bounded: at most one request per 10 s (the deadline), however long the network is down.
    expect(calls()).toBeLessThanOrEqual(1 + 60)
    expect(calls()).toBeGreaterThan(10)
    networkDown = false
    const back = performance.now()
    while (connection.getState().status !== 'open') await pass(100)
    expect(performance.now() - back).toBeLessThanOrEqual(30_000)
    expect(served.at(-1)?.headers['last-event-id']).toBe('20')
  })

  it('starts a fresh attempt at a wake-up while one waits for its answer', async () => {
    const { connection } = stream({ transport: 'fetch' })
    await pass(0)
    served[0]?.write('id: 1\ndata: 1\n\n')
    await pass(10)
    networkDown = true
    connection.reconnect() // an attempt that will get no answer
    await pass(2000)
    networkDown = false
    window.dispatchEvent(new Event('online'))
    await pass(10)
    expect(connection.getState().status).toBe('open')
    expect(served).toHaveLength(2)
    expect(served[1]?.headers['last-event-id']).toBe('1')
  })

  it('gives a first attempt 30 s: a server may hold its headers until its first event', async () => {
    networkDown = true
    const { connection } = stream({ transport: 'fetch' })
    await pass(29_900)
    expect(vi.mocked(fetch).mock.calls).toHaveLength(1)
    expect(connection.getState().status).toBe('connecting')
    await pass(200)
    expect(connection.getState().error?.message).toBe('no answer in 30 s')
  })

  it('never waits on an answer (a POST): its server may think for as long as it needs', async () => {
    networkDown = true
    const { connection } = stream({ body: { prompt: 'hi' } })
    await pass(10 * 60_000)
    expect(vi.mocked(fetch).mock.calls).toHaveLength(1)
    expect(connection.getState().status).toBe('connecting')
  })
})

describe('pauseWhenHidden', () => {
  const hide = (hidden: boolean) => {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(hidden ? 'hidden' : 'visible')
    document.dispatchEvent(new Event('visibilitychange'))
  }

  it('lets the stream go after the page has been hidden that long, and resumes it with Last-Event-ID when shown', async () => {
    const { connection, statuses } = stream({ pauseWhenHidden: 10_000 })
    await pass(0)
    MockEventSource.latest().open()
    await events(3)
    hide(true)
    await pass(9_900)
    expect(MockEventSource.latest().closed).toBe(false)
    await pass(200)
    expect(MockEventSource.latest().closed).toBe(true)
    expect(connection.getState()).toMatchObject({ status: 'idle', error: null })
    await pass(600_000) // nothing while paused: no timer, no request
    expect(served).toHaveLength(0)
    hide(false)
    await pass(10)
    expect(served).toHaveLength(1)
    expect(served[0]?.headers['last-event-id']).toBe('3')
    expect(statuses).toEqual(['connecting', 'open', 'idle', 'connecting', 'open'])
  })

  it('keeps the stream when the page is shown again in time', async () => {
    stream({ pauseWhenHidden: 10_000 })
    await pass(0)
    MockEventSource.latest().open()
    hide(true)
    await pass(5000)
    hide(false)
    await pass(60_000)
    expect(MockEventSource.latest().closed).toBe(false)
    expect(served).toHaveLength(0)
  })

  it('never pauses an answer (a POST): it would be sent again', async () => {
    const { connection } = stream({ body: { prompt: 'hi' }, pauseWhenHidden: 1000 })
    await pass(0)
    hide(true)
    await pass(60_000)
    hide(false)
    await pass(10)
    expect(connection.getState().status).toBe('open')
    expect(served).toHaveLength(1)
  })

  it('stays closed when close() is called while paused', async () => {
    const { connection } = stream({ pauseWhenHidden: 1000 })
    await pass(0)
    MockEventSource.latest().open()
    hide(true)
    await pass(2000)
    connection.close()
    hide(false)
    await pass(10)
    expect(connection.getState().status).toBe('closed')
    expect(served).toHaveLength(0)
    expect(MockEventSource.instances).toHaveLength(1)
  })
})
