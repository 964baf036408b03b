// @vitest-environment node
// What README.md and docs/ state about the code is what the code says: the statuses are EventSourceStatus's members,
// and every size they state fits its .size-limit.js budget. (Against measured sizes: test/docs/sizes.ts, after a build.)
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { budgets, parseSize, root, statedSizes } from './sizes'

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]
const read = (page: string) => readFileSync(join(root, page), 'utf8')

/** The members of `EventSourceStatus` in src/core/types.ts, in order, read with the TypeScript parser. */
function statuses(): string[] {
  const file = join(root, 'src/core/types.ts')
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest)
  const alias = source.statements.find(
    (node): node is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(node) && node.name.text === 'EventSourceStatus',
  )
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error('EventSourceStatus is no longer a union in types.ts')
  return alias.type.types.map((member) => {
    if (!ts.isLiteralTypeNode(member) || !ts.isStringLiteral(member.literal))
      throw new Error('a status is not a string')
    return member.literal.text
  })
}

const STATUSES = statuses()
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']

/** The first column of every Markdown table whose header's first cell is `status`. */
function statusTables(text: string): string[][] {
  const tables: string[][] = []
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    if (!/^\|\s*status\s*\|/.test(line)) return
    const rows: string[] = []
    for (let j = i + 2; j < lines.length && lines[j]?.startsWith('|'); j++) {
      rows.push(/^\|\s*`([^`]+)`/.exec(lines[j] ?? '')?.[1] ?? (lines[j] as string))
    }
    tables.push(rows)
  })
  return tables
}

/** Runs of three or more statuses in backticks listed in prose (`a`, `b` or `c`): lists that mean all of them. */
function statusLists(text: string): string[][] {
  const name = STATUSES.join('|')
  const list = new RegExp(`(?:\`(?:${name})\`(?:, or |, and |, | or | and )){2,}\`(?:${name})\``, 'g')
  return [...text.matchAll(list)].map(([run]) => [...run.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string))
}

describe('docs: the statuses are the ones of EventSourceStatus', () => {
  it('reads six statuses from src/core/types.ts', () => {
    // The figure the README and docs say in words; if a status is added, they must be rewritten, and this with them.
    expect(STATUSES).toEqual(['idle', 'connecting', 'open', 'reconnecting', 'closed', 'error'])
  })

  it('has status tables in the README, the API reference and the reconnecting page', () => {
    for (const page of ['README.md', 'docs/api.md', 'docs/reconnecting.md']) {
      expect(statusTables(read(page)).length, page).toBeGreaterThan(0)
    }
  })

  it.each(pages)('lists every status, in order, in each status table of %s', (page) => {
    for (const rows of statusTables(read(page))) expect(rows).toEqual(STATUSES)
  })

  it.each(pages)('names them all, in order, wherever %s lists statuses in prose', (page) => {
    for (const list of statusLists(read(page))) expect(list, list.join(', ')).toEqual(STATUSES)
  })

  it.each(pages)('counts them right where %s says how many there are', (page) => {
    for (const [phrase, count] of read(page).matchAll(/\b(\w+) statuses\b/gi)) {
      const n = NUMBERS.indexOf((count as string).toLowerCase())
      if (n >= 0 || /^\d+$/.test(count as string)) expect(n >= 0 ? n : Number(count), phrase).toBe(STATUSES.length)
    }
  })

  it('finds the lists it checks (the intro names all six)', () => {
    expect(statusLists(read('README.md').split('\n').slice(0, 5).join('\n'))).toEqual([STATUSES])
  })
})

describe('docs: the sizes fit the budgets of .size-limit.js', () => {
  it('parses sizes as size-limit writes them', () => {
    expect(parseSize('3.9 kB')).toEqual({ bytes: 3900, step: 100 })
    expect(parseSize('3,932 B')).toEqual({ bytes: 3932, step: 1 })
    expect(parseSize('200 B')).toEqual({ bytes: 200, step: 1 })
  })

  it.each(statedSizes())('$page: $text for $path is within its budget', async (stated) => {
    const budget = (await budgets()).find((entry) => entry.path === stated.path)
    expect(budget, `no budget for ${stated.path} in .size-limit.js`).toBeDefined()
    expect(stated.bytes - stated.tolerance).toBeLessThanOrEqual(parseSize(budget?.limit ?? '').bytes)
  })
})
