import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../../src/index'
import { serverSawClose, serverStats, sleep, streamUrl } from '../support/server'
import { restoreVisibility, setHidden } from '../support/visibility'

// Real Chromium against the scenario server on 127.0.0.1. `silent=10&silentOnce=1`: the first response goes silent
// after event 10 with its socket open (a connection that died without a word); a request that resumes gets the rest.
afterEach(cleanup)

interface Arrival {
  n: number
  at: number
}

function Numbers({
  url,
  options,
  arrivals,
}: {
  url: string
  options?: UseEventSourceOptions<{ n: number }>
  arrivals: Arrival[]
}) {
  const { status } = useEventSource<{ n: number }>(url, {
    ...options,
    onMessage: ({ data }) => arrivals.push({ n: data.n, at: performance.now() }),
  })
  return <p>{status}</p>
}

/** How long the stream was silent before event `n` came, in ms. */
const waitedFor = (arrivals: Arrival[], n: number) => {
  const index = arrivals.findIndex((arrival) => arrival.n === n)
  return (arrivals[index]?.at ?? Number.NaN) - (arrivals[index - 1]?.at ?? Number.NaN)
}

const inOrderFrom1 = (arrivals: Arrival[]) => expect(arrivals.map(({ n }) => n)).toEqual(arrivals.map((_, i) => i + 1))

describe('a connection that goes silent with its socket open', () => {
  it.each<[string, UseEventSourceOptions<{ n: number }>, number]>([
    ['with defaults, the browser’s EventSource', {}, 5000],
    ['with defaults, through fetch', { transport: 'fetch' }, 5000],
    ['with idleTimeout: 2000', { idleTimeout: 2000 }, 3000],
  ])(
    '%s (%j): resumes within %i ms, with no gap or duplicate',
    async (_, options, within) => {
      const { url, key } = streamUrl({ count: 1000, interval: 100, heartbeat: 100, silent: 10, silentOnce: 1 })
      const arrivals: Arrival[] = []
      render(<Numbers url={url} options={options} arrivals={arrivals} />)
      await waitFor(() => expect(arrivals.length).toBeGreaterThanOrEqual(15), { timeout: within + 5000 })
      inOrderFrom1(arrivals)
      expect(waitedFor(arrivals, 11)).toBeLessThan(within)
      expect((await serverStats(key)).headers[1]?.['last-event-id']).toBe('10')
    },
    20_000,
  )
})

describe('a healthy stream quiet for 8 s, heartbeats every 250 ms', () => {
  it('is not reconnected through fetch, and at most once with the browser’s EventSource (which hides comments)', async () => {
    const native = streamUrl({ count: 3, heartbeat: 250 })
    const fetched = streamUrl({ count: 3, heartbeat: 250 })
    render(
      <>
        <Numbers url={native.url} arrivals={[]} />
        <Numbers url={fetched.url} options={{ transport: 'fetch' }} arrivals={[]} />
      </>,
    )
    await sleep(8000)
    expect((await serverStats(native.key)).requests).toBeLessThanOrEqual(2)
    expect((await serverStats(fetched.key)).requests).toBe(1)
  }, 20_000)
})

/** Every status the hook committed, and the data of every event. */
function Recorder({
  url,
  options,
  seen,
}: {
  url: string
  options: UseEventSourceOptions<unknown>
  seen: { statuses: string[]; data: unknown[] }
}) {
  const { status } = useEventSource<unknown>(url, { ...options, onMessage: ({ data }) => seen.data.push(data) })
  if (seen.statuses.at(-1) !== status) seen.statuses.push(status)
  return <p>{status}</p>
}

const record = () => ({ statuses: [] as string[], data: [] as unknown[] })

describe('an answer that pauses', () => {
  it('completes with one request when the model pauses 10 s mid-answer, with defaults and with reconnect: { retries: 2 }', async () => {
    const answers = [{}, { reconnect: { retries: 2 } }].map((options) => ({
      ...streamUrl({ count: 15, interval: 20, pauseAfter: 10, pause: 10_000, end: 1 }),
      options: { body: { prompt: 'hi' }, ...options },
      seen: record(),
    }))
    render(
      <div>
        {answers.map(({ url, key, options, seen }) => (
          <Recorder key={key} url={url} options={options} seen={seen} />
        ))}
      </div>,
    )
    for (const { key, seen } of answers) {
      await waitFor(() => expect(seen.statuses.at(-1)).toBe('closed'), { timeout: 20_000 })
      expect(seen.statuses).toEqual(['idle', 'connecting', 'open', 'closed'])
      expect(seen.data).toHaveLength(15)
      expect((await serverStats(key)).requests).toBe(1)
    }
  }, 30_000)
})

describe('a large event on a slow link', () => {
  it('arrives whole through fetch when it takes 6 s: one request, open throughout', async () => {
    const { url, key } = streamUrl({ count: 5, interval: 20, big: 200_000, trickle: 6000 })
    const seen = record()
    render(<Recorder url={url} options={{ transport: 'fetch' }} seen={seen} />)
    await waitFor(() => expect(seen.data).toHaveLength(6), { timeout: 15_000 })
    expect(JSON.stringify(seen.data.at(-1)).length).toBeGreaterThanOrEqual(199_990)
    expect(seen.statuses).toEqual(['idle', 'connecting', 'open'])
    expect((await serverStats(key)).requests).toBe(1)
  }, 20_000)
})

describe('a network that goes away under every socket (HTTP/1.1 keep-alive)', () => {
  const forward = (on: boolean) => fetch(`${inject('sseUrl')}/proxy?forward=${on ? 1 : 0}`)
  afterEach(() => forward(true))

  it('delivers again within 30 s of the network coming back, with no gap', async () => {
    const direct = streamUrl({ count: 100_000, interval: 100, heartbeat: 250 })
    const url = direct.url.replace(inject('sseUrl'), inject('proxyUrl'))
    const arrivals: Arrival[] = []
    const statuses: string[] = []
    function Probe() {
      const { status } = useEventSource<{ n: number }>(url, {
        onMessage: ({ data }) => arrivals.push({ n: data.n, at: performance.now() }),
      })
      if (statuses.at(-1) !== status) statuses.push(status)
      return <p>{status}</p>
    }
    render(<Probe />)
    await waitFor(() => expect(arrivals.length).toBeGreaterThanOrEqual(20), { timeout: 10_000 })
    await forward(false)
    await waitFor(() => expect(statuses.at(-1)).toBe('reconnecting'), { timeout: 10_000 })
    const stalled = arrivals.length
    await sleep(12_000) // the recovery's request has gone out on a dead socket, and been given up at least once
    expect(arrivals.length).toBe(stalled)
    await forward(true)
    const back = performance.now()
    await waitFor(() => expect(arrivals.length).toBeGreaterThan(stalled + 5), { timeout: 35_000, interval: 100 })
    expect((arrivals[stalled]?.at ?? Number.NaN) - back).toBeLessThan(30_000)
    inOrderFrom1(arrivals)
  }, 70_000)
})

describe('pauseWhenHidden', () => {
  afterEach(restoreVisibility)

  it('lets the stream go while the page is hidden and resumes it when shown, with no gap or duplicate', async () => {
    const { url, key } = streamUrl({ count: 100_000, interval: 50 })
    const arrivals: Arrival[] = []
    const statuses: string[] = []
    function Probe() {
      const { status } = useEventSource<{ n: number }>(url, {
        pauseWhenHidden: 500,
        onMessage: ({ data }) => arrivals.push({ n: data.n, at: performance.now() }),
      })
      if (statuses.at(-1) !== status) statuses.push(status)
      return <p>{status}</p>
    }
    render(<Probe />)
    await waitFor(() => expect(arrivals.length).toBeGreaterThanOrEqual(10), { timeout: 10_000 })
    setHidden(true)
    await waitFor(() => expect(statuses.at(-1)).toBe('idle'), { timeout: 5000 })
    await serverSawClose(key, 5000)
    const paused = arrivals.length
    await sleep(1000)
    expect(arrivals.length).toBe(paused)
    setHidden(false)
    await waitFor(() => expect(arrivals.length).toBeGreaterThan(paused + 20), { timeout: 10_000 })
    inOrderFrom1(arrivals)
    const stats = await serverStats(key)
    expect(stats.requests).toBe(2)
    expect(stats.headers[1]?.['last-event-id']).toBe(String(paused))
    expect(statuses).toEqual(['idle', 'connecting', 'open', 'idle', 'connecting', 'open'])
  }, 30_000)
})
