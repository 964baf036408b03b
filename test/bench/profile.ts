/**
 * Where the script time of a paced case goes: `tsx test/bench/profile.ts library,frame` runs 3,000 events at 1,000
 * msg/s into one widget of each kind named (see page.tsx), under Chrome's sampling profiler, and prints each kind's
 * busiest functions by self time. For finding a hot path; the figures to quote come from `npm run bench`.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { createSseHandler } from '../support/sseServer'
import type { Bench, Kind } from './page'

/** The profiler's sampling interval, in µs. */
const SAMPLE = 100

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

const out = mkdtempSync(join(tmpdir(), 'prof-'))
await build({
  entryPoints: [join(import.meta.dirname, 'page.tsx')],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: false,
  outdir: out,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
})
const sse = createSseHandler()
const server = createServer((req, res) => {
  if (sse(req, res)) return
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path === '/')
    res
      .writeHead(200, { 'Content-Type': 'text/html' })
      .end(`<!doctype html><div id="root"></div><script type="module" src="/page.js"></script>`)
  else if (extname(path) === '.js' && existsSync(join(out, path)))
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(out, path)))
  else res.writeHead(404).end()
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
/** Self time per function (name, file and line), in samples of SAMPLE µs; idle time left out. */
function selfTimes({ nodes, samples = [] }: { nodes: ProfileNode[]; samples?: number[] }): Map<string, number> {
  const byId = new Map(nodes.map((node) => [node.id, node.callFrame]))
  const times = new Map<string, number>()
  for (const id of samples) {
    const frame = byId.get(id)
    if (!frame || ['(idle)', '(program)'].includes(frame.functionName)) continue
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`
    times.set(name, (times.get(name) ?? 0) + SAMPLE / 1000)
  }
  return times
}

for (const kind of (process.argv[2] ?? 'library,frame').split(',') as Kind[]) {
  const page = await browser.newPage()
  const cdp = await page.context().newCDPSession(page)
  await page.goto(origin)
  await page.waitForFunction(() => 'bench' in window)
  const paced = (key: string, total: number) =>
    page.evaluate(
      ([kind, key, total]) =>
        (window as unknown as { bench: Bench }).bench.paced(
          kind,
          'latest',
          `/sse?key=${key}&rate=1000&count=${total}`,
          1,
          total,
          total * 2,
        ),
      [kind, key, total] as const,
    )
  await paced(`warmup-${kind}`, 500)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE })
  await cdp.send('Profiler.start')
  await paced(`profile-${kind}`, 3000)
  const { profile } = await cdp.send('Profiler.stop')
  const times = [...selfTimes(profile)].sort((a, b) => b[1] - a[1])
  const total = times.reduce((sum, [, ms]) => sum + ms, 0)
  console.log(`\n${kind}: ${total.toFixed(0)} ms of script sampled`)
  for (const [name, ms] of times.slice(0, 20)) console.log(`${ms.toFixed(1).padStart(7)} ms  ${name}`)
  await page.close()
}
await browser.close()
server.close()
