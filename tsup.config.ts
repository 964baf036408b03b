import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    'cross-tab': 'src/crossTab/index.ts',
    schema: 'src/schema/index.ts',
    devtools: 'src/devtools/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // CommonJS too: the entries share the core's chunks (one registry, one render clock, one EventSourceError class).
  splitting: true,
  sourcemap: true,
  target: 'es2022',
  // Next.js App Router: the hook runs in client components only. (Do not set treeshake: true, it drops the banner.)
  banner: { js: '"use client";' },
  // Bundled into the fetch chunk, so that installing the package never meets its `engines` (Node 22): it runs only in browsers.
  noExternal: ['eventsource-parser'],
})
