import { readdir, readFile, writeFile } from 'node:fs/promises'
import { defineConfig, type Options } from 'tsup'

const USE_CLIENT = '"use client";'

/**
 * The banner must be the first statement of every file to be a directive. In CommonJS with splitting, tsup writes
 * it after `"use strict";Object.defineProperty(exports, "__esModule", …);` (and after its helpers): it is moved to
 * the front of the first line, so that no line (and no source map) shifts.
 */
async function useClientFirst() {
  for (const file of await readdir('dist')) {
    if (!file.endsWith('.cjs')) continue
    const path = `dist/${file}`
    const text = await readFile(path, 'utf8')
    if (text.startsWith(USE_CLIENT)) continue
    const newline = text.indexOf('\n')
    const first = text.slice(0, newline).replace(USE_CLIENT, '')
    await writeFile(path, USE_CLIENT + first + text.slice(newline))
  }
}

const library: Options = {
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    schema: 'src/schema/index.ts',
    devtools: 'src/devtools/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: ['!bin/**'], // dist/bin is the bin's, cleaned by its own build
  // CommonJS too: the entries share the core's chunks (one registry, one render clock, one EventSourceError class).
  splitting: true,
  sourcemap: true,
  target: 'es2022',
  // Next.js App Router: the hook runs in client components only. (Do not set treeshake: true, it drops the banner.)
  banner: { js: USE_CLIENT },
  onSuccess: useClientFirst,
  // Bundled into the fetch chunk, so that installing the package never meets its `engines` (Node 22): it runs only in browsers.
  noExternal: ['eventsource-parser'],
}

/**
 * The bin, `npx use-event-source doctor <url>`: Node 18 and later, not browsers, so no "use client" banner. It begins
 * with the `#!/usr/bin/env node` line of src/doctor/cli.ts, and bundles eventsource-parser as the fetch chunk does.
 */
const bin: Options = {
  entry: { 'use-event-source': 'src/doctor/cli.ts' },
  outDir: 'dist/bin',
  format: ['esm'],
  platform: 'node',
  target: 'node18',
  clean: true,
  noExternal: ['eventsource-parser'],
}

export default defineConfig([library, bin])
