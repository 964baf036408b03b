import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { serveBenchPage } from './serve'
import type { Bench, Kind } from './page'

/** The profiler's sampling interval, in µs. */
const SAMPLE = 100

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

const { origin, close: closeServer } = await serveBenchPage({ minify: false })
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
closeServer()
