/**
 * Looks for broken promises across many seeds, one line per seed that breaks one (the first broken promise, shrunk):
 * `npx tsx test/sim/explore.ts <first seed> <seeds> <runs per seed> [ignored rules, comma-separated]`.
 */
import type { Rule } from './checker'
import { simulate } from './simulate'

const [first = 1, count = 20, runs = 50] = process.argv.slice(2, 5).map(Number)
const ignored = (process.argv[5]?.split(',').filter(Boolean) ?? []) as Rule[]
for (let seed = first; seed < first + count; seed++) {
  const report = await simulate({ runs, seed, ignored })
  if (!report) continue
  const lines = report.split('\n')
  console.log(
    `seed ${seed}:`,
    lines.slice(1, 2).join(' '),
    '\n  ',
    lines.find((line) => line.startsWith('steps')),
    '\n  ',
    lines.find((line) => line.startsWith('setup')),
    '\n  ',
    lines.at(-1),
  )
}
