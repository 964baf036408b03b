// @vitest-environment node
import { expect, it } from 'vitest'
import type { Ignored } from './checker'
import { KNOWN } from './known'
import { simulate } from './simulate'

/**
 * Random schedules of hooks, tabs, pages and server faults over the real library, every promise checked after every
 * step (see docs/invariants.md). `SIM_RUNS` schedules (1,000 by default) from `SIM_SEED` (26 by default, `random` for
 * a new one each run); `SIM_SEED`, `SIM_PATH` and `SIM_STEPS` replay a failure as printed; `SIM_STRICT=1` checks
 * the promises known to be broken too, `SIM_IGNORE` leaves some out; `SIM_TRACE=1` prints a failure's timeline.
 */
const runs = Number(process.env.SIM_RUNS ?? 1000)
/** One seed by default, so that `npm test` is the same every time; `SIM_SEED=random` explores afresh. */
const DEFAULT_SEED = 26
const given = process.env.SIM_SEED
const seed = given === 'random' ? undefined : Number(given ?? DEFAULT_SEED)
const known = process.env.SIM_STRICT ? [] : KNOWN.map(({ rule, scope }) => (scope ? `${rule}/${scope}` : rule))
const ignored = [...known, ...(process.env.SIM_IGNORE?.split(',').filter(Boolean) ?? [])] as Ignored[]

it(`keeps every promise over ${process.env.SIM_PATH ? 'one replayed' : runs} random schedule(s)`, async () => {
  const env = ['SIM_STRICT', 'SIM_IGNORE'].map((name) => (process.env[name] ? `${name}=${process.env[name]} ` : ''))
  const { SIM_PATH: path, SIM_STEPS: steps } = process.env
  const report = await simulate({ runs, seed, path, steps, ignored, env: env.join('') })
  if (report) console.error(report)
  expect(report).toBeUndefined()
}, 120_000)
