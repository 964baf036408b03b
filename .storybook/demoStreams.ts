/**
 * The demo's streams, written once and served two ways: as real SSE
 * endpoints by Storybook's Vite server (sseDemo.ts), and, in a static
 * Storybook build that has no server, played in the page (staticFallback.ts).
 */

import type { SseEvent } from '../test/support/sse.ts'

export interface DemoRequest {
  query: URLSearchParams
  /** The request body (POST), as text; '' when none. */
  body: string
  /** The Last-Event-ID header (or `lastEventId` query parameter), as a number; 0 when none. */
  lastEventId: number
  authorization: string | undefined
  /** Aborted when the client goes away. */
  signal: AbortSignal
}

/** An HTTP status for a refused stream, or the events of an accepted one. */
export type DemoResponse = { status: number; body?: string } | { retry?: number; events: AsyncIterable<SseEvent> }

/** Waits `ms`, or less when the client goes away (the stream then ends). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })

/** Resolves when the client goes away: a stream that has nothing more to send stays open until then. */
const closedBy = (signal: AbortSignal) =>
  new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
  )

/** How many events the flood sends in all. */
export const floodSize = 2000

async function* ticker({ lastEventId, signal }: DemoRequest): AsyncGenerator<SseEvent> {
  let price = 100
  for (let id = lastEventId + 1; !signal.aborted; id++) {
    price = Math.max(1, price + (Math.random() - 0.5) * 2)
    yield { id, data: { symbol: 'ACME', price: Number(price.toFixed(2)), time: new Date().toISOString() } }
    await sleep(1000, signal)
  }
}

/** The feed's news. */
const headlines = ['ACME beats estimates', 'Rates held steady', 'ACME opens a plant', 'Markets close higher']

/** How many requests each `session` query value has made: the unstable stream fails the first ones. */
const sessions = new Map<string, number>()

/** What the made-up LLM says after repeating the question. */
const answers = [
  'Server-Sent Events keep one HTTP response open and write events into it as text.',
  'Each token arrives as its own event, and the hook renders them once per frame.',
]

export const routes: Record<string, (request: DemoRequest) => DemoResponse> = {
  /** A price ticker, one JSON event a second; resumes after Last-Event-ID. */
  '/sse': (request) => ({ events: ticker(request) }),

  /** Named events: `event: red` and `event: blue`, turn about. */
  '/sse/colors': ({ lastEventId, signal }) => ({
    events: (async function* () {
      for (let id = lastEventId + 1; !signal.aborted; id++) {
        yield { event: id % 2 ? 'red' : 'blue', id, data: { count: id } }
        await sleep(700, signal)
      }
    })(),
  }),

  /** Named events, `price` and `news`; a price whose id is a multiple of 5 is `"n/a"`, as from a server whose shape changed under the page. */
  '/sse/feed': ({ lastEventId, signal }) => ({
    events: (async function* () {
      let price = 100
      for (let id = lastEventId + 1; !signal.aborted; id++) {
        if (id % 4 === 0) yield { event: 'news', id, data: { title: headlines[(id / 4) % headlines.length] } }
        else {
          price = Math.max(1, price + (Math.random() - 0.5) * 2)
          yield { event: 'price', id, data: { price: id % 5 === 0 ? 'n/a' : Number(price.toFixed(2)) } }
        }
        await sleep(700, signal)
      }
    })(),
  }),

  /** Drops the connection after three events; the browser reconnects after `retry` and resumes. */
  '/sse/flaky': ({ lastEventId, signal }) => ({
    retry: 1500,
    events: (async function* () {
      for (let id = lastEventId + 1; id <= lastEventId + 3 && !signal.aborted; id++) {
        yield { id, data: { count: id } }
        await sleep(600, signal)
      }
    })(),
  }),

  /** Answers 503 to the first two requests of a `session`, then streams: the retry policy at work. */
  '/sse/unstable': (request) => {
    const session = request.query.get('session') ?? ''
    const attempt = (sessions.get(session) ?? 0) + 1
    sessions.set(session, attempt)
    if (attempt <= 2) return { status: 503, body: 'deploying, try again' }
    sessions.delete(session)
    return { events: ticker(request) }
  },

  /** One event whose data is not JSON, then good ones. */
  '/sse/bad-json': ({ signal }) => ({
    events: (async function* () {
      yield { data: '{"price": 1' }
      for (let id = 1; !signal.aborted; id++) {
        await sleep(800, signal)
        yield { id, data: { price: id } }
      }
    })(),
  }),

  /**
   * 2,000 numbered events in bursts of 20 (about 2,000 a second), then nothing: the stream stays open, quiet.
   * A reconnect resumes after Last-Event-ID; one past the end gets no events again, so the count stops at 2,000.
   */
  '/sse/flood': ({ lastEventId, signal }) => ({
    events: (async function* () {
      for (let n = lastEventId + 1; n <= floodSize && !signal.aborted; n++) {
        yield { id: n, data: { n } }
        if (n % 20 === 0) await sleep(10, signal)
      }
      await closedBy(signal)
    })(),
  }),

  /** Up to 250 numbered events a second, five every 20 ms, for as long as the page stays: more than a screen can show. */
  '/sse/firehose': ({ lastEventId, signal }) => ({
    events: (async function* () {
      for (let n = lastEventId + 1; !signal.aborted; n++) {
        yield { id: n, data: { n } }
        if (n % 5 === 0) await sleep(20, signal)
      }
    })(),
  }),

  /** A server that is down: 503 to every request, so the retry policy backs off for as long as the page stays. */
  '/sse/down': () => ({ status: 503, body: 'down for maintenance' }),

  /** Needs `Authorization: Bearer demo-token`; anything else is a 401. */
  '/sse/auth': (request) =>
    request.authorization === 'Bearer demo-token'
      ? { events: ticker(request) }
      : { status: 401, body: 'missing or wrong token' },

  /** `POST /sse/llm` with `{ "prompt": "…" }`: a made-up answer, streamed a token at a time (`event: token`); the response ends with it. */
  '/sse/llm': ({ body, signal }) => {
    const prompt = String((JSON.parse(body || '{}') as { prompt?: unknown }).prompt ?? '')
    const answer = `You asked: “${prompt}”. ${answers[prompt.length % answers.length]}`
    return {
      events: (async function* () {
        for (const token of answer.match(/\S+\s*/g) ?? []) {
          yield { event: 'token', data: { token } }
          await sleep(40, signal)
        }
      })(),
    }
  },
}

/** What `GET /sse/connections?key=…` answers: how many streams opened with that `key` query value are open now, and who counted them. */
export interface ConnectionCount {
  open: number
  /** `server`: the demo's SSE server; `page`: the in-page stand-in of a static build, which has no server. */
  counter: 'server' | 'page'
}

/** Open streams per `key` query value; a key is forgotten when its last stream ends. */
export function connectionCounter() {
  const open = new Map<string, number>()
  return {
    /** Counts a stream for `key` (none without one) and returns the function that uncounts it. */
    add(key: string | null): () => void {
      if (!key) return () => {}
      open.set(key, (open.get(key) ?? 0) + 1)
      let done = false
      return () => {
        if (done) return
        done = true
        const left = (open.get(key) ?? 1) - 1
        if (left) open.set(key, left)
        else open.delete(key)
      }
    },
    count: (key: string | null): number => open.get(key ?? '') ?? 0,
  }
}
