// The example SSE server on plain node:http, no dependencies. Run: npm run example:server
// (PORT=4000 to move it, HEARTBEAT=5000 for a heartbeat comment every 5 s). It prints its urls:
//   GET  /sse     a price ticker, JSON       useEventSource<{ symbol: string; price: number }>(url)
//   GET  /events  named events price, news   useEventSource<Events<{ price: …; news: … }>>(url, { events: ['price', 'news'] })
//   GET  /logs    one text log line an event useEventSource<string, string[]>(url, { parse: String, reduce, initial: [] })
//   POST /llm     {"prompt": "…"} → token events with ids such as 令牌-3, then the response ends
// Every stream resumes after the Last-Event-ID request header, and every answer (404s and preflights too) carries
// CORS headers, so a client on another port (Vite's 5173) works and sees real errors instead of "failed".
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { pathToFileURL } from 'node:url'

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream', // anything else and EventSource gives up for good
  'Cache-Control': 'no-cache', // a live stream must never come from a cache
  Connection: 'keep-alive', // HTTP/1.1: keep the socket open after the headers (Node drops it on HTTP/2)
  'X-Accel-Buffering': 'no', // nginx buffers responses by default, which holds events back
}
// On every answer. '*' is enough without cookies; with `withCredentials: true` name the origin instead and add
// 'Access-Control-Allow-Credentials': 'true'. The hook's own reconnects send Last-Event-ID through fetch, a JSON body
// needs Content-Type, a token needs Authorization: each of them makes the browser ask first (the OPTIONS preflight).
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'last-event-id, content-type, authorization',
  'Access-Control-Max-Age': '600',
}

export interface ExampleOptions {
  /** Milliseconds between two events of /sse, /events and /logs. */
  interval?: number
  /** Milliseconds between two `: heartbeat` comments on every stream. */
  heartbeat?: number
  /** Milliseconds between two tokens of /llm. */
  tokenInterval?: number
}

// Event n of a stream is always the same, so a client resuming after n misses nothing and repeats nothing.
// A real feed would replay what it sent after n from a buffer instead.
const quote = (n: number) => ({
  symbol: 'ACME',
  price: Math.round(10_000 + 500 * Math.sin(n / 5)) / 100,
  time: new Date().toISOString(),
})
const HEADLINES = ['ACME opens a plant', 'ACME beats estimates', 'ACME names a new CEO', 'ACME recalls a toaster']
const LEVELS = ['INFO', 'INFO', 'INFO', 'WARN', 'INFO', 'DEBUG', 'INFO', 'ERROR']
const logLine = (n: number) =>
  `${new Date().toISOString()} ${LEVELS[n % LEVELS.length]} request ${n} served in ${(n * 37) % 250} ms`
/** The LLM's ids are not Latin-1 on purpose: resuming needs the header's UTF-8 bytes decoded right. */
const TOKEN_ID = '令牌-'

/** The Last-Event-ID request header, as the browser sent it (UTF-8 bytes, which Node reads as latin1). */
function lastEventId(req: IncomingMessage): string {
  const header = req.headers['last-event-id']
  return typeof header === 'string' ? Buffer.from(header, 'latin1').toString('utf8') : ''
}

/** The number to resume after: `prefix` then a positive integer, else 0 (from the start). */
function resumeAfter(req: IncomingMessage, prefix = ''): number {
  const id = lastEventId(req)
  const n = id.startsWith(prefix) ? Number(id.slice(prefix.length)) : Number.NaN
  return Number.isSafeInteger(n) && n > 0 ? n : 0
}

/** Opens an SSE response with a first comment (the client is open at once) and heartbeats; returns its `stop`. */
function openStream(res: ServerResponse, heartbeat: number, timers: NodeJS.Timeout[]) {
  res.writeHead(200, { ...SSE_HEADERS, ...CORS_HEADERS })
  res.write(': connected\n\n') // sends the headers now, not at the first event
  timers.push(setInterval(() => res.write(': heartbeat\n\n'), heartbeat)) // proxies cut connections that stay quiet
  res.on('close', () => {
    for (const timer of timers) clearInterval(timer) // the client went away: stop writing to it
  })
}

const send = (res: ServerResponse, { id, event, data }: { id: string | number; event?: string; data: string }) =>
  res.write(`id: ${id}\n${event ? `event: ${event}\n` : ''}data: ${data}\n\n`)

/** Every `interval` ms, event n+1 of `next` (after the one the client last saw). */
function paced(
  req: IncomingMessage,
  res: ServerResponse,
  { interval, heartbeat }: Required<ExampleOptions>,
  next: (n: number) => { event?: string; data: string },
) {
  let n = resumeAfter(req)
  const timers: NodeJS.Timeout[] = []
  openStream(res, heartbeat, timers)
  timers.push(
    setInterval(() => {
      n += 1
      send(res, { id: n, ...next(n) })
    }, interval),
  )
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

/** POST {"prompt": "…"}: an answer, one `token` event at a time, then the end of the response. */
async function llm(req: IncomingMessage, res: ServerResponse, { tokenInterval, heartbeat }: Required<ExampleOptions>) {
  if (req.method !== 'POST') {
    res.writeHead(405, { ...CORS_HEADERS, Allow: 'POST, OPTIONS', 'Content-Type': 'text/plain' })
    res.end('POST a JSON body such as {"prompt": "hello"}')
    return
  }
  let prompt: unknown
  try {
    prompt = (JSON.parse(await readBody(req)) as { prompt?: unknown }).prompt
  } catch {}
  if (typeof prompt !== 'string') {
    res.writeHead(400, { ...CORS_HEADERS, 'Content-Type': 'text/plain' })
    res.end('The body must be JSON with a string prompt: {"prompt": "hello"}')
    return
  }
  const answer = `You said: ${prompt}. Here is an answer, streamed one token at a time, as a language model would.`
  const tokens = answer.split(/(?<= )/) // words, each with the space after it
  let n = resumeAfter(req, TOKEN_ID)
  const timers: NodeJS.Timeout[] = []
  openStream(res, heartbeat, timers)
  timers.push(
    setInterval(() => {
      const token = tokens[n]
      if (token === undefined) {
        for (const timer of timers) clearInterval(timer)
        res.end() // the answer is complete: the hook shows `closed` and sends nothing again
        return
      }
      n += 1
      send(res, { id: `${TOKEN_ID}${n}`, event: 'token', data: JSON.stringify({ token }) })
    }, tokenInterval),
  )
}

export const ROUTES = {
  '/sse': 'GET   a price ticker: JSON { symbol, price, time }',
  '/events': "GET   named events 'price' (JSON) and 'news' (JSON { headline }, every 5th event)",
  '/logs': 'GET   log lines as text (parse: String)',
  '/llm': 'POST  {"prompt": "…"}: token events (JSON { token }), then the response ends',
} as const

export function createExampleServer(options: ExampleOptions = {}) {
  const settings: Required<ExampleOptions> = { interval: 1000, heartbeat: 15_000, tokenInterval: 80, ...options }
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end() // the CORS preflight, on any path
      return
    }
    if (path === '/sse') paced(req, res, settings, (n) => ({ data: JSON.stringify(quote(n)) }))
    else if (path === '/events')
      paced(req, res, settings, (n) =>
        n % 5 === 0
          ? { event: 'news', data: JSON.stringify({ headline: HEADLINES[(n / 5) % HEADLINES.length] }) }
          : { event: 'price', data: JSON.stringify(quote(n)) },
      )
    else if (path === '/logs') paced(req, res, settings, (n) => ({ data: logLine(n) }))
    else if (path === '/llm') void llm(req, res, settings)
    else {
      // CORS here too: without it a cross-origin client sees only "failed", not this 404.
      res.writeHead(404, { ...CORS_HEADERS, 'Content-Type': 'text/plain' })
      res.end(`Not found. Streams: ${Object.keys(ROUTES).join(', ')}\n`)
    }
  })
}

/** The ticker alone, as the other examples serve it (the same server: /sse is its ticker). */
export const createTickerServer = createExampleServer

// Started only when run directly (npm run example:server), not when a test imports the file.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT || 3001)
  const heartbeat = Number(process.env.HEARTBEAT || 15_000)
  // A wrong PORT or a port already taken gets one line that says what to do, not a stack trace.
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`PORT must be a port number (0 to 65535), not "${process.env.PORT}".`)
    process.exit(1)
  }
  const server = createExampleServer({ heartbeat })
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error
    console.error(
      `Port ${port} is already in use (an example server started earlier?): stop it, or start this one on another port: PORT=${port + 1} npm run example:server`,
    )
    process.exit(1)
  })
  server.listen(port, '127.0.0.1', () => {
    const { port: bound } = server.address() as { port: number } // PORT=0: the one the system chose
    console.log(`Example SSE server on http://127.0.0.1:${bound} (CORS open to any origin)`)
    for (const [path, what] of Object.entries(ROUTES)) console.log(`  http://127.0.0.1:${bound}${path}  ${what}`)
    console.log('Ctrl-C stops it.')
  })
}
