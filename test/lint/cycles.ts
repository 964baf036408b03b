// Run by `npm run lint`: no import cycle in src/, counting every import (static, dynamic, and `import type`), so that
// each layer only imports the ones below it (see CONTRIBUTING.md). Prints each cycle and exits 1 if there is one.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.tsx?$/.test(file))
  .map((file) => join(src, file))

/** The files of src/ that `file` imports, by any kind of import or export-from. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((match) => match[1] as string)
  return specifiers.flatMap((specifier) => {
    const base = resolve(dirname(file), specifier)
    const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => files.includes(candidate))
    return found ? [found] : []
  })
}

const graph = new Map(files.map((file) => [file, importsOf(file)]))
const cycles = new Set<string>()
const done = new Set<string>()

/** Depth-first: a file met again on the current path closes a cycle. */
function visit(file: string, path: string[]) {
  const at = path.indexOf(file)
  if (at >= 0) {
    const cycle = path.slice(at).map((step) => relative(src, step))
    const start = cycle.indexOf([...cycle].sort()[0] as string) // one spelling per cycle, whatever file it was met from
    cycles.add([...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(' -> '))
    return
  }
  if (done.has(file)) return
  for (const next of graph.get(file) ?? []) visit(next, [...path, file])
  done.add(file)
}

for (const file of files) visit(file, [])
if (cycles.size) {
  console.error(`Import cycles in src/ (every import counts, type-only ones too):\n${[...cycles].join('\n')}`)
  process.exit(1)
}
