import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CrossTabEventSource } from '../../src/crossTab'
import { MockEventSource } from '../../src/testing'
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
    // jsdom has no EventSource: the leader's first attempt goes through event-source-polyfill, which logs every non-200.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { url } = streamUrl({ status: 401 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.errors).toEqual([401]), { timeout: 3000 })
    expect(first.errors).toEqual([401])
    expect(logged.mock.calls.map(String)).toEqual([expect.stringMatching(/status 401 Unauthorized that is not 200/)])
    expect(second.source.readyState).toBe(CrossTabEventSource.CLOSED)
  })

  it('does not share streams whose headers differ', async () => {
    const { url, key } = streamUrl({ count: 2 })
    const alice = tab(url, { headers: { Authorization: 'Bearer alice' } })
    const bob = tab(url, { headers: { Authorization: 'Bearer bob' } })
    await vi.waitFor(
      () =>
        expect([alice.received, bob.received]).toEqual([
          [1, 2],
          [1, 2],
        ]),
      { timeout: 3000 },
    )
    expect([alice.source.leading, bob.source.leading]).toEqual([true, true])
    expect((await serverStats(key)).requests).toBe(2)
  })

  it('a page about to be frozen holds neither the lock nor a request for it; running again, it asks again', async () => {
    const { url, key } = streamUrl({ count: 1000, interval: 20 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(2), { timeout: 3000 })
    document.dispatchEvent(new Event('freeze')) // both instances play tabs of this one page
    await sleep(100) // for a request that should not come: a frozen follower granted the lock would connect
    expect([first.source.leading, second.source.leading]).toEqual([false, false])
    expect((await serverStats(key)).requests).toBe(1)
    document.dispatchEvent(new Event('resume'))
    await vi.waitFor(async () => expect((await serverStats(key)).requests).toBe(2), { timeout: 3000 })
    expect([first.source.leading, second.source.leading].filter(Boolean)).toHaveLength(1)
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

/**
 * Another tab's leader, played by hand: it holds the stream's lock and posts on its BroadcastChannel, so that a test
 * decides the order of its notes and of the lock's grant.
 */
async function handLeader(url: string) {
  const name = `use-event-source ${JSON.stringify([url, false, null])}`
  let release = () => {}
  void navigator.locks.request(name, {}, () => new Promise<void>((resolve) => (release = resolve)))
  await sleep(0) // granted
  const channel = new BroadcastChannel(name)
  const post = (note: Record<string, unknown>) => channel.postMessage({ epoch: 'hand', ...note })
  const message = (n: number) => post({ kind: 'message', type: 'message', data: JSON.stringify({ n }), id: String(n) })
  return { channel, post, message, release }
}

describe('CrossTabEventSource and the order of notes', () => {
  beforeEach(() => stubLocks({ at: 'once' }))
  afterEach(() => {
    for (const source of sources.splice(0)) source.close()
    vi.unstubAllGlobals()
  })

  it('a follower that joins a live stream is open before its first message, as an EventSource is', async () => {
    const { url } = streamUrl()
    const leader = await handLeader(url)
    leader.channel.onmessage = ({ data }) => data.kind === 'hello' && leader.post({ kind: 'open' })
    const follower = tab(url)
    const states: number[] = []
    follower.source.addEventListener('message', () => states.push(follower.source.readyState))
    leader.message(1) // crosses the follower's hello: it arrives before the answer
    await sleep(20)
    leader.message(2)
    await sleep(20)
    expect(states).toEqual([CrossTabEventSource.OPEN, CrossTabEventSource.OPEN]) // got [0, 1]
    leader.channel.close()
    leader.release()
  })

  it("a follower's reconnect() resumes from that tab's last event: what was relayed while it had no channel comes again, and the others skip it", async () => {
    const url = 'http://127.0.0.1:9/stream'
    const encode = (n: number) => new TextEncoder().encode(`id: ${n}\ndata: {"n":${n}}\n\n`)
    /** A server that sends, after the Last-Event-ID it is sent, the next three events, and stays open; the test adds more. */
    const resumedFrom: (string | null)[] = []
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const from = Number(new Headers(init.headers).get('Last-Event-ID'))
      resumedFrom.push(String(from))
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          stream = controller
          for (let n = from + 1; n <= from + 3; n++) controller.enqueue(encode(n))
        },
      })
      return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
    })
    // A browser's EventSource (jsdom has none: the polyfill would carry the stream, with the fetch it found at load).
    vi.stubGlobal('EventSource', MockEventSource)
    const leader = tab(url, { headers: { 'Last-Event-ID': '0' } }) // an id to resume from: it connects through fetch
    const follower = tab(url)
    await vi.waitFor(() => expect(follower.received).toEqual([1, 2, 3]), { timeout: 3000 })
    let again: ReturnType<typeof tab> | undefined
    leader.source.addEventListener('message', (event) => {
      // The leader has just posted event 4; the follower's reconnect() closes its instance and opens another at
      // once, whose channel did not exist when 4 was posted.
      if (JSON.parse(event.data).n !== 4) return
      follower.source.close()
      again = tab(url, { headers: { 'Last-Event-ID': '3' } })
    })
    stream?.enqueue(encode(4))
    await vi.waitFor(() => expect(again?.received).toEqual([4, 5, 6]), { timeout: 3000 }) // got [5, 6, 7]
    expect(resumedFrom).toEqual(['0', '3'])
    expect(follower.received).toEqual([1, 2, 3])
    expect(leader.received).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('a tab granted the lock before the last notes of the leader that let go arrive sends events again: the other tabs skip them', async () => {
    const { url, key } = streamUrl({ count: 3 }) // after the id it resumes from: 4, 5, 6
    const leader = await handLeader(url)
    const next = tab(url)
    const other = tab(url)
    leader.post({ kind: 'open' })
    for (const n of [1, 2, 3]) leader.message(n)
    await sleep(20)
    // Events 4 and 5 are on their way when the leader's tab closes: the next tab is granted the lock at once and
    // resumes after 3, the last id it heard.
    leader.message(4)
    leader.message(5)
    leader.release()
    leader.channel.close()
    await vi.waitFor(() => expect(other.received.at(-1)).toBe(6), { timeout: 3000 })
    expect((await serverStats(key)).headers[0]?.['last-event-id']).toBe('3')
    expect(other.received).toEqual([1, 2, 3, 4, 5, 6]) // got 4 and 5 twice
    expect(next.received).toEqual([1, 2, 3, 4, 5, 6])
  })
})
