// An SSE price ticker on Express 5. Run: npx tsx examples/express.ts (PORT=4000 to move it).
// Client: useEventSource<{ symbol: string; price: number }>('http://127.0.0.1:3001/sse')
import { pathToFileURL } from 'node:url'
import express from 'express'

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream', // anything else and EventSource gives up for good
  'Cache-Control': 'no-cache', // a live stream must never come from a cache
  Connection: 'keep-alive', // HTTP/1.1: keep the socket open after the headers
  'X-Accel-Buffering': 'no', // nginx buffers responses by default, which holds events back
}

// Event n always carries the same price, so a client resuming after n misses nothing and repeats nothing.
// A real feed would replay what it sent after n from a buffer instead.
const quote = (id: number) => ({
  symbol: 'ACME',
  price: Math.round(10_000 + 500 * Math.sin(id / 5)) / 100,
  time: new Date().toISOString(),
})

export function createTickerApp({ interval = 1000, heartbeat = 15_000 } = {}) {
  const app = express()
  // CORS for a dev client on another port (Vite's 5173); with `withCredentials: true` name the origin instead of '*'
  // and add 'Access-Control-Allow-Credentials': 'true'. The hook's own reconnects send Last-Event-ID after a preflight.
  app.use('/sse', (req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'last-event-id, content-type, authorization',
    })
    if (req.method === 'OPTIONS') res.sendStatus(204)
    else next()
  })
  app.get('/sse', (req, res) => {
    // Node reads header bytes as latin1, and browsers send the id as UTF-8: decode it, or a non-ASCII id comes out garbled.
    const resumeAfter = Number(Buffer.from(req.get('Last-Event-ID') ?? '', 'latin1').toString('utf8'))
    let id = Number.isSafeInteger(resumeAfter) && resumeAfter > 0 ? resumeAfter : 0
    // writeHead, not res.set: Express would add '; charset=utf-8' to the type. If you use the compression
    // middleware, skip it for this route (or call res.flush() after each write): gzip holds events back.
    res.writeHead(200, SSE_HEADERS)
    res.write(': connected\n\n') // sends the headers now: the client is open at once, not at the first event
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
  return app
}

// Started only when run directly, not when a test imports the file.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3001)
  createTickerApp().listen(port, '127.0.0.1', () => console.log(`SSE ticker on http://127.0.0.1:${port}/sse`))
}
