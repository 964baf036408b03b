// An SSE price ticker as a Web-standard handler, (request: Request) => Response: a Next.js App Router route
// handler, and the same in Deno.serve, Bun.serve, Cloudflare Workers or Hono. Run: npx tsx examples/web-response.ts
// Next.js: a route file may export only handlers and route config. Put createTickerHandler in a module of your own
// and write app/sse/route.ts as `export const GET = createTickerHandler()` (plus OPTIONS for the dev CORS preflight).
// `next start` gzips responses, text/event-stream too, and gzip holds events back: set `compress: false` in
// next.config, or add 'Content-Encoding': 'none' to SSE_HEADERS (Next.js then leaves the response alone).
import { pathToFileURL } from 'node:url'

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream', // anything else and EventSource gives up for good
  'Cache-Control': 'no-cache', // a live stream must never come from a cache
  Connection: 'keep-alive', // HTTP/1.1: keep the socket open after the headers
  'X-Accel-Buffering': 'no', // nginx buffers responses by default, which holds events back
}
// CORS for a dev client on another port; with `withCredentials: true` name the origin and allow credentials.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'last-event-id, content-type, authorization',
}

// Event n always carries the same price, so a client resuming after n misses nothing and repeats nothing.
const quote = (id: number) => ({
  symbol: 'ACME',
  price: Math.round(10_000 + 500 * Math.sin(id / 5)) / 100,
  time: new Date().toISOString(),
})

export function createTickerHandler({ interval = 1000, heartbeat = 15_000 } = {}) {
  return function GET(request: Request): Response {
    // Header values are byte strings: in Node a browser's UTF-8 id arrives as latin1 characters, so a non-ASCII id
    // needs Buffer.from(value, 'latin1').toString('utf8'); this TextDecoder form works in every runtime.
    const header = request.headers.get('Last-Event-ID') ?? ''
    const resumeAfter = Number(new TextDecoder().decode(Uint8Array.from(header, (c) => c.charCodeAt(0))))
    let id = Number.isSafeInteger(resumeAfter) && resumeAfter > 0 ? resumeAfter : 0
    const encoder = new TextEncoder()
    let stop = () => {}
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text))
          } catch {
            stop() // the body was closed under us: nobody is reading any more
          }
        }
        send(': connected\n\n') // Next.js sends the headers with the first chunk: the client is open at once
        const ticks = setInterval(() => send(`id: ${++id}\ndata: ${JSON.stringify(quote(id))}\n\n`), interval)
        const beats = setInterval(() => send(': heartbeat\n\n'), heartbeat) // proxies cut quiet connections
        stop = () => {
          clearInterval(ticks)
          clearInterval(beats)
        }
        request.signal.addEventListener('abort', () => stop()) // the client went away
      },
      cancel: () => stop(), // the body's reader went away (the server cancels it when the client does)
    })
    return new Response(body, { headers: { ...SSE_HEADERS, ...CORS_HEADERS } })
  }
}

export const GET = createTickerHandler()
export const OPTIONS = () => new Response(null, { status: 204, headers: CORS_HEADERS }) // the CORS preflight

// Started only when run directly (leave this out of a route file): any fetch-style server will do.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { serve } = await import('@hono/node-server')
  const port = Number(process.env.PORT ?? 3001)
  const handle = (request: Request) =>
    new URL(request.url).pathname !== '/sse'
      ? new Response(null, { status: 404 })
      : request.method === 'OPTIONS'
        ? OPTIONS()
        : GET(request)
  serve({ fetch: handle, hostname: '127.0.0.1', port }, () => console.log(`SSE ticker on http://127.0.0.1:${port}/sse`))
}
