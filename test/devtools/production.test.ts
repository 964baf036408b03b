// @vitest-environment node
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
    // The transports' chunks stay out, as they are loaded apart.
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

describe('the devtools probe', () => {
  it('is left out of a production build of the core, and is in a development one', async () => {
    const [production, development] = await Promise.all([bundle('production'), bundle('development')])
    // Two variables stay declared (`via`, `retryAt`), a dozen bytes: what the devtools read of them is gone.
    for (const trace of ['probe', 'watcher', '.told(', '.rendered(', 'inspect']) {
      expect(production).not.toContain(trace)
      expect(development).toContain(trace)
    }
  })

  it('is left out of a production build of the transports that name themselves to it', async () => {
    for (const entry of ['src/core/transports/fetch.ts', 'src/core/transports/polyfill.ts']) {
      expect(await bundle('production', entry)).not.toContain('labels')
      expect(await bundle('development', entry)).toContain('labels.set(')
    }
  })
})
