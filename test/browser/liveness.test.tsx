import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../../src/index'
import { serverStats, sleep, streamUrl } from '../support/server'

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
    '%s: resumes within %i ms, with no gap or duplicate',
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
