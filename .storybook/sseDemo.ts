import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Connect, Plugin } from 'vite'

/**
 * The demo's SSE endpoints, served by Storybook's own Vite server: no second
 * process. This is ordinary server code, the same in any Node framework.
 */

/** Opens a stream: the headers every SSE response needs, plus a heartbeat comment that keeps proxies from closing it. */
function openStream(req: IncomingMessage, res: ServerResponse): (event: { event?: string; id?: number; data: unknown }) => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no', // nginx and similar proxies would buffer the stream otherwise
  })
  res.write(': connected\n\n')
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000)
  req.on('close', () => clearInterval(heartbeat))
  return ({ event, id, data }) => {
    if (event) res.write(`event: ${event}\n`)
    if (id !== undefined) res.write(`id: ${id}\n`)
    res.write(`data: ${JSON.stringify(data)}\n\n`)
  }
}

/** `/sse`: a price ticker, one JSON event a second. Resumes after `Last-Event-ID`. */
function ticker(req: IncomingMessage, res: ServerResponse) {
  const send = openStream(req, res)
  let id = Number(req.headers['last-event-id'] ?? 0)
  let price = 100
  const timer = setInterval(() => {
    price = Math.max(1, price + (Math.random() - 0.5) * 2)
    id += 1
    send({ id, data: { symbol: 'ACME', price: Number(price.toFixed(2)), time: new Date().toISOString() } })
  }, 1000)
  req.on('close', () => clearInterval(timer))
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/sse': ticker,
}

const middleware: Connect.NextHandleFunction = (req, res, next) => {
  const route = routes[new URL(req.url ?? '/', 'http://localhost').pathname]
  if (route) route(req, res)
  else next()
}

/** Adds the demo endpoints to the dev server (`storybook dev`) and the preview server. */
export function sseDemo(): Plugin {
  return {
    name: 'use-event-source:sse-demo',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  }
}
