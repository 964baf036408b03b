// @vitest-environment node
import { expect, it } from 'vitest'
import type { Rule } from './checker'
import { KNOWN } from './known'
import { simulate } from './simulate'

/**
 * Random schedules of hooks, tabs, pages and server faults over the real library, every promise checked after every
 * step (see docs/invariants.md). `SIM_RUNS` schedules (1,000 by default); `SIM_SEED`, `SIM_PATH` and `SIM_STEPS`
 * replay a failure as printed; `SIM_STRICT=1` checks the promises known to be broken too, `SIM_IGNORE` leaves some out.
 */
const runs = Number(process.env.SIM_RUNS ?? 1000)
const seed = process.env.SIM_SEED === undefined ? undefined : Number(process.env.SIM_SEED)
const known = process.env.SIM_STRICT ? [] : KNOWN.map(({ rule }) => rule)
const ignored = [...known, ...(process.env.SIM_IGNORE?.split(',').filter(Boolean) ?? [])] as Rule[]

it(`keeps every promise over ${seed === undefined ? runs : 'one replayed'} random schedule(s)`, async () => {
  const report = await simulate({ runs, seed, path: process.env.SIM_PATH, steps: process.env.SIM_STEPS, ignored })
  if (report) console.error(report)
  expect(report).toBeUndefined()
}, 120_000)
