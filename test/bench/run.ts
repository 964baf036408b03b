/**
 * npm run bench: use-event-source against the naive hook (and, for one widget, the floor of one render per frame: the
 * naive hook coalesced by hand to one setState per animation frame), in headless Chromium, against a local SSE server.
 * Prints a table; asserts nothing. Needs a build (`npm run build`, done by the npm script) for the size line.
 * BENCH_RUNS=n repeats everything but the size line and prints medians; BENCH_SECONDS sets the paced streams' length;
 * BENCH_ONLY=text runs only the paced and tab cases whose label contains it (e.g. "1000 msg/s for 3 s, 5 on", "tabs").
 */
import { execFileSync } from 'node:child_process'
import { type CDPSession, chromium, type Page } from 'playwright'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { serveBenchPage } from './serve'
import type { UseEventSourceOptions } from '../../src/index'
import type { Bench, Kind, Shape } from './page'

const FLOOD = 10_000
/**
 * Events the server writes per millisecond tick. At 5 the server sets the pace (a fast stream: ~2 s for
 * the flood, the browser keeps up); at 100 the browser does (a flood it has to work through).
 */
const FLOOD_BURSTS = [5, 100]
const COMPONENTS = 20
const CYCLES = Number(process.env.BENCH_CYCLES ?? 200)
const kinds: Kind[] = ['library', 'naive']
const RUNS = Number(process.env.BENCH_RUNS ?? 1)
/** Paced streams: one event per network write at a steady rate (see writePaced in test/support/sse.ts). */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const RATES = [1000, 100]
const ONLY = process.env.BENCH_ONLY
const pacedCases: { shape: Shape; widgets: number }[] = [
  { shape: 'latest', widgets: 1 },
  { shape: 'latest', widgets: 5 },
  { shape: 'latest', widgets: 20 },
  { shape: 'reduce', widgets: 1 },
]

const { origin, close: closeServer } = await serveBenchPage()
const stats = async (key: string) =>
  (await (await fetch(`${origin}/stats?key=${key}`)).json()) as { requests: number; open: number }

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })

/** size-limit's figures as JSON, also when a budget is exceeded (it then exits non-zero): the table is printed all the same. */
function sizeLimit(): string {
  try {
    return execFileSync('npx', ['size-limit', '--json'], { encoding: 'utf8' })
  } catch (error) {
    return (error as { stdout: string }).stdout
  }
}

/** Calls `window.bench[method](...args)` in the page. */
const call = <M extends keyof Bench>(page: Page, method: M, ...args: Parameters<Bench[M]>) =>
  page.evaluate(
    ([name, values]) =>
      (window as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench[name]?.(...values),
    [method, args as unknown[]] as const,
  ) as Promise<Awaited<ReturnType<Bench[M]>>>

/** Every run's figures, by kind and label in the order first seen; the table shows their medians. */
const figures = new Map<string, string[]>()
const row = (kind: Kind, label: string, value: string | number) => {
  const key = `${kind}\t${label}`
  figures.set(key, [...(figures.get(key) ?? []), String(value)])
}

/** The median if every run gave a number (with as many decimals as they had), else the distinct values. */
function median(values: string[]): string {
  const numbers = values.map(Number).sort((a, b) => a - b)
  if (numbers.some(Number.isNaN)) return [...new Set(values)].join(' / ')
  const middle = numbers.length >> 1
  const value =
    numbers.length % 2
      ? (numbers[middle] as number)
      : ((numbers[middle - 1] as number) + (numbers[middle] as number)) / 2
  return value.toFixed(Math.max(...values.map((text) => text.split('.')[1]?.length ?? 0)))
}

/** Milliseconds the page's main thread has spent running script so far (CDP's ScriptDuration, in seconds). */
const scriptMs = async (cdp: CDPSession) =>
  ((await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? 0) *
  1000

/**
 * One paced case in a fresh page, after half a second of the same shape on one widget to warm up the JIT, so that
 * neither kind nor case pays for the ones before it. `/profiling/` (React's profiling build, for <Profiler>) counts
 * commits and frames; `/` (production, nothing measured per commit) gives the script time.
 */
async function pacedPage(
  path: '/' | '/profiling/',
  kind: Kind,
  shape: Shape,
  widgets: number,
  rate: number,
  run: number,
) {
  const page = await browser.newPage()
  // React's profiling build draws Performance-panel tracks with console.timeStamp, several calls per commit and one
  // per component render, each 0.05-0.2 ms while the CDP Performance domain is on (0.1 µs without): ~300 ms a case
  // for either kind. Without console.timeStamp it draws none; <Profiler> still works.
  await page.addInitScript(() => Object.assign(console, { timeStamp: undefined }))
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  await page.goto(`${origin}${path}`)
  await page.waitForFunction(() => 'bench' in window)
  const warmup = rate / 2
  await call(page, 'paced', kind, shape, `/sse?key=warmup&rate=${rate}&count=${warmup}`, 1, warmup, 2000)
  const total = rate * SECONDS
  const url = `/sse?key=paced-${kind}-${shape}-${widgets}-${rate}-${run}-${path.length}&rate=${rate}&count=${total}`
  const before = await scriptMs(cdp)
  const result = await call(page, 'paced', kind, shape, url, widgets, total, SECONDS * 1000 + 3000)
  const script = (await scriptMs(cdp)) - before
  await page.close()
  return { ...result, script, total }
}

async function pacedCase(kind: Kind, shape: Shape, widgets: number, rate: number, run: number) {
  const counted = await pacedPage('/profiling/', kind, shape, widgets, rate, run)
  const { script } = await pacedPage('/', kind, shape, widgets, rate, run)
  return { ...counted, script }
}

const RECOVERY_LABEL = 'half-open after event 10 (events and heartbeats every 100 ms)'

/**
 * Liveness: a stream whose connection goes silent with its socket open after event 10 (a laptop that slept, a NAT
 * that forgot the flow), in a fresh page each; the ms from event 10 to event 11, once the library resumed it.
 */
async function recoveryCases() {
  const cases: [string, UseEventSourceOptions<{ n: number }>][] = [
    ['defaults, the browser’s EventSource', {}],
    ['defaults, through fetch', { transport: 'fetch' }],
    ['idleTimeout: 2000', { idleTimeout: 2000 }],
  ]
  for (const [label, options] of cases) {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage()
      await page.goto(origin)
      await page.waitForFunction(() => 'bench' in window)
      const key = `recovery-${cases.findIndex(([name]) => name === label)}-${run}`
      const url = `/sse?key=${key}&count=1000&interval=100&heartbeat=100&silent=10&silentOnce=1`
      const { ms, inOrder } = await call(page, 'recovery', url, options, 15_000)
      row(
        'library',
        `${RECOVERY_LABEL}, ${label}: ms until event 11`,
        Number.isNaN(ms) ? 'never (15 s)' : ms.toFixed(0),
      )
      row('library', `${RECOVERY_LABEL}, ${label}: every event once, in order`, String(inOrder))
      await page.close()
    }
  }
}

const TABS = 8
const TABS_LABEL = `${TABS} tabs on one url`

/**
 * Tabs of one browser profile (pages of one context) on one stream: the library with `crossTab: true`, the
 * tutorial hook with an EventSource per tab. Then, for the library, the leader's tab is closed.
 */
async function tabsCase(kind: Kind, run: number) {
  const context = await browser.newContext()
  const key = `tabs-${kind}-${run}`
  const url = `/sse?key=${key}&count=100000&interval=50`
  const pages: Page[] = []
  try {
    let withData = 0
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage()
      pages.push(page)
      // A tab past the sixth may not even load its page while six streams hold the browser's connections.
      const loaded = await page
        .goto(origin, { timeout: 5000 })
        .then(() => page.waitForFunction(() => 'bench' in window, null, { timeout: 5000 }))
        .then(
          () => true,
          () => false,
        )
      if (loaded && (await call(page, 'tab', kind, url, 5000))) withData += 1
    }
    row(kind, `${TABS_LABEL}: server connections`, (await stats(key)).open)
    row(kind, `${TABS_LABEL}: tabs with data within 5 s`, withData)
    if (kind !== 'library') return

    const states = await Promise.all(pages.map((page) => call(page, 'tabState')))
    const leader = pages[states.findIndex((state) => state.leading)] as Page
    const before = (await stats(key)).requests
    const start = performance.now()
    await leader.close()
    let took = Number.NaN
    for (let i = 0; i < 400 && Number.isNaN(took); i++) {
      if ((await stats(key)).requests > before) took = performance.now() - start
      else await new Promise((resolve) => setTimeout(resolve, 5))
    }
    row(
      kind,
      `${TABS_LABEL}, the leader's tab closed: ms until another tab connects`,
      Number.isNaN(took) ? 'never (2 s)' : took.toFixed(0),
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    let skipped = 0
    for (const page of pages.filter((page) => page !== leader)) {
      const { received } = await call(page, 'tabState')
      skipped += received.filter((n, i) => i > 0 && n !== (received[i - 1] as number) + 1).length
    }
    row(kind, `${TABS_LABEL}, the leader's tab closed: gaps or duplicates in the other tabs`, skipped)
  } finally {
    await context.close()
  }
}

try {
  for (let run = 0; run < RUNS; run++) {
    for (const kind of ONLY ? [] : kinds) {
      const page = await browser.newPage()
      const cdp = await page.context().newCDPSession(page)
      await page.goto(origin)
      await page.waitForFunction(() => 'bench' in window)
      // A first flood warms the page up (JIT, the browser's network stack), so that the kind that runs first pays no toll.
      await call(page, 'flood', kind, `/sse?key=warmup-${kind}&count=1000&burst=5&interval=1`, 1000)
      for (const burst of FLOOD_BURSTS) {
        const flood = await call(
          page,
          'flood',
          kind,
          `/sse?key=flood-${kind}-${burst}&count=${FLOOD}&burst=${burst}&interval=1`,
          FLOOD,
        )
        const name = `flood of ${FLOOD} at ${burst} per ms`
        row(kind, `${name}: React commits`, flood.commits)
        row(kind, `${name}: frames elapsed`, flood.frames)
        row(kind, `${name}: ms until the last message is on screen`, flood.ok ? flood.ms.toFixed(0) : 'never (60 s)')
      }

      // Keys of their own in each run: the server's stats for a key add up.
      const received = await call(page, 'share', kind, `/sse?key=share-${kind}-${run}&count=1`, COMPONENTS)
      const shared = await stats(`share-${kind}-${run}`)
      row(kind, `${COMPONENTS} components on one url: connections the server saw`, shared.requests)
      row(kind, `${COMPONENTS} components on one url: components with data within 3 s`, received)
      await call(page, 'unmount')

      await cdp.send('HeapProfiler.collectGarbage')
      const heapBefore = (await cdp.send('Runtime.getHeapUsage')).usedSize
      await call(page, 'cycles', kind, `/sse?key=cycles-${kind}-${run}&count=1`, CYCLES)
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await cdp.send('HeapProfiler.collectGarbage')
      const heapAfter = (await cdp.send('Runtime.getHeapUsage')).usedSize
      const cycled = await stats(`cycles-${kind}-${run}`)
      row(kind, `${CYCLES} mount/unmount cycles: connections opened`, cycled.requests)
      row(kind, `${CYCLES} mount/unmount cycles: connections left open`, cycled.open)
      row(kind, `${CYCLES} mount/unmount cycles: heap growth (kB)`, ((heapAfter - heapBefore) / 1024).toFixed(1))
      await page.close()
    }

    if (!ONLY || TABS_LABEL.includes(ONLY)) for (const kind of kinds) await tabsCase(kind, run)

    for (const { shape, widgets } of pacedCases) {
      for (const rate of RATES) {
        const name = `paced ${rate} msg/s for ${SECONDS} s, ${shape === 'reduce' ? 'reduce (count and sum)' : `${widgets} on one url`}`
        if (ONLY && !name.includes(ONLY)) continue
        // The frame-coalesced hook is the floor of one render per frame (one widget, one connection), and an empty
        // onMessage what a callback per event adds: one widget, in columns of their own.
        const oneWidget = shape === 'latest' && widgets === 1
        for (const kind of oneWidget ? [...kinds, 'library + onMessage' as const, 'frame' as const] : kinds) {
          const paced = await pacedCase(kind, shape, widgets, rate, run)
          row(kind, `${name}: commits per frame`, (paced.commits / paced.frames).toFixed(2))
          row(kind, `${name}: main-thread script ms`, paced.script.toFixed(0))
          if (widgets > 1) {
            row(kind, `${name}: commits where the widgets disagreed`, paced.disagreements)
            row(kind, `${name}: widgets showing the last event`, paced.complete)
          }
          if (shape === 'reduce')
            row(kind, `${name}: events lost (${paced.total} sent - final count)`, paced.total - paced.final)
        }
      }
    }
  }

  if (!ONLY || RECOVERY_LABEL.includes(ONLY)) await recoveryCases()

  const size = JSON.parse(sizeLimit()) as { name: string; size: number }[]
  for (const check of size) row('library', `bundle: ${check.name} (min+gzip bytes)`, check.size)
} finally {
  await browser.close()
  closeServer()
}

const rows = [...figures].map(([key, values]) => [...key.split('\t'), median(values)])
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((cells) => cells[i]?.length ?? 0)))
for (const cells of rows)
  console.log(
    cells
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  '),
  )
console.log(
  RUNS === 1
    ? 'runs: 1 (BENCH_RUNS=n prints the median of n runs)'
    : `runs: ${RUNS} (each figure is the median; bundle sizes measured once)`,
)
