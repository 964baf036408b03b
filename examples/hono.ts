// An SSE price ticker on Hono, served by @hono/node-server. Run: npx tsx examples/hono.ts (PORT=4000 to move it).
// Client: useEventSource<{ symbol: string; price: number }>('http://127.0.0.1:3001/sse')
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { streamSSE } from 'hono/streaming'

// Event n always carries the same price, so a client resuming after n misses nothing and repeats nothing.
// A real feed would replay what it sent after n from a buffer instead.
const quote = (id: number) => ({
  symbol: 'ACME',
  price: Math.round(10_000 + 500 * Math.sin(id / 5)) / 100,
  time: new Date().toISOString(),
})

export function createTickerApp({ interval = 1000, heartbeat = 15_000 } = {}) {
  const app = new Hono()
  // CORS for a dev client on another port (Vite's 5173), preflight included: the hook's own reconnects send
  // Last-Event-ID through fetch. With `withCredentials: true`, name the origin and pass `credentials: true`.
  app.use('/sse', cors({ origin: '*', allowHeaders: ['last-event-id', 'content-type', 'authorization'] }))
  app.get('/sse', (c) => {
    // Node reads header bytes as latin1, and browsers send the id as UTF-8: decode it, or a non-ASCII id comes out garbled.
    const resumeAfter = Number(Buffer.from(c.req.header('Last-Event-ID') ?? '', 'latin1').toString('utf8'))
    let id = Number.isSafeInteger(resumeAfter) && resumeAfter > 0 ? resumeAfter : 0
    // streamSSE sets Content-Type: text/event-stream, Cache-Control: no-cache and Connection: keep-alive.
    c.header('X-Accel-Buffering', 'no') // nginx buffers responses by default, which holds events back
    // All set up in one go, with no await in between: a client that leaves early still stops the timers.
    return streamSSE(
      c,
      (stream) =>
        new Promise<void>((resolve) => {
          void stream.write(': connected\n\n') // a first write right away: the client is open at once, not at the first event
          const ticks = setInterval(() => {
            id += 1
            void stream.writeSSE({ id: String(id), data: JSON.stringify(quote(id)) })
          }, interval)
          const beats = setInterval(() => void stream.write(': heartbeat\n\n'), heartbeat) // proxies cut quiet connections
          stream.onAbort(() => {
            clearInterval(ticks) // the client went away: stop writing to it, and end the stream
            clearInterval(beats)
            resolve()
          })
        }),
    )
  })
  return app
}

// Started only when run directly, not when a test imports the file.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3001)
  serve({ fetch: createTickerApp().fetch, hostname: '127.0.0.1', port }, () =>
    console.log(`SSE ticker on http://127.0.0.1:${port}/sse`),
  )
}
