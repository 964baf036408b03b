/**
 * npm run bench: use-event-source against the naive hook, in headless Chromium, against a local SSE server.
 * Prints a table; asserts nothing. Needs a build (`npm run build`, done by the npm script) for the size line.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { build } from 'esbuild'
import { chromium, type Page } from 'playwright'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { createSseHandler } from '../support/sseServer'
import type { Bench, Kind } from './page'

const FLOOD = 10_000
/**
 * Events the server writes per millisecond tick. At 5 the server sets the pace (a fast stream: ~2 s for
 * the flood, the browser keeps up); at 100 the browser does (a flood it has to work through).
 */
const FLOOD_BURSTS = [5, 100]
const COMPONENTS = 20
const CYCLES = Number(process.env.BENCH_CYCLES ?? 200)
const kinds: Kind[] = ['library', 'naive']

const out = mkdtempSync(join(tmpdir(), 'use-event-source-bench-'))
await build({
  entryPoints: [join(import.meta.dirname, 'page.tsx')],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  outdir: out,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
})

const sse = createSseHandler()
const server = createServer((req, res) => {
  if (sse(req, res)) return
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><div id="root"></div><script type="module" src="/page.js"></script>')
  } else if (extname(path) === '.js' && existsSync(join(out, path))) {
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(out, path)))
  } else res.writeHead(404).end()
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const stats = async (key: string) => (await (await fetch(`${origin}/stats?key=${key}`)).json()) as { requests: number; open: number }

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
  page.evaluate(([name, values]) => (window as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench[name]?.(...values), [
    method,
    args as unknown[],
  ] as const) as Promise<Awaited<ReturnType<Bench[M]>>>

const rows: string[][] = []
const row = (...cells: (string | number)[]) => rows.push(cells.map(String))

try {
  for (const kind of kinds) {
    const page = await browser.newPage()
    const cdp = await page.context().newCDPSession(page)
    await page.goto(origin)
    await page.waitForFunction(() => 'bench' in window)
    // A first flood warms the page up (JIT, the browser's network stack), so that the kind that runs first pays no toll.
    await call(page, 'flood', kind, `/sse?key=warmup-${kind}&count=1000&burst=5&interval=1`, 1000)
    for (const burst of FLOOD_BURSTS) {
      const flood = await call(page, 'flood', kind, `/sse?key=flood-${kind}-${burst}&count=${FLOOD}&burst=${burst}&interval=1`, FLOOD)
      const name = `flood of ${FLOOD} at ${burst} per ms`
      row(kind, `${name}: React commits`, flood.commits)
      row(kind, `${name}: frames elapsed`, flood.frames)
      row(kind, `${name}: ms until the last message is on screen`, flood.ok ? flood.ms.toFixed(0) : 'never (60 s)')
    }

    const received = await call(page, 'share', kind, `/sse?key=share-${kind}&count=1`, COMPONENTS)
    const shared = await stats(`share-${kind}`)
    row(kind, `${COMPONENTS} components on one url: connections the server saw`, shared.requests)
    row(kind, `${COMPONENTS} components on one url: components with data within 3 s`, received)
    await call(page, 'unmount')

    await cdp.send('HeapProfiler.collectGarbage')
    const heapBefore = (await cdp.send('Runtime.getHeapUsage')).usedSize
    await call(page, 'cycles', kind, `/sse?key=cycles-${kind}&count=1`, CYCLES)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await cdp.send('HeapProfiler.collectGarbage')
    const heapAfter = (await cdp.send('Runtime.getHeapUsage')).usedSize
    const cycled = await stats(`cycles-${kind}`)
    row(kind, `${CYCLES} mount/unmount cycles: connections opened`, cycled.requests)
    row(kind, `${CYCLES} mount/unmount cycles: connections left open`, cycled.open)
    row(kind, `${CYCLES} mount/unmount cycles: heap growth (kB)`, ((heapAfter - heapBefore) / 1024).toFixed(1))
    await page.close()
  }

  const size = JSON.parse(sizeLimit()) as { name: string; size: number }[]
  for (const check of size) row('library', `bundle: ${check.name} (min+gzip bytes)`, check.size)
} finally {
  await browser.close()
  server.close()
}

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((cells) => cells[i]?.length ?? 0)))
for (const cells of rows) console.log(cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join('  '))
