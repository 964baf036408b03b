import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { build } from 'esbuild'
import { createSseHandler } from '../support/sseServer'

/**
 * The bench page (page.tsx) built twice and served with the test SSE server on 127.0.0.1: React's production build at
 * `/`, and at `/profiling/` its profiling build (the production one with <Profiler> working). `minify: false` keeps
 * function names for a profiler. Returns the origin and the function that stops the server.
 */
export async function serveBenchPage({ minify = true } = {}): Promise<{ origin: string; close: () => void }> {
  const out = mkdtempSync(join(tmpdir(), 'use-event-source-bench-'))
  for (const profiling of [false, true]) {
    await build({
      entryPoints: [join(import.meta.dirname, 'page.tsx')],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify,
      outdir: profiling ? join(out, 'profiling') : out,
      define: { 'process.env.NODE_ENV': '"production"' },
      alias: profiling ? { 'react-dom/client': 'react-dom/profiling' } : {},
      logLevel: 'error',
    })
  }
  const sse = createSseHandler()
  const server = createServer((req, res) => {
    if (sse(req, res)) return
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/' || path === '/profiling/') {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!doctype html><div id="root"></div><script type="module" src="${path}page.js"></script>`)
    } else if (extname(path) === '.js' && existsSync(join(out, path))) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(out, path)))
    } else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}
