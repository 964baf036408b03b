// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/** `entry` bundled as an app's bundler would, for `NODE_ENV`. */
async function bundle(env: 'production' | 'development', entry = 'src/index.ts') {
  const { outputFiles } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    external: ['react'],
    define: { 'process.env.NODE_ENV': JSON.stringify(env) },
    minifySyntax: true,
    logLevel: 'silent',
    // The chunks stay out, as they are loaded apart.
    plugins: [
      {
        name: 'chunks',
        setup: (b) =>
          b.onResolve({ filter: /./ }, (a) =>
            a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined,
          ),
      },
    ],
  })
  return outputFiles.map((file) => file.text).join('\n')
}

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  )

describe('the development registration', () => {
  it('is left out of a production build of the core, and is in a development one', async () => {
    const [production, development] = await Promise.all([bundle('production'), bundle('development')])
    for (const trace of ['console.warn', 'startedConnections', 'parse: String']) {
      expect(production).not.toContain(trace)
      expect(development).toContain(trace)
    }
  })

  it('is the only place that reads NODE_ENV, with the devtools panel that it lists connections for', () => {
    const readers = files('src').filter((file) => readFileSync(file, 'utf8').includes('process.env.NODE_ENV'))
    expect(readers.sort()).toEqual(['src/core/development.ts', 'src/devtools/EventSourceDevtools.tsx'])
  })
})
