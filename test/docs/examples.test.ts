// @vitest-environment node
// Every ```ts and ```tsx block of README.md and docs/*.md is typechecked here, against the library's sources, as a
// reader would paste it into an app. Each block is a module of its own. A block may be named by an HTML comment on
// the line before it (<!-- file: Ticker.tsx -->): blocks of the same page import it as './Ticker'. Any other relative
// import ('./Dashboard', "your app") resolves to test/docs/stubs/. Package imports resolve as an app would see them:
// use-event-source and its entries to src/, anything else (react, zod, swr…) to node_modules.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const stubs = join(root, 'test/docs/stubs')
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
]

interface Block {
  page: string
  /** Where the block starts in its page (1-based line of its first code line). */
  line: number
  file: string
  code: string
}

/** The ts/tsx blocks of a page, each given a virtual file name beside the page. */
function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(tsx?)\s*$/.exec(lines[i] ?? '')
    if (!fence) continue
    const indent = fence[1]?.length ?? 0
    const named = /<!--\s*file:\s*(\S+)\s*-->/.exec(lines[i - 1] ?? '')?.[1]
    const start = i + 1
    let end = start
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++
    const code = lines
      .slice(start, end)
      .map((line) => line.slice(indent))
      .join('\n')
    const file = join(root, '.docs-check', page.replace(/\.md$/, ''), named ?? `line-${start + 1}.${fence[2]}`)
    blocks.push({ page, line: start + 1, file, code })
    i = end
  }
  return blocks
}

const blocks = pages.flatMap(blocksOf)
const byFile = new Map(blocks.map((block) => [block.file, block]))

const entries: Record<string, string> = {
  'use-event-source': 'src/index.ts',
  'use-event-source/testing': 'src/testing/index.ts',
  'use-event-source/schema': 'src/schema/index.ts',
  'use-event-source/devtools': 'src/devtools/index.ts',
}

function typecheck(): ts.Diagnostic[] {
  const configPath = join(root, 'tsconfig.json')
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path))
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    types: ['node', 'vite/client'], // the examples written for Vite apps read import.meta.env
  }
  const host = ts.createCompilerHost(compilerOptions)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (path) => byFile.has(path) || fileExists(path)
  host.readFile = (path) => byFile.get(path)?.code ?? readFile(path)
  host.getSourceFile = (path, language, onError, create) => {
    const block = byFile.get(path)
    return block
      ? ts.createSourceFile(
          path,
          block.code,
          language,
          true,
          path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
        )
      : getSourceFile(path, language, onError, create)
  }
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, resolverOptions) =>
    literals.map(({ text }) => {
      const entry = entries[text]
      if (entry) return { resolvedModule: { resolvedFileName: join(root, entry), extension: ts.Extension.Ts } }
      if (byFile.has(containingFile) && text.startsWith('./')) {
        for (const extension of ['.tsx', '.ts'] as const) {
          const sibling = join(dirname(containingFile), `${text.slice(2)}${extension}`)
          if (byFile.has(sibling)) return { resolvedModule: { resolvedFileName: sibling, extension } }
          const stub = join(stubs, `${text.slice(2)}${extension}`)
          if (existsSync(stub)) return { resolvedModule: { resolvedFileName: stub, extension } }
        }
      }
      return ts.resolveModuleName(text, containingFile, resolverOptions, host)
    })
  const program = ts.createProgram({ rootNames: [...byFile.keys()], options: compilerOptions, host })
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && byFile.has(diagnostic.file.fileName))
}

describe('docs: code examples', () => {
  it('finds code blocks in the README and on every docs page', () => {
    for (const page of pages)
      expect(
        blocks.some((block) => block.page === page),
        page,
      ).toBe(true)
  })

  it('typechecks every ts and tsx block of README.md and docs/*.md', { timeout: 120_000 }, () => {
    const errors: string[] = []
    for (const diagnostic of typecheck()) {
      const file = diagnostic.file as ts.SourceFile
      const block = byFile.get(file.fileName) as Block
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
      const where = `${block.page}:${block.line + line} (${relative(root, file.fileName)})`
      errors.push(`${where}: ${text}`)
    }
    expect(errors).toEqual([])
  })
})
