import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
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

let source: string | undefined

/**
 * `src/` bundled once (esbuild, no code splitting: a chunk the code imports lazily, cross-tab or liveness, is
 * evaluated when first imported, as a browser loads it). Production mode: the development console advice is left out.
 */
function bundled(): string {
  source ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./entry.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  }).outputFiles[0]?.text
  if (!source) throw new Error('esbuild produced no bundle')
  return source
}

/** Evaluates the library for one tab: every page name it looks up is the tab's own. */
export function loadLibrary(page: TabGlobals): Library {
  const module = { exports: {} as Library }
  const evaluate = new Function('module', 'exports', ...PAGE_NAMES, bundled())
  evaluate(module, module.exports, ...PAGE_NAMES.map((name) => page[name]))
  return module.exports
}
