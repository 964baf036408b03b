/**
 * Looks for broken promises across many seeds, one entry per seed that breaks one: the first broken promise, and
 * the shrunk schedule as a regression case (see regressions.test.ts).
 * `npx tsx test/sim/explore.ts <first seed> <seeds> <runs per seed> [ignored rules, comma-separated]`
 */
import type { Ignored } from './checker'
import { simulate } from './simulate'

const [first = 1, count = 20, runs = 50] = process.argv.slice(2, 5).map(Number)
const ignored = (process.argv[5]?.split(',').filter(Boolean) ?? []) as Ignored[]
for (let seed = first; seed < first + count; seed++) {
  const report = await simulate({ runs, seed, ignored })
  if (!report) continue
  const lines = report.split('\n')
  const line = (start: string) => lines.find((text) => text.startsWith(start))?.slice(start.length) ?? ''
  const steps = line('ran: ')
  console.log(`seed ${seed}: ${lines[1]}\n  { setup: ${line('setup: ')}, steps: '${steps}' },\n  ${lines.at(-1)}`)
}
