import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import compression from 'compression'
import express from 'express'

/** What a stream server of these tests gets wrong; each defaults to right. */
export interface Flaws {
  /** Send three events, then nothing: no heartbeat comments. */
  noHeartbeat?: boolean
  /** Events without `id:` lines. */
  noIds?: boolean
  /** Start from event 1 whatever Last-Event-ID says. */
  ignoreLastEventId?: boolean
  /** The preflight's Access-Control-Allow-Headers. */
  allowHeaders?: string
  /** Answer every request 404, without CORS headers. */
  notFound?: boolean
  /** Answer a POST with every event at once, in one body with a Content-Length. */
  wholeBody?: boolean
}

/** A stream of `{ n }` events every 100 ms, with the headers, comments, ids and CORS the docs ask for, but `flaws`. */
export function createStreamHandler(flaws: Flaws = {}) {
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': flaws.allowHeaders ?? 'last-event-id, content-type, authorization',
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    if (flaws.notFound) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end()
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/sse') return void res.writeHead(404, cors).end()
    const headers = { ...cors, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' }
    const header = req.headers['last-event-id']
    let n = flaws.ignoreLastEventId ? 0 : Number(header) || 0
    const event = () => `${flaws.noIds ? '' : `id: ${++n}\n`}data: ${JSON.stringify({ n: flaws.noIds ? ++n : n })}\n\n`
    if (flaws.wholeBody) {
      const body = `: connected\n\n${Array.from({ length: 5 }, event).join('')}`
      return void res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(body) }).end(body)
    }
    res.writeHead(200, headers)
    res.write(': connected\n\n')
    const last = flaws.noHeartbeat ? n + 3 : Number.POSITIVE_INFINITY
    const ticks = setInterval(() => {
      if (n < last) res.write(event())
    }, 100)
    const beats = flaws.noHeartbeat ? undefined : setInterval(() => res.write(': heartbeat\n\n'), 400)
    res.on('close', () => {
      clearInterval(ticks)
      clearInterval(beats)
    })
  }
}

/** The same stream through Express with `compression()` in front, as many apps have it for everything. */
export function createCompressedApp() {
  const app = express()
  app.use(compression())
  app.use(createStreamHandler())
  return app
}

/**
 * A proxy that buffers as nginx does with `proxy_buffering on` and X-Accel-Buffering ignored: it holds the upstream's
 * answer, headers included, until 4 kB have collected, then passes them on in one write.
 */
export function createBufferingProxy(upstream: string, size = 4096) {
  return createServer((req, res) => {
    const forward = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      let held: Buffer[] = []
      let length = 0
      const flush = () => {
        if (!res.headersSent) res.writeHead(answer.statusCode ?? 502, answer.headers)
        res.write(Buffer.concat(held))
        held = []
        length = 0
      }
      answer.on('data', (chunk: Buffer) => {
        held.push(chunk)
        length += chunk.length
        if (length >= size) flush()
      })
      answer.on('end', () => {
        flush()
        res.end()
      })
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
    res.on('close', () => forward.destroy())
  })
}

export interface Running {
  url: string
  close(): Promise<void>
}

/** Starts a server on 127.0.0.1, on a port of its own. */
export async function listen(server: Server): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
