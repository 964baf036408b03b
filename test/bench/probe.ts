/**
 * The devtools' cost per event, in Node: 5 hooks' views on one connection, fed by MockEventSource, the core bundled
 * as an app's bundler would (NODE_ENV replaced). Three builds of the same code: production (no observer at all),
 * development with the development registration's observers only (the devtools' list, the console's advice), and
 * development with the devtools watching (each event counted and kept). Prints a table of ns per event (the median of BENCH_RUNS runs, default 5); asserts nothing.
 * Run by `npm run bench` after the browser cases (with BENCH_ONLY, only when it is `devtools`), or alone: `tsx test/bench/probe.ts`.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import type * as Entry from './probeEntry'

const EVENTS = 100_000
const HOOKS = 5
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

// BENCH_ONLY (see run.ts) leaves this out unless it names it.
if (process.env.BENCH_ONLY && !'devtools'.includes(process.env.BENCH_ONLY)) process.exit(0)

const out = mkdtempSync(join(tmpdir(), 'use-event-source-probe-'))

async function load(env: 'production' | 'development'): Promise<typeof Entry> {
  const outfile = join(out, `${env}.mjs`)
  await build({
    entryPoints: [join(import.meta.dirname, 'probeEntry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    define: { 'process.env.NODE_ENV': JSON.stringify(env) },
    minify: true,
    logLevel: 'error',
  })
  return import(pathToFileURL(outfile).href)
}

/** ns per event: EVENTS events through one connection to HOOKS views, after a warm-up of the same. */
function measure(entry: typeof Entry, watch: boolean): number {
  const stop = watch ? entry.subscribeToStreams(() => {}) : undefined
  const stream = entry.openStream(HOOKS)
  for (let n = 0; n < EVENTS / 10; n++) stream.emit(`{"n":${n}}`) // warm-up
  const start = process.hrtime.bigint()
  for (let n = 0; n < EVENTS; n++) stream.emit(`{"n":${n}}`)
  const ns = Number(process.hrtime.bigint() - start) / EVENTS
  stream.close()
  stop?.()
  return ns
}

const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] as number

const production = await load('production')
const development = await load('development')
const cases: [string, () => number][] = [
  ['production build (no observer)', () => measure(production, false)],
  ['development build, the devtools not watching', () => measure(development, false)],
  ['development build, the devtools watching', () => measure(development, true)],
]
const results = new Map<string, number[]>()
// Interleaved, so that a busy spell on a shared machine falls on every case alike.
for (let run = 0; run < RUNS; run++)
  for (const [label, run] of cases) results.set(label, [...(results.get(label) ?? []), run()])

console.log(
  `\nThe devtools' cost per event (${HOOKS} hooks on one stream, ${EVENTS.toLocaleString('en')} events, median of ${RUNS} runs)\n`,
)
console.log('| build | ns per event |\n| --- | ---: |')
for (const [label, values] of results) console.log(`| ${label} | ${median(values).toFixed(0)} |`)
process.exit(0) // the views' scheduler may hold a timer
