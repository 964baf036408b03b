// An SSE price ticker on plain node:http, no dependencies. Run: npm run example:server (PORT=4000 to move it).
// Client: useEventSource<{ symbol: string; price: number }>('http://127.0.0.1:3001/sse')
import { createServer, type IncomingMessage } from 'node:http'
import { pathToFileURL } from 'node:url'

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream', // anything else and EventSource gives up for good
  'Cache-Control': 'no-cache', // a live stream must never come from a cache
  Connection: 'keep-alive', // HTTP/1.1: keep the socket open after the headers (Node drops it on HTTP/2)
  'X-Accel-Buffering': 'no', // nginx buffers responses by default, which holds events back
}
// CORS for a dev client on another port (Vite's 5173). '*' is enough without cookies; with `withCredentials: true`
// name the origin instead and add 'Access-Control-Allow-Credentials': 'true'.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Last-Event-ID', // the hook's own reconnects send it through fetch, after a preflight
}

// Event n always carries the same price, so a client resuming after n misses nothing and repeats nothing.
// A real feed would replay what it sent after n from a buffer instead.
const quote = (id: number) => ({
  symbol: 'ACME',
  price: Math.round(10_000 + 500 * Math.sin(id / 5)) / 100,
  time: new Date().toISOString(),
})

/** The id to resume after, from the Last-Event-ID header the browser sends when it reconnects (0: from the start). */
function lastEventId(req: IncomingMessage): number {
  const header = req.headers['last-event-id']
  // Node reads header bytes as latin1, and browsers send the id as UTF-8: decode it, or a non-ASCII id comes out garbled.
  const id = Number(typeof header === 'string' ? Buffer.from(header, 'latin1').toString('utf8') : '')
  return Number.isSafeInteger(id) && id > 0 ? id : 0
}

export function createTickerServer({ interval = 1000, heartbeat = 15_000 } = {}) {
  return createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/sse') {
      res.writeHead(404).end()
      return
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end() // the CORS preflight
      return
    }
    res.writeHead(200, { ...SSE_HEADERS, ...CORS_HEADERS })
    res.write(': connected\n\n') // sends the headers now: the client is open at once, not at the first event
    let id = lastEventId(req)
    const ticks = setInterval(() => {
      id += 1
      res.write(`id: ${id}\ndata: ${JSON.stringify(quote(id))}\n\n`)
    }, interval)
    const beats = setInterval(() => res.write(': heartbeat\n\n'), heartbeat) // proxies cut connections that stay quiet
    res.on('close', () => {
      clearInterval(ticks) // the client went away: stop writing to it
      clearInterval(beats)
    })
  })
}

// Started only when run directly (npm run example:server), not when a test imports the file.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3001)
  createTickerServer().listen(port, '127.0.0.1', () => console.log(`SSE ticker on http://127.0.0.1:${port}/sse`))
}
