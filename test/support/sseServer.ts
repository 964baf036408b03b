import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The SSE server the integration and browser tests run against, on 127.0.0.1.
 *
 * `GET /sse?key=K&...` streams JSON events `{ n }` with `id: n`, resuming after
 * the Last-Event-ID header (or `lastEventId` query parameter). Query options:
 * - `count` events to send (default 3), `event` their type, `interval` ms between them
 * - `end=1`: end the response after the events (a dropped stream the browser resumes)
 * - `status=500&times=2`: answer that status to the first `times` requests (all when absent)
 * - `type=text/html`: answer 200 with that Content-Type instead of a stream
 * - `malformed=1`: send an event whose data is not JSON before the others
 * - `retry=ms`: send a `retry:` line first (the browser's reconnection delay)
 *
 * `GET /stats?key=K` answers what the server saw for that key: requests,
 * connections open now, and the request headers of each request.
 */

export interface KeyStats {
  requests: number
  open: number
  headers: Record<string, string | string[] | undefined>[]
  urls: string[]
}

const corsHeaders = (req: IncomingMessage) => ({
  'Access-Control-Allow-Origin': req.headers.origin ?? '*',
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
  'Timing-Allow-Origin': '*',
})

export async function startSseServer(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const stats = new Map<string, KeyStats>()
  const statsFor = (key: string) => {
    let entry = stats.get(key)
    if (!entry) stats.set(key, (entry = { requests: 0, open: 0, headers: [], urls: [] }))
    return entry
  }

  function stream(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, entry: KeyStats) {
    const count = Number(query.get('count') ?? 3)
    const interval = Number(query.get('interval') ?? 0)
    const event = query.get('event')
    const resumeFrom = Number(req.headers['last-event-id'] ?? query.get('lastEventId') ?? 0)
    res.writeHead(200, {
      ...corsHeaders(req),
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    res.write(': connected\n\n')
    if (query.get('retry')) res.write(`retry: ${query.get('retry')}\n\n`)
    if (query.get('malformed')) res.write('data: {not json\n\n')
    entry.open += 1
    let n = resumeFrom
    const send = () => {
      if (n >= resumeFrom + count) {
        clearInterval(timer)
        if (query.get('end')) res.end()
        return
      }
      n += 1
      res.write(`${event ? `event: ${event}\n` : ''}id: ${n}\ndata: ${JSON.stringify({ n })}\n\n`)
    }
    const timer = setInterval(send, interval)
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000)
    res.on('close', () => {
      entry.open -= 1
      clearInterval(timer)
      clearInterval(heartbeat)
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const query = url.searchParams
    const key = query.get('key') ?? 'default'
    if (req.method === 'OPTIONS') return res.writeHead(204, corsHeaders(req)).end()
    if (url.pathname === '/stats') {
      res.writeHead(200, { ...corsHeaders(req), 'Content-Type': 'application/json' })
      return res.end(JSON.stringify(statsFor(key)))
    }
    if (url.pathname !== '/sse') return res.writeHead(404, corsHeaders(req)).end()
    const entry = statsFor(key)
    entry.requests += 1
    entry.headers.push(req.headers)
    entry.urls.push(req.url ?? '')
    const status = Number(query.get('status') ?? 200)
    const times = Number(query.get('times') ?? Infinity)
    if (status !== 200 && entry.requests <= times) {
      if (status === 204) return res.writeHead(204, corsHeaders(req)).end()
      return res.writeHead(status, { ...corsHeaders(req), 'Content-Type': 'text/plain' }).end(`status ${status}`)
    }
    const type = query.get('type')
    if (type) return res.writeHead(200, { ...corsHeaders(req), 'Content-Type': type }).end('<h1>Not a stream</h1>')
    stream(req, res, query, entry)
  })

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actual } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
