import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CrossTabEventSource } from '../../src/crossTab'
import { stubLocks } from '../support/fakeLocks'
import { serverStats, sleep, streamUrl } from '../support/server'

/**
 * CrossTabEventSource in jsdom against the test SSE server, with a fake Web Locks manager and Node's
 * BroadcastChannel: each instance plays a tab. (tabs.test.ts runs real tabs in Chromium.)
 */
const sources: CrossTabEventSource[] = []
function tab(url: string, init?: ConstructorParameters<typeof CrossTabEventSource>[1]) {
  const source = new CrossTabEventSource(url, init)
  const received: number[] = []
  const errors: (number | undefined)[] = []
  source.addEventListener('message', (event) => received.push((JSON.parse(event.data) as { n: number }).n))
  source.onerror = (event) => errors.push((event as Event & { status?: number }).status)
  sources.push(source)
  return { source, received, errors }
}

describe('CrossTabEventSource', () => {
  beforeEach(() => stubLocks())
  afterEach(() => {
    for (const source of sources.splice(0)) source.close()
    vi.unstubAllGlobals()
  })

  it('one instance connects; another of the same stream follows and gets every event', async () => {
    const { url, key } = streamUrl({ count: 5, interval: 20 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.received).toEqual([1, 2, 3, 4, 5]), { timeout: 3000 })
    expect(first.received).toEqual([1, 2, 3, 4, 5])
    expect(first.source.leading).toBe(true)
    expect(second.source.leading).toBe(false)
    expect(second.source.readyState).toBe(CrossTabEventSource.OPEN)
    expect((await serverStats(key)).requests).toBe(1)
  })

  it('when the leader closes, the follower connects, resuming after the last id it heard', async () => {
    const { url, key } = streamUrl({ count: 1000, interval: 20 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(3), { timeout: 3000 })
    first.source.close()
    const heard = second.received.length
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(heard + 3), { timeout: 3000 })
    expect(second.source.leading).toBe(true)
    const stats = await serverStats(key)
    expect(stats.requests).toBe(2)
    expect(Number(stats.headers[1]?.['last-event-id'])).toBe(heard)
    expect(second.received).toEqual(second.received.map((_, i) => i + 1))
  })

  it("relays the leader's HTTP status with readyState CLOSED, and closes every tab", async () => {
    const { url } = streamUrl({ status: 401 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.errors).toEqual([401]), { timeout: 3000 })
    expect(first.errors).toEqual([401])
    expect(second.source.readyState).toBe(CrossTabEventSource.CLOSED)
  })

  it('does not share streams whose headers differ', async () => {
    const { url, key } = streamUrl({ count: 2 })
    const alice = tab(url, { headers: { Authorization: 'Bearer alice' } })
    const bob = tab(url, { headers: { Authorization: 'Bearer bob' } })
    await vi.waitFor(() => expect([alice.received, bob.received]).toEqual([[1, 2], [1, 2]]), { timeout: 3000 })
    expect([alice.source.leading, bob.source.leading]).toEqual([true, true])
    expect((await serverStats(key)).requests).toBe(2)
  })

  it('a follower closed while it waits for the lock never connects', async () => {
    const { url, key } = streamUrl({ count: 1000, interval: 20 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(2), { timeout: 3000 })
    second.source.close()
    first.source.close()
    await sleep(100) // for a request that should not come
    expect((await serverStats(key)).requests).toBe(1)
    expect(second.source.leading).toBe(false)
  })
})
