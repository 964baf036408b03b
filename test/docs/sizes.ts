// The sizes README.md and docs/performance.md state, each tied to the .size-limit.js budget it is about.
// test/docs/facts.test.ts checks them against the budgets (no build needed); run directly after a build
// (`npx tsx test/docs/sizes.ts`, part of `npm run check`), this file checks them against what size-limit measures.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))

/** Where a size is stated: the page, a pattern whose first group is the figure, and the budget's `path`. */
const STATEMENTS: { page: string; pattern: RegExp; path: string }[] = [
  { page: 'README.md', pattern: /([\d.,]+ k?B) min\+gzip up front/, path: 'dist/index.js' },
  { page: 'docs/performance.md', pattern: /loads up front is ([\d.,]+ k?B) min\+gzip/, path: 'dist/index.js' },
  { page: 'docs/performance.md', pattern: /Liveness \(([\d.,]+ k?B)\)/, path: 'dist/watch-*.js' },
  { page: 'docs/performance.md', pattern: /the fetch transport \(([\d.,]+ k?B)\)/, path: 'dist/fetch-*.js' },
  { page: 'docs/performance.md', pattern: /cross-tab sharing \(([\d.,]+ k?B)\)/, path: 'dist/share-*.js' },
  { page: 'docs/performance.md', pattern: /the polyfill \(([\d.,]+ k?B)\)/, path: 'dist/polyfill-*.js' },
  { page: 'docs/performance.md', pattern: /the schema hook is ([\d.,]+ k?B)/, path: 'dist/schema.js' },
  { page: 'docs/performance.md', pattern: /with the core hook \(([\d.,]+ k?B)\)/, path: 'dist/schema.js' },
]

export interface StatedSize {
  page: string
  /** The figure as written, such as `3.9 kB` or `3,932 B`. */
  text: string
  bytes: number
  /** How far the true size may be from `bytes` for the figure to be right: half its last digit, and at least 1 %. */
  tolerance: number
  /** The `path` of the .size-limit.js entry it is about. */
  path: string
}

/** Parses `3.9 kB` or `3,932 B` as size-limit writes them (kB = 1,000 B). */
export function parseSize(text: string): { bytes: number; step: number } {
  const match = /^([\d,]+)(?:\.(\d+))? (k?)B$/.exec(text)
  if (!match) throw new Error(`not a size: ${text}`)
  const unit = match[3] ? 1000 : 1
  const decimals = match[2]?.length ?? 0
  const bytes = Number(`${(match[1] ?? '').replaceAll(',', '')}.${match[2] ?? '0'}`) * unit
  return { bytes: Math.round(bytes), step: unit / 10 ** decimals }
}

/** Every stated size; throws when a page no longer has a statement (reworded: update STATEMENTS). */
export function statedSizes(): StatedSize[] {
  return STATEMENTS.map(({ page, pattern, path }) => {
    const text = pattern.exec(readFileSync(join(root, page), 'utf8'))?.[1]
    if (!text) throw new Error(`${page} no longer states a size matching ${pattern}: update test/docs/sizes.ts`)
    const { bytes, step } = parseSize(text)
    return { page, text, bytes, tolerance: Math.max(step / 2, bytes / 100), path }
  })
}

export interface Budget {
  name: string
  path: string
  limit: string
}

export async function budgets(): Promise<Budget[]> {
  const url = pathToFileURL(join(root, '.size-limit.js')).href
  return ((await import(url)) as { default: Budget[] }).default
}

// Run directly: compare with what size-limit measures in dist/ (after `npm run build`).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const all = await budgets()
  const bin = join(root, 'node_modules/.bin/size-limit')
  let output: string
  try {
    output = execFileSync(bin, ['--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? '' // over budget: size-limit exits 1 but still reports
  }
  const measured = JSON.parse(output) as { name: string; size: number }[]
  let wrong = 0
  for (const stated of statedSizes()) {
    const name = all.find((budget) => budget.path === stated.path)?.name
    const size = measured.find((entry) => entry.name === name)?.size
    if (size === undefined) throw new Error(`size-limit measured nothing for ${stated.path}`)
    const right = Math.abs(size - stated.bytes) <= stated.tolerance
    if (!right) wrong++
    console.log(`${right ? 'ok  ' : 'FAIL'} ${stated.page}: ${stated.text} for ${stated.path}, measured ${size} B`)
  }
  if (wrong) {
    console.error(`${wrong} size(s) in the docs differ from what npm run size measures: update them.`)
    process.exit(1)
  }
}
