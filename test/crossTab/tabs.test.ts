// @vitest-environment node
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchRawChromium } from '../support/cdp'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { createSseHandler, type KeyStats } from '../support/sseServer'
import type { TabApi } from './page'

/**
 * Several tabs of one browser profile (pages of one Playwright context) on one cross-tab stream, in real
 * Chromium, against the test SSE server, which serves the page too (same origin: one Web Lock, one
 * BroadcastChannel). The stream sends `{ n }` with `id: n` every 100 ms and resumes after Last-Event-ID.
 */
describe.skipIf(!existsSync(chromiumPath))('cross-tab streams in Chromium', () => {
  let server: Server
  let origin: string
  /** Another origin, whose stream allows cross-origin GETs but refuses every CORS preflight; it ends after 3 events. */
  let corsServer: Server
  let corsOrigin: string
  let browser: Browser
  let keys = 0

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'use-event-source-tabs-'))
    await build({
      entryPoints: [join(import.meta.dirname, 'page.tsx')],
      bundle: true,
      format: 'esm',
      outdir: out,
      define: { 'process.env.NODE_ENV': '"development"' }, // for the devtools' getStreams (see page.tsx)
      logLevel: 'error',
    })
    const sse = createSseHandler()
    server = createServer((req, res) => {
      if (sse(req, res)) return
      if (req.url?.startsWith('/page.js'))
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(out, 'page.js')))
      else
        res
          .writeHead(200, { 'Content-Type': 'text/html' })
          .end('<!doctype html><div id="root"></div><script type="module" src="/page.js"></script>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    corsServer = createServer((req, res) => {
      if (req.method !== 'GET') return void res.writeHead(404).end()
      const from = Number(req.headers['last-event-id'] ?? 0)
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Access-Control-Allow-Origin': '*' })
      for (let n = from + 1; n <= from + 3; n++) res.write(`id: ${n}\ndata: {"n":${n}}\n\n`)
      setTimeout(() => res.end(), 100)
    })
    await new Promise<void>((resolve) => corsServer.listen(0, '127.0.0.1', resolve))
    corsOrigin = `http://localhost:${(corsServer.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    for (const each of [server, corsServer]) {
      each?.closeAllConnections()
      each?.close()
    }
  })

  /** A stream of its own for each test: its own key on the server. */
  function stream() {
    const key = `tabs-${++keys}`
    return { key, path: `/sse?key=${key}&count=100000&interval=100` }
  }
  const stats = async (key: string) => (await (await fetch(`${origin}/stats?key=${key}`)).json()) as KeyStats
  const tab = <M extends keyof TabApi>(page: Page, method: M) =>
    page.evaluate(
      (name) => (window as unknown as { tab: Record<string, () => unknown> }).tab[name]?.(),
      method,
    ) as Promise<ReturnType<TabApi[M]>>

  /** `count` tabs on the stream at `path` (a path on the test server, or a url); `query` adds page options (see page.tsx). */
  async function openTabs(context: BrowserContext, path: string, count: number, query = '') {
    const pages: Page[] = []
    for (let i = 0; i < count; i++) {
      const page = await context.newPage()
      await page.goto(`${origin}/?stream=${encodeURIComponent(path)}${query}`)
      pages.push(page)
    }
    return pages
  }

  /** Waits (bounded) until every page has received at least `count` events. */
  async function untilReceived(pages: Page[], count: number) {
    for (const page of pages)
      await page.waitForFunction((n) => (window as unknown as { tab: TabApi }).tab.received().length >= n, count, {
        timeout: 10_000,
      })
  }

  /** Each tab's events follow one another by one: no gap, no duplicate, wherever the tab joined. */
  async function expectNoGap(pages: Page[]) {
    for (const page of pages) {
      const received = await tab(page, 'received')
      expect(received.length).toBeGreaterThan(0)
      expect(received).toEqual(received.map((_, i) => (received[0] as number) + i))
    }
  }

  /** Polls `read` every `every` ms until it returns `expected` (then returns it), or returns its last value after `timeout` ms. */
  async function until<T>(read: () => Promise<T>, expected: T, timeout = 10_000, every = 100): Promise<T> {
    let value = await read()
    for (let waited = 0; waited < timeout && JSON.stringify(value) !== JSON.stringify(expected); waited += every) {
      await new Promise((resolve) => setTimeout(resolve, every))
      value = await read()
    }
    return value
  }

  const gapsIn = (list: number[]) => list.filter((n, i) => i > 0 && n !== (list[i - 1] as number) + 1)

  async function leaderOf(pages: Page[]) {
    const roles = await Promise.all(pages.map((page) => tab(page, 'leading')))
    expect(roles.filter(Boolean)).toHaveLength(1)
    return pages[roles.indexOf(true)] as Page
  }

  it('8 tabs hold 1 server connection and all of them show data', async () => {
    const context = await browser.newContext()
    const { key, path } = stream()
    const pages = await openTabs(context, path, 8)
    await untilReceived(pages, 5)
    expect(await stats(key)).toMatchObject({ requests: 1, open: 1 })
    for (const page of pages) expect(await tab(page, 'status')).toBe('open')
    await leaderOf(pages)
    await expectNoGap(pages)
    await context.close()
  }, 60_000)

  it('closing the leader tab hands the stream over in under a second, resuming after the last id: no gap, no duplicate', async () => {
    const context = await browser.newContext()
    const { key, path } = stream()
    const pages = await openTabs(context, path, 4)
    await untilReceived(pages, 5)
    const leader = await leaderOf(pages)
    const closedAt = Date.now()
    await leader.close()
    const rest = pages.filter((page) => page !== leader)
    const connections = async () => {
      const { requests, open } = await stats(key)
      return { requests, open }
    }
    expect(await until(connections, { requests: 2, open: 1 }, 2000, 10)).toEqual({ requests: 2, open: 1 })
    expect(Date.now() - closedAt).toBeLessThan(1000)
    const resumed = (await stats(key)).headers[1]?.['last-event-id']
    expect(Number(resumed)).toBeGreaterThan(0)
    const before = await Promise.all(rest.map((page) => tab(page, 'received')))
    await untilReceived(rest, Math.max(...before.map((list) => list.length)) + 5)
    await leaderOf(rest)
    await expectNoGap(rest)
    for (const page of rest) expect(await tab(page, 'status')).toBe('open')
    await context.close()
  }, 60_000)

  it("a follower's reconnect() has the leader reconnect, and its close() closes only that tab", async () => {
    const context = await browser.newContext()
    const { key, path } = stream()
    const pages = await openTabs(context, path, 3)
    await untilReceived(pages, 5)
    const leader = await leaderOf(pages)
    const [follower, other] = pages.filter((page) => page !== leader) as [Page, Page]
    await tab(follower, 'reconnect')
    await until(async () => (await stats(key)).requests, 2)
    const seen = await stats(key)
    expect(seen).toMatchObject({ requests: 2 })
    expect(Number(seen.headers[1]?.['last-event-id'])).toBeGreaterThan(0)
    const counts = await Promise.all(pages.map((page) => tab(page, 'received')))
    await untilReceived(pages, Math.max(...counts.map((list) => list.length)) + 5)
    await expectNoGap(pages)

    await tab(follower, 'close')
    const closedWith = (await tab(follower, 'received')).length
    await untilReceived([leader, other], Math.max(...counts.map((list) => list.length)) + 10)
    expect(await tab(follower, 'status')).toBe('closed')
    expect((await tab(follower, 'received')).length).toBe(closedWith)
    expect(await tab(other, 'status')).toBe('open')
    expect(await stats(key)).toMatchObject({ requests: 2, open: 1 })
    await context.close()
  }, 60_000)

  it("a follower gets the named events it listens to, which the leader's own hooks do not", async () => {
    const context = await browser.newContext()
    const key = `tabs-${++keys}`
    const path = `/sse?key=${key}&count=100000&interval=100&event=price` // every event is named price
    const [leader] = await openTabs(context, path, 1) // its hook takes unnamed events only
    await until(async () => (await stats(key)).open, 1)
    const [follower] = (await openTabs(context, path, 1, '&events=price')) as [Page]
    await untilReceived([follower], 5)
    expect(await tab(leader as Page, 'leading')).toBe(true)
    expect(await tab(leader as Page, 'received')).toEqual([])
    expect(await stats(key)).toMatchObject({ requests: 1, open: 1 })
    await expectNoGap([follower])
    await context.close()
  }, 60_000)

  // Playwright's pages are all visible, and CDP's setWebLifecycleState needs a hidden one: the test sends the leader the
  // `freeze` event that Chromium sends a page it is about to freeze (the freeze itself: the last tests).
  it('a leader told it is about to be frozen hands the stream over, and follows afterwards', async () => {
    const context = await browser.newContext()
    const { key, path } = stream()
    const pages = await openTabs(context, path, 3)
    await untilReceived(pages, 5)
    const leader = await leaderOf(pages)
    const rest = pages.filter((page) => page !== leader)
    await leader.evaluate(() => document.dispatchEvent(new Event('freeze')))
    await until(async () => (await stats(key)).requests, 2)
    expect(await stats(key)).toMatchObject({ requests: 2, open: 1 })
    const counts = await Promise.all(rest.map((page) => tab(page, 'received')))
    await untilReceived(rest, Math.max(...counts.map((list) => list.length)) + 5)
    await expectNoGap(rest)

    const resumedWith = (await tab(leader, 'received')).length
    await untilReceived([leader], resumedWith + 5)
    expect(await tab(leader, 'leading')).toBe(false)
    await expectNoGap([leader])
    expect(await stats(key)).toMatchObject({ requests: 2, open: 1 })
    await context.close()
  }, 60_000)

  it("the new leader's HTTP error reaches every tab, and a 401 stops them all", async () => {
    const context = await browser.newContext()
    const key = `tabs-${++keys}`
    // The first request streams; every later one is answered 401 (a session that expired).
    const pages = await openTabs(context, `/sse?key=${key}&count=100000&interval=40&status=401&after=1`, 3)
    await untilReceived(pages, 5)
    const leader = await leaderOf(pages)
    await leader.close()
    const rest = pages.filter((page) => page !== leader)
    for (const page of rest)
      await page.waitForFunction(() => (window as unknown as { tab: TabApi }).tab.status() === 'error', null, {
        timeout: 10_000,
      })
    for (const page of rest)
      expect(await tab(page, 'error')).toMatchObject({
        kind: 'http',
        status: 401,
        message: expect.stringMatching(/^HTTP 401/),
      })
    // The new leader asked once; the other tab heard its answer (or, granted the lock first, asked once too). Nobody retried.
    expect((await stats(key)).requests).toBeLessThanOrEqual(3)
    await context.close()
  }, 60_000)

  it("with headers (through fetch), a follower's reconnect() closes the old leader's stream cleanly: one connection, nothing thrown", async () => {
    const context = await browser.newContext()
    const { key, path } = stream()
    const pages = await openTabs(context, path, 3, '&headers=1')
    await untilReceived(pages, 5)
    const leader = await leaderOf(pages)
    await tab(pages.find((page) => page !== leader) as Page, 'reconnect')
    const read = async () => ({
      statuses: await Promise.all(pages.map((page) => tab(page, 'status'))),
      escaped: (await Promise.all(pages.map((page) => tab(page, 'escaped')))).flat(),
      open: (await stats(key)).open,
    })
    expect(await until(read, { statuses: ['open', 'open', 'open'], escaped: [], open: 1 })).toEqual({
      statuses: ['open', 'open', 'open'],
      escaped: [],
      open: 1,
    })
    await context.close()
  }, 60_000)

  it('a stream the server ends is reopened after its retry:, resuming, by the browser or by the leader; the followers stay with it: no gap', async () => {
    // The browser's EventSource reopens it by itself; through fetch (a header), the leader does, as a browser would.
    for (const query of ['', '&headers=1']) {
      const context = await browser.newContext()
      const key = `tabs-${++keys}`
      // 30 events every 40 ms, then the response ends; the server asks for 2 s before the reconnection.
      const pages = await openTabs(context, `/sse?key=${key}&count=30&interval=40&end=1&retry=2000`, 3, query)
      // From the end of the first response (seen by polling every 100 ms, hence the margin) to the second request.
      const ended = { requests: 1, open: 0 }
      const requestsAndOpen = async () => {
        const { requests, open } = await stats(key)
        return { requests, open }
      }
      expect(await until(requestsAndOpen, ended)).toEqual(ended)
      const endedAt = Date.now()
      expect(await until(async () => (await stats(key)).requests, 2)).toBe(2)
      expect(Date.now() - endedAt).toBeGreaterThanOrEqual(1800)
      await untilReceived(pages, 35)
      expect({ query, resumedAfter: (await stats(key)).headers[1]?.['last-event-id'] }).toEqual({
        query,
        resumedAfter: '30',
      })
      const lists = await Promise.all(pages.map((page) => tab(page, 'received')))
      expect(lists.map(gapsIn)).toEqual([[], [], []]) // each from where it joined
      await context.close()
    }
  }, 60_000)

  it('learns the HTTP status the browser hides: a 401 from the start stops, with or without Web Locks', async () => {
    for (const locks of [true, false]) {
      const context = await browser.newContext()
      if (!locks) await context.addInitScript(() => delete (Navigator.prototype as { locks?: unknown }).locks)
      const key = `tabs-${++keys}`
      const [page] = (await openTabs(context, `/sse?key=${key}&status=401`, 1)) as [Page]
      expect(await until(() => tab(page, 'status'), 'error')).toBe('error')
      // The browser's EventSource first (it says nothing), then fetch, which learns the 401: as the hook alone does.
      expect({ locks, error: await tab(page, 'error'), requests: (await stats(key)).requests }).toEqual({
        locks,
        error: { kind: 'http', status: 401, message: 'HTTP 401: status 401' },
        requests: 2,
      })
      await context.close()
    }
  }, 60_000)

  it('a cross-origin server that refuses the preflight Last-Event-ID needs still gets the stream resumed (natively, as the hook alone does)', async () => {
    const context = await browser.newContext()
    const [page] = (await openTabs(context, `${corsOrigin}/sse`, 1)) as [Page]
    const received = await until(async () => (await tab(page, 'received')).slice(0, 4).length, 4)
    expect(received).toBe(4)
    await context.close()
  }, 60_000)

  it('a tab taking over a cross-origin stream whose server refuses the preflight goes on natively (without the id)', async () => {
    const context = await browser.newContext()
    const pages = await openTabs(context, `${corsOrigin}/sse`, 2)
    await untilReceived(pages, 3)
    const leader = await leaderOf(pages)
    const [other] = pages.filter((page) => page !== leader) as [Page]
    const before = (await tab(other, 'received')).length
    await leader.close()
    // Its fetch with Last-Event-ID is refused at the preflight; the next attempt is the browser's EventSource.
    await untilReceived([other], before + 3)
    expect(await tab(other, 'leading')).toBe(true)
    await context.close()
  }, 60_000)

  it('pauseWhenHidden: lets go only once every tab is hidden, resumes when one is shown, with no gap', async () => {
    const context = await browser.newContext()
    const { key, path } = stream()
    const pages = await openTabs(context, path, 2, '&pause=300')
    const [first, second] = pages as [Page, Page]
    await untilReceived(pages, 3)
    const waitFor = async (condition: () => Promise<boolean>) => {
      for (let tries = 0; tries < 100 && !(await condition()); tries++) await new Promise((r) => setTimeout(r, 50))
      expect(await condition()).toBe(true)
    }
    await tab(first, 'hide')
    await new Promise((resolve) => setTimeout(resolve, 900)) // three times the option: the other tab is shown
    expect(await stats(key)).toMatchObject({ requests: 1, open: 1 })
    await tab(second, 'hide')
    await waitFor(async () => (await stats(key)).open === 0 && (await tab(second, 'status')) === 'idle')
    expect(await tab(first, 'status')).toBe('idle')
    const heard = (await tab(second, 'received')).length
    await tab(first, 'show')
    await untilReceived(pages, heard + 3)
    const { requests, headers } = await stats(key)
    expect(requests).toBe(2)
    expect(Number(headers[1]?.['last-event-id'])).toBeGreaterThanOrEqual(heard)
    await expectNoGap(pages)
    await context.close()
  }, 60_000)

  it('without Web Locks every tab connects on its own, as without the option', async () => {
    const context = await browser.newContext()
    await context.addInitScript(() => {
      delete (Navigator.prototype as { locks?: unknown }).locks // a browser without Web Locks
    })
    const { key, path } = stream()
    const pages = await openTabs(context, path, 3)
    await untilReceived(pages, 5)
    expect(await stats(key)).toMatchObject({ requests: 3, open: 3 })
    for (const page of pages) expect(await tab(page, 'leading')).toBe(true)
    await expectNoGap(pages)
    await context.close()
  }, 60_000)

  /**
   * A frozen tab, then resumed. Chromium freezes only hidden pages, and Playwright keeps its pages visible: this
   * drives a Chromium of its own through CDP, where a second tab in front hides the first, which CDP can then freeze.
   */
  it.each([
    ['through fetch', '&plain=1&headers=1'],
    ['with the browser’s EventSource', '&plain=1'],
  ])(
    'a stream frozen for 10 s (%s) delivers again within 2 s of resume, with no gap',
    async (_, query) => {
      const chromium = await launchRawChromium()
      try {
        const { path } = stream()
        const { session: page, target } = await chromium.open(`${origin}/?stream=${encodeURIComponent(path)}${query}`)
        const received = () => chromium.evaluate<number[]>(page, 'window.tab?.received() ?? []')
        expect(await until(async () => (await received()).length >= 5, true)).toBe(true)
        await chromium.open('about:blank')
        expect(await until(() => chromium.evaluate(page, 'document.visibilityState'), 'hidden')).toBe('hidden')
        await chromium.send('Page.setWebLifecycleState', { state: 'frozen' }, page)
        await new Promise((resolve) => setTimeout(resolve, 10_000))
        // The user comes back to the tab: it runs again, in front.
        await chromium.send('Page.setWebLifecycleState', { state: 'active' }, page)
        await chromium.send('Target.activateTarget', { targetId: target })
        const resumedAt = Date.now()
        const held = (await received()).length // what the frozen page had, and what came at resume
        // The server sent 100 events meanwhile: the stream goes on within 2 s.
        expect(await until(async () => (await received()).length >= held + 5, true, 2000, 20)).toBe(true)
        expect(Date.now() - resumedAt).toBeLessThan(2000)
        expect(gapsIn(await received())).toEqual([])
      } finally {
        chromium.close()
      }
    },
    60_000,
  )
})
