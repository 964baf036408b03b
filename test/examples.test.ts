// @vitest-environment node
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createAdaptorServer } from '@hono/node-server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTickerApp as createExpressApp } from '../examples/express.ts'
import { createTickerApp as createHonoApp } from '../examples/hono.ts'
import { createExampleServer, createTickerServer, type ExampleOptions } from '../examples/node-http.ts'
import { createTickerHandler, GET, OPTIONS } from '../examples/web-response.ts'

/** The examples' servers, each started in-process; every request goes to its /sse. */
interface Example {
  request(init?: RequestInit): Promise<Response>
  close(): Promise<void>
}
type Options = { interval?: number; heartbeat?: number }

const ORIGIN = 'http://localhost:5173' // a dev client on another port

async function listen(server: Server): Promise<Example> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    request: (init) => fetch(`http://127.0.0.1:${port}/sse`, init),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const examples: [string, (options: Options) => Promise<Example>][] = [
  ['node:http', (options) => listen(createTickerServer(options))],
  ['Express 5', (options) => listen(createServer(createExpressApp(options)))],
  ['Hono', (options) => listen(createAdaptorServer({ fetch: createHonoApp(options).fetch }) as Server)],
  [
    'Web Response',
    async (options) => {
      const handler = createTickerHandler(options)
      const request = (init?: RequestInit) => {
        const req = new Request('http://127.0.0.1/sse', { ...init, headers: { Origin: ORIGIN, ...init?.headers } })
        return Promise.resolve(req.method === 'OPTIONS' ? OPTIONS() : handler(req))
      }
      return { request, close: async () => {} }
    },
  ],
]

interface Received {
  comments: string[]
  events: { id: string | undefined; event: string | undefined; data: string }[]
  text: string
}

/** Parses the complete SSE blocks of `text` (the examples write one block per write: no CRs, one data line). */
function parse(text: string): Received {
  const received: Received = { comments: [], events: [], text }
  for (const block of text.split('\n\n').slice(0, -1)) {
    const lines = block.split('\n')
    for (const line of lines) if (line.startsWith(':')) received.comments.push(line.slice(1).trim())
    const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2)
    const data = field('data')
    if (data !== undefined) received.events.push({ id: field('id'), event: field('event'), data })
  }
  return received
}

/** Reads the stream until `enough`, for 5 s at most, then lets it go (the client goes away). */
async function read(response: Response, enough: (received: Received) => boolean): Promise<Received> {
  if (!response.body) throw new Error('no body')
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  const giveUp = setTimeout(() => void reader.cancel(), 5000) // a pending read then ends: the loop is bounded
  let text = ''
  try {
    while (!enough(parse(text))) {
      const { value, done } = await reader.read()
      if (done) break
      text += value
    }
  } finally {
    clearTimeout(giveUp)
    await reader.cancel()
  }
  return parse(text)
}

// Every interval the examples start must be cleared once their client has gone: no timer outlives its stream.
let intervals: { created: unknown[]; cleared: Set<unknown> }
beforeEach(() => {
  const setIntervalSpy = vi.spyOn(globalThis, 'setInterval')
  const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval')
  intervals = {
    get created() {
      return setIntervalSpy.mock.results.map((result) => result.value)
    },
    get cleared() {
      return new Set(clearIntervalSpy.mock.calls.map(([handle]) => handle))
    },
  }
})

describe.each(examples)('examples: %s', (_name, start) => {
  let example: Example | undefined
  afterEach(async () => {
    await example?.close()
    example = undefined
    await vi.waitFor(() => expect(intervals.created.filter((handle) => !intervals.cleared.has(handle))).toEqual([]), {
      timeout: 3000,
    })
  })

  it('answers at once with the stream headers, CORS and a first comment, before any event', async () => {
    example = await start({ interval: 60_000 }) // no event within the test: the first flush alone must arrive
    const response = await example.request({ headers: { Origin: ORIGIN } })
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/event-stream')
    expect(response.headers.get('Cache-Control')).toBe('no-cache')
    expect(response.headers.get('Connection')).toBe('keep-alive')
    expect(response.headers.get('X-Accel-Buffering')).toBe('no')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    const { text } = await read(response, ({ comments }) => comments.length > 0)
    expect(text).toBe(': connected\n\n')
    expect(intervals.created.length).toBeGreaterThan(0) // the spies see the example's timers
  })

  it('streams JSON price ticks with ids 1, 2, 3 and heartbeat comments', async () => {
    example = await start({ interval: 20, heartbeat: 30 })
    const { comments, events } = await read(
      await example.request(),
      (r) => r.events.length >= 3 && r.comments.includes('heartbeat'),
    )
    expect(comments[0]).toBe('connected')
    expect(comments).toContain('heartbeat')
    expect(events.slice(0, 3).map(({ id }) => id)).toEqual(['1', '2', '3'])
    for (const { data } of events) {
      const tick = JSON.parse(data)
      expect(tick).toEqual({ symbol: 'ACME', price: expect.any(Number), time: expect.any(String) })
      expect(Number.isNaN(Date.parse(tick.time))).toBe(false)
    }
  })

  it('resumes after the Last-Event-ID request header', async () => {
    example = await start({ interval: 20 })
    const resumed = await read(
      await example.request({ headers: { 'Last-Event-ID': '5' } }),
      (r) => r.events.length >= 2,
    )
    expect(resumed.events.slice(0, 2).map(({ id }) => id)).toEqual(['6', '7'])
    const garbled = await read(
      await example.request({ headers: { 'Last-Event-ID': 'not a number' } }),
      (r) => r.events.length >= 1,
    )
    expect(garbled.events[0]?.id).toBe('1') // an id it cannot resume after starts the feed over
  })

  it('allows a cross-origin client to send Last-Event-ID (the CORS preflight)', async () => {
    example = await start({})
    const response = await example.request({
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'last-event-id',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('last-event-id')
  })

  it('stops its timers when the client aborts the request', async () => {
    example = await start({ interval: 20, heartbeat: 30 })
    const abort = new AbortController()
    const response = await example.request({ signal: abort.signal })
    if (!response.body) throw new Error('no body')
    const reader = response.body.getReader()
    await reader.read()
    abort.abort() // the Web handler sees it on request.signal; afterEach waits for every interval to be cleared
  })
})

describe('examples: Web Response', () => {
  it('stops its timers when the body is cancelled, with no abort signal (the server cancels it as the client leaves)', async () => {
    const response = createTickerHandler({ interval: 20, heartbeat: 30 })(new Request('http://127.0.0.1/sse'))
    const { events } = await read(response, (r) => r.events.length >= 1)
    expect(events[0]?.id).toBe('1')
    expect(intervals.created.filter((handle) => !intervals.cleared.has(handle))).toEqual([])
  })

  it('exports a Next.js route handler pair, GET and OPTIONS', async () => {
    expect(OPTIONS().status).toBe(204)
    const response = GET(new Request('http://127.0.0.1/sse'))
    expect(response.headers.get('Content-Type')).toBe('text/event-stream')
    await response.body?.cancel()
    expect(intervals.created.filter((handle) => !intervals.cleared.has(handle))).toEqual([])
  })
})

describe('examples: the example server (npm run example:server)', () => {
  let base = ''
  let server: Server | undefined
  const start = async (options: ExampleOptions) => {
    server = createExampleServer(options)
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  afterEach(async () => {
    const closing = server
    server = undefined
    if (closing) {
      closing.closeAllConnections()
      await new Promise((resolve) => closing.close(resolve))
    }
    await vi.waitFor(() => expect(intervals.created.filter((handle) => !intervals.cleared.has(handle))).toEqual([]), {
      timeout: 3000,
    })
  })
  /** The id's UTF-8 bytes as a byte string: what the browser's EventSource puts on the wire for a non-ASCII id. */
  const utf8Header = (id: string) => String.fromCharCode(...new TextEncoder().encode(id))
  const expectCors = (response: Response) => {
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    const allowed = response.headers.get('Access-Control-Allow-Headers')?.toLowerCase().split(/,\s*/)
    expect(allowed).toEqual(expect.arrayContaining(['last-event-id', 'content-type', 'authorization']))
  }
  const ask = (prompt: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/llm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN, ...headers },
      body: JSON.stringify({ prompt }),
    })

  it('streams named events, price and news, with an id on each', async () => {
    await start({ interval: 10 })
    const response = await fetch(`${base}/events`, { headers: { Origin: ORIGIN } })
    expect(response.headers.get('Content-Type')).toBe('text/event-stream')
    expectCors(response)
    const { events } = await read(response, (r) => r.events.length >= 5)
    expect(events.slice(0, 5).map(({ id, event }) => [id, event])).toEqual([
      ['1', 'price'],
      ['2', 'price'],
      ['3', 'price'],
      ['4', 'price'],
      ['5', 'news'],
    ])
    expect(JSON.parse(events[0]?.data ?? '')).toEqual({
      symbol: 'ACME',
      price: expect.any(Number),
      time: expect.any(String),
    })
    expect(JSON.parse(events[4]?.data ?? '')).toEqual({ headline: expect.any(String) })
  })

  it('streams log lines as text, one line an event', async () => {
    await start({ interval: 10 })
    const { events } = await read(await fetch(`${base}/logs`), (r) => r.events.length >= 3)
    expect(events.slice(0, 3).map(({ id }) => id)).toEqual(['1', '2', '3'])
    for (const { data, event } of events) {
      expect(event).toBeUndefined() // unnamed: the hook's default `message`
      expect(data).toMatch(/^\S+Z (INFO|WARN|DEBUG|ERROR) request \d+ served in \d+ ms$/)
      expect(() => JSON.parse(data)).toThrow() // text: a client needs `parse: String`
    }
  })

  it.each(['/sse', '/events', '/logs'])('resumes %s after the Last-Event-ID header', async (path) => {
    await start({ interval: 10 })
    const { events } = await read(
      await fetch(`${base}${path}`, { headers: { 'Last-Event-ID': '7' } }),
      (r) => r.events.length >= 2,
    )
    expect(events.slice(0, 2).map(({ id }) => id)).toEqual(['8', '9'])
  })

  it.each(['/sse', '/events', '/logs'])('sends a heartbeat comment on %s', async (path) => {
    await start({ interval: 60_000, heartbeat: 20 })
    const { comments, events } = await read(await fetch(`${base}${path}`), (r) => r.comments.includes('heartbeat'))
    expect(comments).toEqual(['connected', 'heartbeat'])
    expect(events).toEqual([])
  })

  it('answers a POSTed prompt with token events whose ids are not Latin-1, then ends the response', async () => {
    await start({ tokenInterval: 5 })
    const response = await ask('hello')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/event-stream')
    expectCors(response)
    const { events, text } = await read(response, () => false) // to the end of the response
    expect(text.endsWith('\n\n')).toBe(true)
    expect(events.length).toBeGreaterThan(5)
    expect(events.map(({ id }) => id)).toEqual(events.map((_, i) => `令牌-${i + 1}`))
    expect(events.every(({ event }) => event === 'token')).toBe(true)
    const answer = events.map(({ data }) => (JSON.parse(data) as { token: string }).token).join('')
    expect(answer).toMatch(/^You said: hello\. /)
  })

  it('resumes the answer after a Last-Event-ID sent as UTF-8 bytes', async () => {
    await start({ tokenInterval: 5 })
    const whole = await read(await ask('hi'), () => false)
    const resumed = await read(await ask('hi', { 'Last-Event-ID': utf8Header('令牌-3') }), () => false)
    expect(resumed.events.map(({ id }) => id)).toEqual(whole.events.slice(3).map(({ id }) => id))
    expect(resumed.events.map(({ data }) => data)).toEqual(whole.events.slice(3).map(({ data }) => data))
  })

  it('refuses a GET on /llm (405) and a body without a prompt (400), with CORS headers', async () => {
    await start({})
    const get = await fetch(`${base}/llm`)
    expect(get.status).toBe(405)
    expectCors(get)
    await get.body?.cancel()
    const bad = await ask(42)
    expect(bad.status).toBe(400)
    expectCors(bad)
    expect(await bad.text()).toContain('prompt')
  })

  it('answers an unknown path with a 404 that carries CORS headers and names the streams', async () => {
    await start({})
    const response = await fetch(`${base}/nope`, { headers: { Origin: ORIGIN } })
    expect(response.status).toBe(404)
    expectCors(response)
    expect(await response.text()).toContain('/sse, /events, /logs, /llm')
  })

  it.each(['/sse', '/llm', '/nope'])('answers the CORS preflight on %s', async (path) => {
    await start({})
    const response = await fetch(`${base}${path}`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, last-event-id, authorization',
      },
    })
    expect(response.status).toBe(204)
    expectCors(response)
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('POST')
  })
})

describe('examples: npm run example:server, as a process', () => {
  const script = fileURLToPath(new URL('../examples/node-http.ts', import.meta.url))
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))
  /** Runs the example server with this PORT until it exits or prints its first url; then stops it. */
  const run = (port: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(tsx, [script], { env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => {
        stdout += chunk
        if (stdout.includes('Ctrl-C')) child.kill()
      })
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.on('error', reject)
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
    })

  it('starts on the port PORT names', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    await new Promise((resolve) => taken.close(resolve)) // a port that was free a moment ago
    const { stdout } = await run(String(port))
    expect(stdout).toContain(`Example SSE server on http://127.0.0.1:${port} `)
    expect(stdout).toContain(`http://127.0.0.1:${port}/sse`)
  }, 30_000)

  it('says in one line that the port is taken, and exits 1, without a stack trace', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    try {
      const { code, stdout, stderr } = await run(String(port))
      expect(code).toBe(1)
      expect(stdout).toBe('')
      expect(stderr.trim().split('\n')).toEqual([
        `Port ${port} is already in use (an example server started earlier?): stop it, or start this one on another port: PORT=${port + 1} npm run example:server`,
      ])
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  }, 30_000)

  it('says in one line that PORT is not a port number', async () => {
    const { code, stderr } = await run('abc')
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('PORT must be a port number (0 to 65535), not "abc".')
  }, 30_000)
})
