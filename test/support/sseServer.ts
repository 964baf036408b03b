import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SilentProxy, startSilentProxy } from './silentProxy'
import { format, openSseResponse, readSseRequest, writePaced } from './sse'

/**
 * The SSE server the integration and browser tests run against, on 127.0.0.1.
 *
 * `GET /sse?key=K&...` streams JSON events `{ n }` with `id: n`, resuming after
 * the Last-Event-ID header (or `lastEventId` query parameter). Query options:
 * - `count` events to send (default 3), `event` their type, `interval` ms between them, `burst` events per tick (default 1)
 * - `rate=N`: instead of `interval`/`burst`, N events per second, paced, each in a network write of its own (see `writePaced`)
 * - `end=1`: end the response after the events (a dropped stream the browser resumes)
 * - `status=500&times=2`: answer that status to the first `times` requests (all when absent); with `after=N`, to the `times` requests after the first N
 * - `drop=1`: cut the connection after the events, as a server that dies does (no end of the response)
 * - `type=text/html`: answer 200 with that Content-Type instead of a stream
 * - `malformed=1`: send an event whose data is not JSON before the others
 * - `retry=ms`: send a `retry:` line first (the browser's reconnection delay)
 * - `ids=hangul`: ids that are not Latin-1 (`알림-n`); the resume point is read from the header's UTF-8 bytes
 * - `heartbeat=ms`: a `: heartbeat` comment every `ms` while the response is open (a quiet, healthy stream)
 * - `silent=N`: after N events, nothing more, the socket kept open (a connection that died without a word);
 *   with `silentOnce=1`, only the first request goes silent
 * - `pauseAfter=N&pause=ms`: after the N-th event of a response, nothing for `ms` (a model that thinks), then the rest
 * - `big=bytes&trickle=ms`: after the events, one event `{ big }` whose data is about `bytes` long, written in 60
 *   pieces over `ms` (a large snapshot on a slow link), before `end`
 * - a request body (POST) is sent back first, as an `echo` event
 *
 * `GET /stats?key=K` answers what the server saw for that key: requests,
 * connections open now, and the request headers of each request.
 */

export interface KeyStats {
  requests: number
  open: number
  headers: Record<string, string | string[] | undefined>[]
  urls: string[]
  methods: string[]
}

/** `ids=hangul`: Node reads header bytes as latin1, so the id's UTF-8 bytes are decoded back here; 0 when none. */
function hangulResume(req: IncomingMessage, query: URLSearchParams): number {
  const header = req.headers['last-event-id']
  const id =
    typeof header === 'string' ? Buffer.from(header, 'latin1').toString('utf8') : (query.get('lastEventId') ?? '')
  return Number(/^알림-(\d+)$/.exec(id)?.[1] ?? 0)
}

const corsHeaders = (req: IncomingMessage) => ({
  'Access-Control-Allow-Origin': req.headers.origin ?? '*',
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
})

/** `big`: one event of about `bytes` of data, `{ "big": "xx…" }`, written in 60 pieces over `ms`. */
async function trickle(res: ServerResponse, bytes: number, ms: number) {
  const text = `{"big":"${'x'.repeat(Math.max(0, bytes - 10))}"}`
  const pieces = 60
  const size = Math.ceil(text.length / pieces)
  res.write('id: big\ndata: ')
  for (let piece = 0; piece < pieces && !res.destroyed; piece++) {
    res.write(text.slice(piece * size, (piece + 1) * size))
    await new Promise((resolve) => setTimeout(resolve, ms / pieces))
  }
  res.write('\n\n')
}

/** The routes above as a request handler; `false` for a path that is not theirs. */
export function createSseHandler(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const stats = new Map<string, KeyStats>()
  const statsFor = (key: string) => {
    const entry = stats.get(key) ?? { requests: 0, open: 0, headers: [], urls: [], methods: [] }
    stats.set(key, entry)
    return entry
  }

  async function stream(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, entry: KeyStats) {
    const { lastEventId, body } = await readSseRequest(req, query)
    const hangul = query.get('ids') === 'hangul'
    const resumeFrom = hangul ? hangulResume(req, query) : lastEventId
    const count = Number(query.get('count') ?? 3)
    const interval = Number(query.get('interval') ?? 0)
    const burst = Number(query.get('burst') ?? 1)
    const rate = Number(query.get('rate') ?? 0)
    const event = query.get('event') ?? undefined
    openSseResponse(res, { headers: corsHeaders(req), retry: Number(query.get('retry')) })
    if (query.get('malformed')) res.write(format({ data: '{not json' }))
    if (body) res.write(format({ event: 'echo', data: body }))
    entry.open += 1
    const heartbeatEvery = Number(query.get('heartbeat') ?? 0)
    const heartbeat = heartbeatEvery ? setInterval(() => res.write(': heartbeat\n\n'), heartbeatEvery) : undefined
    res.on('close', () => clearInterval(heartbeat))
    // Goes silent: the socket stays open, and nothing more is written, not even heartbeats.
    const silentAfter = query.get('silent') && (!query.get('silentOnce') || entry.requests === 1)
    const write = res.write.bind(res) as (chunk: string) => boolean
    const quiet = () => {
      clearInterval(heartbeat)
      res.write = (() => true) as typeof res.write
    }
    if (silentAfter) {
      let written = 0
      const limit = Number(query.get('silent'))
      res.write = ((chunk: string) => {
        if (chunk.startsWith(':')) return write(chunk)
        if (written >= limit) return true
        written += 1
        const ok = write(chunk)
        if (written >= limit) quiet()
        return ok
      }) as typeof res.write
    }
    let n = resumeFrom
    if (rate) {
      const stop = writePaced(res, rate, () => {
        if (n < resumeFrom + count) {
          n += 1
          return format({ event, id: n, data: { n } })
        }
        if (query.get('end')) res.end()
        return undefined
      })
      res.on('close', () => {
        entry.open -= 1
        stop()
      })
      return
    }
    const pauseAfter = Number(query.get('pauseAfter') ?? 0)
    let pausing: ReturnType<typeof setTimeout> | undefined
    const finish = async () => {
      const big = Number(query.get('big') ?? 0)
      if (big) await trickle(res, big, Number(query.get('trickle') ?? 0))
      if (query.get('end')) res.end()
    }
    const send = () => {
      if (pauseAfter && n === resumeFrom + pauseAfter && !pausing) {
        clearInterval(timer)
        pausing = setTimeout(
          () => {
            timer = setInterval(send, interval)
          },
          Number(query.get('pause') ?? 0),
        )
        return
      }
      if (n >= resumeFrom + count) {
        clearInterval(timer)
        void finish()
        // A moment later, as a server that dies does: cut at once, the browser may drop events it received but not yet dispatched.
        if (query.get('drop')) setTimeout(() => res.socket?.destroy(), 100)
        return
      }
      let chunk = ''
      for (let i = 0; i < burst && n < resumeFrom + count; i++) {
        n += 1
        chunk += hangul ? `id: 알림-${n}\n${format({ event, data: { n } })}` : format({ event, id: n, data: { n } })
      }
      res.write(chunk)
    }
    let timer = setInterval(send, interval)
    res.on('close', () => {
      entry.open -= 1
      clearInterval(timer)
      clearTimeout(pausing)
    })
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const query = url.searchParams
    const key = query.get('key') ?? 'default'
    if (url.pathname !== '/sse' && url.pathname !== '/stats') return false
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req)).end()
      return true
    }
    if (url.pathname === '/stats') {
      res.writeHead(200, { ...corsHeaders(req), 'Content-Type': 'application/json' }).end(JSON.stringify(statsFor(key)))
      return true
    }
    const entry = statsFor(key)
    entry.requests += 1
    entry.headers.push(req.headers)
    entry.urls.push(req.url ?? '')
    entry.methods.push(req.method ?? '')
    const status = Number(query.get('status') ?? 200)
    const times = Number(query.get('times') ?? Infinity)
    const after = Number(query.get('after') ?? 0)
    if (status !== 200 && entry.requests > after && entry.requests <= after + times) {
      if (status === 204) res.writeHead(204, corsHeaders(req)).end()
      else res.writeHead(status, { ...corsHeaders(req), 'Content-Type': 'text/plain' }).end(`status ${status}`)
      return true
    }
    const type = query.get('type')
    if (type) res.writeHead(200, { ...corsHeaders(req), 'Content-Type': type }).end('<h1>Not a stream</h1>')
    else void stream(req, res, query, entry)
    return true
  }
}

/**
 * Starts the server, and a proxy to it whose sockets can all go silent (`proxyUrl`): `GET /proxy?forward=0` on the
 * server silences them, `forward=1` forwards new ones again (see `startSilentProxy`).
 */
export async function startSseServer(port = 0): Promise<{ url: string; proxyUrl: string; close: () => Promise<void> }> {
  const handle = createSseHandler()
  let proxy: SilentProxy | undefined
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/proxy?')) {
      proxy?.forward(new URL(req.url, 'http://127.0.0.1').searchParams.get('forward') === '1')
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end()
    } else if (!handle(req, res)) res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actual } = server.address() as AddressInfo
  proxy = await startSilentProxy(actual)
  return {
    url: `http://127.0.0.1:${actual}`,
    proxyUrl: proxy.url,
    close: async () => {
      await proxy?.close()
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}
