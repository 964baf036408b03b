import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import type * as Entry from './entry'

/** The library's modules as one tab has them: each tab evaluates the bundle afresh, so each has its own module state. */
export type Library = typeof Entry

/** The names a tab's code looks up on its page: each tab is given its own (see `TabGlobals`). */
export const PAGE_NAMES = [
  'globalThis',
  'window',
  'self',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'queueMicrotask',
  'performance',
  'Date',
  'Math',
  'fetch',
  'BroadcastChannel',
  'EventSource',
  'navigator',
  'document',
  'addEventListener',
  'removeEventListener',
  'location',
  'requestAnimationFrame',
  'cancelAnimationFrame',
] as const

export type TabGlobals = Record<(typeof PAGE_NAMES)[number], unknown>

/** What the simulator takes from the library (see `Library`), imported from the source directory. */
const ENTRY = `
export { acquireConnection, createConnectionKey } from './core/registry'
export { observe } from './core/observers'
export { createHookState, createView } from './core/view'
`

/**
 * `SIM_SRC=<dir>`: the library's source is taken from that directory instead of `src/` (a snapshot, while `src/` is
 * being edited).
 *
 * `SIM_OLD=<dir>`: the bundle takes `share.ts` and `registry.ts` from that directory instead of `src/` (their
 * versions before a fix, with absolute imports), to show that a regression case fails without the fix.
 */
const old = process.env.SIM_OLD
const oldVersions: Plugin = {
  name: 'old versions',
  setup(build) {
    build.onResolve({ filter: /(crossTab\/share|\/registry)$/ }, ({ path }) => ({
      path: `${old}/${path.endsWith('share') ? 'share' : 'registry'}.ts`,
    }))
  },
}

/**
 * `src/` bundled once (esbuild, no code splitting: a chunk the code imports lazily, cross-tab or liveness, is
 * evaluated when first imported, as a browser loads it). Production mode: the development console advice is left out.
 * Call it before the first tab opens.
 */
export async function bundleLibrary(): Promise<void> {
  if (evaluate) return
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: process.env.SIM_SRC ?? fileURLToPath(new URL('../../src', import.meta.url)) },
    bundle: true,
    write: false,
    nodePaths: [fileURLToPath(new URL('../../node_modules', import.meta.url))],
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    plugins: old ? [oldVersions] : [],
  })
  const source = result.outputFiles[0]?.text
  if (!source) throw new Error('esbuild produced no bundle')
  evaluate = new Function('module', 'exports', ...PAGE_NAMES, source) as (...args: unknown[]) => void
}

let evaluate: ((...args: unknown[]) => void) | undefined

/** Evaluates the library for one tab: every page name it looks up is the tab's own. */
export function loadLibrary(page: TabGlobals): Library {
  const module = { exports: {} as Library }
  if (!evaluate) throw new Error('bundleLibrary() first')
  evaluate(module, module.exports, ...PAGE_NAMES.map((name) => page[name]))
  return module.exports
}
