import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnection } from '../../src/core/connection'
import type { Connection } from '../../src/core/connectionTypes'
import { observers } from '../../src/core/observers'
import { createConnectionKey } from '../../src/core/registry'
import { digest } from '../../src/crossTab/digest'
import { PROTOCOL } from '../../src/crossTab/share'
import type { ConnectionOptions, EventSourceStatus } from '../../src/core/types'
import { stubLocks } from '../support/fakeLocks'
import { listener } from '../support/listeners'
import { serverSawClose, serverStats, sleep, streamUrl } from '../support/server'
import { restoreVisibility, setHidden } from '../support/visibility'

/**
 * Cross-tab sharing in jsdom against the test SSE server, with a fake Web Locks manager and Node's
 * BroadcastChannel: each connection plays the connection of one tab (each tab has a registry of its own).
 * tabs.test.ts runs real tabs in Chromium.
 */
interface Tab {
  connection: Connection
  received: number[]
  statuses: EventSourceStatus[]
  /** The tab's hooks leave (it closes, or an <Activity> hides them). */
  leave(): void
  /** They come back (shown again): the same connection, from its position. */
  rejoin(): void
  status(): EventSourceStatus
  leading(): boolean
}

const tabs: Tab[] = []

/** `leaveOn`: the tab's hooks leave as soon as they are told of this status (its page closes then). */
function tab(url: string, extra: ConnectionOptions = {}, leaveOn?: EventSourceStatus): Tab {
  // Through fetch: every request's Last-Event-ID is in the server's stats.
  const options: ConnectionOptions = { crossTab: true, transport: 'fetch', ...extra }
  const connection = createConnection(url, {
    key: createConnectionKey()(url, options),
    share: () => import('../../src/crossTab/share'),
  })
  const received: number[] = []
  const statuses: EventSourceStatus[] = []
  const hook = listener({
    event: (_, data) => received.push((JSON.parse(data) as { n: number }).n),
    state({ status }) {
      statuses.push(status)
      if (status === leaveOn) leave()
    },
  })
  connection.listen('message')
  let leave = () => {}
  const played: Tab = {
    connection,
    received,
    statuses,
    leave: () => leave(),
    rejoin() {
      leave = connection.subscribe(hook, () => options)
    },
    status: () => connection.getState().status,
    leading: () => !!connection.inspect().transport && connection.inspect().transport !== 'cross-tab follower',
  }
  leave = connection.subscribe(hook, () => options)
  tabs.push(played)
  return played
}

/** Two tabs on a stream of an event every 20 ms, once the second (the follower) has had `events`. */
async function twoTabs(events: number) {
  const { url, key } = streamUrl({ count: 1000, interval: 20 })
  const first = tab(url)
  const second = tab(url)
  await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(events), { timeout: 3000 })
  return { url, key, first, second }
}

/** Longer than a tab granted the stream waits to hear how the last leader left it. */
const HANDOVER_AND_MORE = 400

/** The numbers 1 to n, as a tab that missed nothing and got nothing twice has them. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
const inOrder = (received: number[]) =>
  expect(received).toEqual(upTo(received.length).map((n) => n + (received[0] ?? 1) - 1))

beforeEach(() => stubLocks())
afterEach(async () => {
  for (const played of tabs.splice(0)) played.leave()
  await sleep(20)
  vi.unstubAllGlobals()
})

describe('one stream for every tab', () => {
  it('one tab connects; another follows and gets every event, with one request', async () => {
    const { url, key } = streamUrl({ count: 5, interval: 20 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.received).toEqual(upTo(5)), { timeout: 3000 })
    expect(first.received).toEqual(upTo(5))
    expect([first.leading(), second.leading()]).toEqual([true, false])
    expect(second.status()).toBe('open')
    expect((await serverStats(key)).requests).toBe(1)
  })

  it('when the leader’s hooks leave, the next tab leads and resumes after the last id it had', async () => {
    const { key, first, second } = await twoTabs(3)
    first.leave()
    const heard = second.received.length
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(heard + 3), { timeout: 3000 })
    expect(second.leading()).toBe(true)
    const stats = await serverStats(key)
    expect(stats.requests).toBe(2)
    expect(Number(stats.headers[1]?.['last-event-id'])).toBeGreaterThanOrEqual(heard)
    inOrder(second.received)
    expect(second.received[0]).toBe(1)
  })

  it('does not share streams whose headers differ', async () => {
    const { url, key } = streamUrl({ count: 2 })
    const alice = tab(url, { headers: { Authorization: 'Bearer alice' } })
    const bob = tab(url, { headers: { Authorization: 'Bearer bob' } })
    await vi.waitFor(() => expect([alice.received, bob.received]).toEqual([upTo(2), upTo(2)]), { timeout: 3000 })
    expect([alice.leading(), bob.leading()]).toEqual([true, true])
    expect((await serverStats(key)).requests).toBe(2)
  })

  it('names its lock and channel with a digest: no header value, no url, no query (defect 8)', async () => {
    const names: string[] = []
    const request = navigator.locks.request.bind(navigator.locks)
    vi.spyOn(navigator.locks, 'request').mockImplementation(((name: string, ...rest: never[]) => {
      names.push(name)
      return (request as (...args: unknown[]) => Promise<unknown>)(name, ...rest)
    }) as typeof navigator.locks.request)
    const Channel = globalThis.BroadcastChannel
    vi.stubGlobal(
      'BroadcastChannel',
      class extends Channel {
        constructor(name: string) {
          super(name)
          names.push(name)
        }
      },
    )
    const { url } = streamUrl({ count: 2, token: 'secret-query-token' })
    const leader = tab(url, { headers: { Authorization: 'Bearer secret-header-token' } })
    await vi.waitFor(() => expect(leader.received).toEqual(upTo(2)), { timeout: 3000 })
    expect(names).toHaveLength(2)
    for (const name of names) {
      expect(name).toMatch(/^use-event-source:\d+:[0-9a-f]{64}$/)
      expect(name).not.toMatch(/secret|127\.0\.0\.1|sse/)
    }
  })
})

describe('one policy: the leader’s', () => {
  it('after an error every tab hears, no tab retries on its own, and none misses an event (defect 4)', async () => {
    // The connection drops after 5 events, and resumes from Last-Event-ID.
    const { url, key } = streamUrl({ count: 5, interval: 20, end: 1 })
    const tabsOfPage = [tab(url), tab(url), tab(url)]
    await vi.waitFor(() => expect(tabsOfPage.map((one) => one.received.length)).toEqual([10, 10, 10]), {
      timeout: 10_000,
    })
    for (const one of tabsOfPage) expect(one.received).toEqual(upTo(10))
    for (const one of tabsOfPage.slice(1)) expect(one.statuses).toContain('reconnecting')
    const stats = await serverStats(key)
    expect(stats.headers.map((headers) => headers['last-event-id'])).toEqual([undefined, '5'])
  }, 15_000)

  it('a follower mirrors a 401 the leader got; a 401 is asked once, even where the lock comes first (defect 7)', async () => {
    stubLocks({ at: 'once' })
    const { url, key } = streamUrl({ count: 2, interval: 20, status: 401, after: 1 })
    // The leader's page closes as soon as it sees the 401: the lock reaches the follower (at once) before the notes
    // that say the stream gave up (a task later).
    const first = tab(url, {}, 'error')
    const second = tab(url)
    await vi.waitFor(() => expect(second.received).toEqual(upTo(2)), { timeout: 3000 })
    first.connection.reconnect() // the server answers 401 from now on
    await vi.waitFor(() => expect(second.status()).toBe('error'), { timeout: 3000 })
    await sleep(HANDOVER_AND_MORE)
    expect(second.connection.getState().error).toMatchObject({ kind: 'http', status: 401 })
    expect(second.statuses.at(-1)).toBe('error')
    expect((await serverStats(key)).requests).toBe(2)
  })

  it('a follower mirrors a pending retry: the same attempt and countdown as the leader', async () => {
    const { url } = streamUrl({ status: 503 })
    const first = tab(url)
    const second = tab(url)
    await vi.waitFor(() => expect(second.connection.getState().attempt).toBeGreaterThanOrEqual(1), { timeout: 3000 })
    const leader = first.connection.getState()
    const follower = second.connection.getState()
    expect(follower).toMatchObject({ status: 'reconnecting', attempt: leader.attempt })
    expect(Math.abs(follower.retryAt - leader.retryAt)).toBeLessThan(100)
  })

  it('a follower never runs a liveness watchdog of its own on a quiet, healthy stream (defect 5)', async () => {
    // Two events, then heartbeats only: the leader (through fetch) hears them; its followers hear nothing for 2 s.
    const { url, key } = streamUrl({ count: 2, heartbeat: 200 })
    const first = tab(url, { idleTimeout: 1000 })
    const second = tab(url, { idleTimeout: 1000 })
    await vi.waitFor(() => expect(second.received).toEqual(upTo(2)), { timeout: 3000 })
    await sleep(2500)
    expect([first.status(), second.status()]).toEqual(['open', 'open'])
    expect(second.statuses).not.toContain('reconnecting')
    expect((await serverStats(key)).requests).toBe(1)
  })
})

describe('a tab that rejoins', () => {
  it('gets what it missed after its own last id from the leader, never twice (shown again after <Activity>)', async () => {
    const { key, first: leader, second: follower } = await twoTabs(3)
    follower.leave()
    await sleep(200)
    const away = follower.received.length
    follower.rejoin()
    await vi.waitFor(() => expect(follower.received.length).toBeGreaterThanOrEqual(away + 15), { timeout: 3000 })
    expect(follower.received).toEqual(upTo(follower.received.length))
    expect(leader.received.slice(0, follower.received.length)).toEqual(follower.received)
    expect((await serverStats(key)).requests).toBe(1)
  })

  it('a follower’s reconnect() asks the leader to reconnect: one new request, from the last id, no gap or duplicate', async () => {
    const { key, first: leader, second: follower } = await twoTabs(3)
    follower.connection.reconnect()
    await vi.waitFor(async () => expect((await serverStats(key)).requests).toBe(2), { timeout: 3000 })
    const heard = follower.received.length
    await vi.waitFor(() => expect(follower.received.length).toBeGreaterThanOrEqual(heard + 5), { timeout: 3000 })
    expect(follower.received).toEqual(upTo(follower.received.length))
    expect(leader.received).toEqual(upTo(leader.received.length))
  })

  it('a page about to be frozen holds neither the lock nor a request for it; running again, it asks again', async () => {
    const { key, first, second } = await twoTabs(2)
    document.dispatchEvent(new Event('freeze')) // both connections play tabs of this one page
    await sleep(HANDOVER_AND_MORE) // for a request that should not come: a frozen follower granted the lock would connect
    expect([first.leading(), second.leading()]).toEqual([false, false])
    expect((await serverStats(key)).requests).toBe(1)
    document.dispatchEvent(new Event('resume'))
    await vi.waitFor(async () => expect((await serverStats(key)).requests).toBe(2), { timeout: 3000 })
    await vi.waitFor(() => expect([first.leading(), second.leading()].filter(Boolean)).toHaveLength(1))
  })

  it('a follower that leaves while it waits for the lock never connects', async () => {
    const { key, first, second } = await twoTabs(2)
    second.leave()
    first.leave()
    await sleep(HANDOVER_AND_MORE) // for a request that should not come
    expect((await serverStats(key)).requests).toBe(1)
  })
})

describe('a tab that rejoins, played against a leader played by hand', () => {
  it('gets what it missed, in order, though the leader relays an event between its hello and the welcome', async () => {
    stubLocks({ at: 'once' })
    const url = 'http://127.0.0.1:9/hand' // the hand leader holds the lock: the tab never connects itself
    const name = `use-event-source:${PROTOCOL}:${digest(createConnectionKey()(url, { crossTab: true, transport: 'fetch' }) ?? '')}`
    void navigator.locks.request(name, {}, () => new Promise(() => {}))
    const leader = new BroadcastChannel(name)
    const relay = (n: number) => ({
      kind: 'event',
      epoch: 'hand',
      event: { type: 'message', data: JSON.stringify({ n }), id: String(n) },
    })
    const state = { status: 'open', error: null, attempt: 0, retryIn: 0 }
    let hellos = 0
    leader.onmessage = ({ data }) => {
      if (data.kind !== 'hello') return
      hellos += 1
      const welcome = { kind: 'welcome', epoch: 'hand', to: data.tab, ask: data.ask, state }
      if (hellos === 1) {
        leader.postMessage({ ...welcome, events: [] })
        for (const n of [1, 2, 3]) leader.postMessage(relay(n))
      } else {
        // Event 7 is relayed live before the leader reads the hello; the welcome sends what came after 3, 7 included.
        leader.postMessage(relay(7))
        leader.postMessage({ ...welcome, events: [4, 5, 6, 7].map((n) => relay(n).event) })
        leader.postMessage(relay(8))
      }
    }
    try {
      const follower = tab(url)
      await vi.waitFor(() => expect(follower.received).toEqual(upTo(3)))
      follower.leave()
      await sleep(20)
      follower.rejoin()
      await vi.waitFor(() => expect(follower.received).toEqual(upTo(8))) // got [1, 2, 3, 7, 8]: 4 to 6 skipped
    } finally {
      leader.close()
    }
  })
})

describe('pauseWhenHidden across tabs', () => {
  afterEach(restoreVisibility)

  it('lets go only once every tab is hidden, and resumes from its position when one is shown: no gap', async () => {
    const { url, key } = streamUrl({ count: 1000, interval: 20 })
    const first = tab(url, { pauseWhenHidden: 200 })
    const second = tab(url, { pauseWhenHidden: 200 })
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(3), { timeout: 3000 })
    // Another tab, still visible, says so: the stream goes on while this page is hidden.
    const name = `use-event-source:${PROTOCOL}:${digest(createConnectionKey()(url, { crossTab: true, transport: 'fetch', pauseWhenHidden: 200 }) ?? '')}`
    const other = new BroadcastChannel(name)
    try {
      other.postMessage({ kind: 'seen', tab: 'other', visible: true })
      setHidden(true)
      await sleep(400)
      expect([first.status(), second.status()]).toEqual(['open', 'open'])
      // The other tab is hidden too: every tab is, and the leader lets the stream go.
      other.postMessage({ kind: 'seen', tab: 'other', visible: false })
      await vi.waitFor(() => expect([first.status(), second.status()]).toEqual(['idle', 'idle']), { timeout: 2000 })
      await serverSawClose(key)
      const heard = second.received.length
      setHidden(false)
      await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(heard + 3), { timeout: 3000 })
      expect([first.status(), second.status()]).toEqual(['open', 'open'])
      inOrder(first.received)
      inOrder(second.received)
      expect(second.received[0]).toBe(1)
      const stats = await serverStats(key)
      expect(stats.requests).toBe(2) // one connection for both tabs, before and after the pause
      expect(Number(stats.headers[1]?.['last-event-id'])).toBeGreaterThanOrEqual(heard)
    } finally {
      other.close()
    }
  })
})

describe('observers', () => {
  it('hear a follower’s events and states as any connection’s', async () => {
    const told: string[] = []
    const observer = { event: (_: Connection, type: string) => told.push(type) }
    observers.add(observer)
    try {
      const { url } = streamUrl({ count: 2, interval: 20 })
      tab(url)
      const follower = tab(url)
      await vi.waitFor(() => expect(follower.received).toEqual(upTo(2)), { timeout: 3000 })
      expect(told).toEqual(['message', 'message', 'message', 'message'])
    } finally {
      observers.delete(observer)
    }
  })
})

describe('the lock, let go', () => {
  it('a reconnect() before the cross-tab chunk loaded does not share twice (the lock is let go on dispose)', async () => {
    const { url } = streamUrl({ count: 1000, interval: 20 })
    const first = tab(url)
    first.connection.reconnect() // before the chunk loaded
    await vi.waitFor(() => expect(first.received.length).toBeGreaterThanOrEqual(5), { timeout: 3000 })
    first.leave()
    await sleep(HANDOVER_AND_MORE)
    const second = tab(url)
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(3), { timeout: 3000 })
  })

  it('a reconnect() before the cross-tab chunk loaded delivers each event once', async () => {
    const { url } = streamUrl({ count: 1000, interval: 20 })
    const first = tab(url)
    first.connection.reconnect() // before the chunk loaded
    await vi.waitFor(() => expect(first.received.length).toBeGreaterThanOrEqual(10), { timeout: 3000 })
    inOrder(first.received)
  })

  it('a tab granted the lock whose hooks leave during the handover wait lets the lock go', async () => {
    stubLocks({ at: 'once' })
    const { url, first, second } = await twoTabs(2)
    first.leave()
    // Microtasks only: the first tab's grace period, its release, the lock granted to the second, which waits for
    // the first one's leaving note (a task later, over the channel)...
    for (let i = 0; i < 50; i++) await Promise.resolve()
    second.leave() // ...and its hooks leave meanwhile
    await sleep(HANDOVER_AND_MORE)
    const third = tab(url)
    await vi.waitFor(() => expect(third.status()).toBe('open'), { timeout: 3000 })
  })

  it('a tab that took over and whose hooks leave lets the lock go: the next tab leads', async () => {
    stubLocks({ at: 'once' })
    const { url, first, second } = await twoTabs(2)
    first.leave()
    await sleep(HANDOVER_AND_MORE)
    second.leave()
    await sleep(HANDOVER_AND_MORE)
    const third = tab(url)
    await vi.waitFor(() => expect(third.status()).toBe('open'), { timeout: 3000 })
  })
})

describe('statuses across tabs', () => {
  it('a tab that takes over is not open while its own attempt is unanswered', async () => {
    const { createServer } = await import('node:http')
    let requests = 0
    const server = createServer((_req, res) => {
      requests += 1
      if (requests > 1) return // the takeover's request: never answered
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      let n = 0
      const timer = setInterval(() => res.write(`id: ${++n}\ndata: {"n":${n}}\n\n`), 20)
      res.on('close', () => clearInterval(timer))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sse`
      const first = tab(url)
      const second = tab(url)
      await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(2), { timeout: 3000 })
      first.leave()
      await vi.waitFor(() => expect(requests).toBe(2), { timeout: 3000 })
      await sleep(1000)
      expect({ status: second.status(), statuses: second.statuses }).toMatchObject({ status: 'reconnecting' }) // nothing can arrive: the new leader's request has no answer
    } finally {
      for (const played of tabs.splice(0)) played.leave()
      server.closeAllConnections()
      server.close()
    }
  })

  it('a tab granted the lock before the leaving note arrives says it runs the stream (devtools transport)', async () => {
    stubLocks({ at: 'once' })
    const { key, first, second } = await twoTabs(3)
    first.leave()
    await vi.waitFor(async () => expect((await serverStats(key)).requests).toBe(2), { timeout: 3000 })
    const heard = second.received.length
    await vi.waitFor(() => expect(second.received.length).toBeGreaterThanOrEqual(heard + 3), { timeout: 3000 })
    expect(second.connection.inspect().transport).toBe('fetch')
  })

  it('a follower’s close() (the devtools’ Close) stops the stream: closed, and no more events', async () => {
    const { second: follower } = await twoTabs(3)
    follower.connection.close()
    const heard = follower.received.length
    await sleep(300)
    expect(follower.status()).toBe('closed')
    expect(follower.received.length).toBe(heard)
  })

  it('a tab whose lock request is refused (SecurityError) still runs the stream', async () => {
    vi.stubGlobal(
      'navigator',
      Object.assign(Object.create(navigator), {
        locks: { request: () => Promise.reject(new DOMException('The request is not allowed.', 'SecurityError')) },
      }),
    )
    const { url } = streamUrl({ count: 3, interval: 20 })
    const only = tab(url)
    await vi.waitFor(() => expect(only.received).toEqual(upTo(3)), { timeout: 3000 })
  })
})
