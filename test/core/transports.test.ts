import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventSourceError } from '../../src/core/EventSourceError'
import { fetchTransport } from '../../src/core/transports/fetch'
import type { TransportRequest } from '../../src/core/transports/types'
import { streamFixtures } from '../fixtures/streams'
import { spyHandlers, quiet, spyHandlers as handlers } from '../support/listeners'
import { serverStats, streamUrl } from '../support/server'
import { createConnection } from '../../src/core/connection'
import { eventSourceTransport } from '../../src/core/transports/eventSourceTransport'
import { MockEventSource } from '../../src/testing'

describe('the fetch transport', () => {
  /** A fetch that answers with `chunks` as the body, one read per chunk. */
  function answer(
    chunks: (string | number[])[],
    init: ResponseInit = { headers: { 'Content-Type': 'text/event-stream' } },
  ) {
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks)
          controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk))
        controller.close()
      },
    })
    const fetch = vi.fn(async (_url: string, request: RequestInit) => {
      new Headers(request.headers) // throws on a value that is not a byte string, as a real fetch does
      return new Response(init.status === 204 ? null : body, init)
    })
    vi.stubGlobal('fetch', fetch)
    return fetch
  }

  /** The request headers of the `call`th fetch, as the server would get them (names in lower case). */
  const sentHeaders = (fetch: ReturnType<typeof answer>, call = 0) =>
    Object.fromEntries(new Headers(fetch.mock.calls[call]?.[1].headers))

  /** A string's UTF-8 bytes as a byte string: what a Node server reads from a header (latin1). */
  const utf8Bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1')

  /** Runs the transport until it reports the end (or a failure); returns everything it said. */
  async function run(request: Partial<TransportRequest> = {}) {
    const said = {
      opened: false,
      ended: false,
      events: [] as string[],
      lastEventId: '',
      retries: [] as number[],
      chunks: 0,
      error: undefined as EventSourceError | undefined,
    }
    await new Promise<void>((resolve) => {
      fetchTransport(
        { url: 'http://localhost/sse', withCredentials: false, lastEventId: '', headers: undefined, ...request },
        {
          open: () => {
            said.opened = true
          },
          message: (type, data, id) => said.events.push(`${type}:${data}#${id}`),
          id: (id) => {
            said.lastEventId = id
          },
          retry: (ms) => said.retries.push(ms),
          bytes: () => {
            said.chunks += 1
          },
          end: () => {
            said.ended = true
            resolve()
          },
          error: (error, closed) => {
            expect(closed).toBe(true) // fetch never retries by itself
            said.error = error
            resolve()
          },
        },
      )
    })
    return said
  }

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  /** Lets every promise callback queued so far run (a macrotask comes after all of them). */
  const flushPromises = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

  describe('the fetch transport dispatches what a browser EventSource would', () => {
    it.each(streamFixtures)('$name', async ({ chunks, events, lastEventId, retries = [] }) => {
      answer(chunks)
      const said = await run()
      expect(said.events).toEqual(events)
      expect(said.lastEventId).toBe(lastEventId)
      expect(said.retries).toEqual(retries)
      expect(said.ended).toBe(true) // the server ended the response: an end, not a failure
      expect(said.error).toBeUndefined()
    })
  })

  describe('the fetch transport', () => {
    it('POSTs a JSON body with the event-stream Accept header, the user’s headers and Last-Event-ID', async () => {
      const fetch = answer(['data: a\n\n'])
      await run({
        body: { prompt: 'hi' },
        headers: { Authorization: 'Bearer t' },
        lastEventId: '41',
        withCredentials: true,
      })
      const [url, init] = fetch.mock.calls[0] ?? []
      expect(url).toBe('http://localhost/sse')
      expect(init).toMatchObject({ method: 'POST', body: '{"prompt":"hi"}', credentials: 'include' })
      expect(sentHeaders(fetch)).toEqual({
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: 'Bearer t',
        'last-event-id': '41',
      })
    })

    it('lets the user’s headers replace the default Content-Type and Accept, in any case, instead of adding to them', async () => {
      const fetch = answer(['data: a\n\n'])
      await run({
        body: { op: 'add' },
        headers: { 'content-type': 'application/merge-patch+json', ACCEPT: 'text/event-stream, application/json' },
      })
      expect(sentHeaders(fetch)).toEqual({
        accept: 'text/event-stream, application/json',
        'content-type': 'application/merge-patch+json',
      })
    })

    it('sends an id that is not Latin-1 as its UTF-8 bytes, as a browser’s EventSource does', async () => {
      const fetch = answer(['data: a\n\n'])
      const said = await run({ lastEventId: '알림-5' })
      expect(said.opened).toBe(true)
      expect(sentHeaders(fetch)['last-event-id']).toBe(utf8Bytes('알림-5'))
    })

    it('sends a long id that is not Latin-1 whole', async () => {
      const fetch = answer(['data: a\n\n'])
      const id = '알'.repeat(200_000) // 600 000 bytes: more than a call's arguments may hold
      expect((await run({ lastEventId: id })).opened).toBe(true)
      expect(sentHeaders(fetch)['last-event-id']).toBe(utf8Bytes(id))
    })

    it('sends a string body as it is, with the method asked for', async () => {
      const fetch = answer(['data: a\n\n'])
      await run({ body: 'raw', method: 'PUT' })
      expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: 'PUT', body: 'raw' })
      expect(sentHeaders(fetch)).toEqual({ accept: 'text/event-stream' })
    })

    it('reports a non-2xx answer with its status and an excerpt of the body, without opening', async () => {
      answer(['{"error":"quota exceeded"}'], { status: 429, headers: { 'Content-Type': 'application/json' } })
      const said = await run()
      expect(said.opened).toBe(false)
      expect(said.error).toMatchObject({ kind: 'http', status: 429, message: 'HTTP 429: {"error":"quota exceeded"}' })
    })

    it('keeps the excerpt short', async () => {
      answer(['x'.repeat(5000)], { status: 500 })
      const said = await run()
      expect(said.error?.message.length).toBeLessThan(300)
    })

    it('reports an error whose body never ends from its first chunk, and cancels the rest', async () => {
      let cancelled = false
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new TextEncoder().encode('upstream timed out')), // and never closes
        cancel: () => {
          cancelled = true
        },
      })
      vi.stubGlobal('fetch', async () => new Response(body, { status: 504 }))
      const said = await run()
      expect(said.error).toMatchObject({ kind: 'http', status: 504, message: 'HTTP 504: upstream timed out' })
      expect(cancelled).toBe(true)
    })

    it('reports an HTTP status at once when the body never comes, without an excerpt (defect 2)', async () => {
      vi.useFakeTimers()
      try {
        let cancelled = false
        const body = new ReadableStream<Uint8Array>({
          cancel: () => {
            cancelled = true
          },
        }) // not a byte, and never closed: a proxy that sent its status line and hangs
        vi.stubGlobal('fetch', async () => new Response(body, { status: 503 }))
        const said = run()
        await vi.advanceTimersByTimeAsync(300)
        expect(await said).toMatchObject({ error: { kind: 'http', status: 503, message: 'HTTP 503' }, opened: false })
        expect(cancelled).toBe(true)
      } finally {
        vi.useRealTimers()
      }
    })

    it('takes any 2xx answer but 204 as the stream', async () => {
      answer(['data: a\n\n'], { status: 201, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } })
      const said = await run()
      expect(said.opened).toBe(true)
      expect(said.events).toEqual(['message:a#'])
    })

    it('reports a 204 as a 204', async () => {
      answer([], { status: 204 })
      const said = await run()
      expect(said.error).toMatchObject({ kind: 'http', status: 204 })
    })

    it('refuses a Content-Type other than text/event-stream', async () => {
      answer(['<h1>Bad gateway</h1>'], { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
      const said = await run()
      expect(said.opened).toBe(false)
      expect(said.error).toMatchObject({
        kind: 'content-type',
        status: 200,
        message:
          'text/html; charset=utf-8 is not text/event-stream (a page served instead of the stream? check the url and the proxy)',
      })
    })

    it('reports a failure with no answer at all as such, blaming nothing it cannot know', async () => {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
      )
      const said = await run()
      expect(said.error).toMatchObject({
        kind: 'network',
        message: 'Failed to fetch (no answer)',
      })
    })

    it('aborts the request on close and says nothing after it', async () => {
      let signal: AbortSignal | undefined
      let answer: Promise<Response> | undefined
      vi.stubGlobal(
        'fetch',
        vi.fn((_url: string, init: RequestInit) => {
          signal = init.signal ?? undefined
          // As a real fetch: no answer until the signal aborts, then a rejection with an AbortError.
          answer = new Promise<Response>((_, reject) => {
            init.signal?.addEventListener('abort', () =>
              reject(new DOMException('The operation was aborted.', 'AbortError')),
            )
          })
          return answer
        }),
      )
      const said = spyHandlers()
      const { error } = said
      const handle = fetchTransport(
        { url: 'http://localhost/sse', withCredentials: false, lastEventId: '', headers: undefined },
        said,
      )
      expect(signal?.aborted).toBe(false)
      handle.close()
      expect(signal?.aborted).toBe(true)
      await expect(answer).rejects.toMatchObject({ name: 'AbortError' })
      await flushPromises() // the transport's own handling of that rejection
      expect(error).not.toHaveBeenCalled()
    })
  })

  describe('the fetch transport against the test server', () => {
    it('resumes after an id that is not Latin-1: the server gets it back as UTF-8 and sends no duplicate', async () => {
      const { url, key } = streamUrl({ ids: 'hangul', end: 1 })
      const first = await run({ url })
      expect(first.events).toEqual(['message:{"n":1}#알림-1', 'message:{"n":2}#알림-2', 'message:{"n":3}#알림-3'])

      const second = await run({ url, lastEventId: first.lastEventId })
      expect(second.opened).toBe(true)
      expect(second.events).toEqual(['message:{"n":4}#알림-4', 'message:{"n":5}#알림-5', 'message:{"n":6}#알림-6'])
      const { headers } = await serverStats(key)
      expect(Buffer.from(String(headers[1]?.['last-event-id']), 'latin1').toString('utf8')).toBe('알림-3')
    })

    it('reports a user header that is not a byte string as the attempt’s error', async () => {
      const { url, key } = streamUrl()
      const said = await run({ url, headers: { 'X-Topic': '알림' } })
      expect(said.opened).toBe(false)
      expect(said.error).toBeInstanceOf(EventSourceError)
      expect(said.error).toMatchObject({ kind: 'network', message: expect.stringContaining('ByteString') })
      expect((await serverStats(key)).requests).toBe(0)
    })
  })
})

describe('error messages', () => {
  // A url may carry credentials (a token in the query, user:pass@): apps render error.message, so no message shows the url.
  const secretUrl = 'https://user:secret@example.com/sse?token=abc#frag'
  const messages = (error: ReturnType<typeof vi.fn>) =>
    error.mock.calls.map(([{ kind, message }]) => `${kind}: ${message}`)

  afterEach(() => {
    MockEventSource.reset()
    vi.unstubAllGlobals()
  })

  describe('error messages never show the url', () => {
    it('from the EventSource transport', () => {
      const said = handlers()
      eventSourceTransport(MockEventSource)({ url: secretUrl, lastEventId: '', headers: undefined }, said)
      MockEventSource.latest().fail()
      MockEventSource.latest().fail({ close: true, status: 401 })
      expect(messages(said.error)).toEqual(['network: connection lost', 'http: HTTP 401'])
    })

    it('from the fetch transport', async () => {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => new Response('<h1>Sign in</h1>', { headers: { 'Content-Type': 'text/html' } })),
      )
      const said = handlers()
      fetchTransport({ url: secretUrl, lastEventId: '', headers: undefined }, said)
      await vi.waitFor(() => expect(said.error).toHaveBeenCalled())
      expect(messages(said.error)[0]).toMatch(/^content-type: text\/html is not text\/event-stream/)
      expect(messages(said.error)[0]).not.toMatch(/secret|token|example/)
    })

    it('from the fetch transport, when fetch itself quotes the url in its error', async () => {
      vi.stubGlobal(
        'fetch',
        vi.fn(async (url: string) => {
          throw new TypeError(
            `Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: ${url}`,
          )
        }),
      )
      const said = handlers()
      fetchTransport({ url: secretUrl, lastEventId: '', headers: undefined }, said)
      await vi.waitFor(() => expect(said.error).toHaveBeenCalled())
      expect(messages(said.error)[0]).toMatch(
        /^network: Failed to execute 'fetch' on 'Window': .* includes credentials: \(the url\)/,
      )
      expect(messages(said.error)[0]).not.toMatch(/secret|token|example/)
    })

    it('for an invalid url', () => {
      const connection = createConnection('ftp://user:secret@example.com/sse?token=abc')
      const stop = connection.subscribe(quiet(), () => ({ EventSource: MockEventSource }))
      expect(connection.getState().error).toMatchObject({ kind: 'url', message: 'not an http(s) url' })
      stop()
    })
  })
})
