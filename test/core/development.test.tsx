import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../../src/index'
import { useEventSource as useSchemaStream } from '../../src/schema'
import type { StandardSchemaV1 } from '../../src/schema/standardSchema'
import { MockEventSource } from '../../src/testing'
import { latest, withMockStreams } from '../support/mockStreams'

/** What development builds (these tests run one) write to the console when a stream fails; production builds: test/devtools/production.test.ts. */
withMockStreams()
let warn: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  warn.mockRestore()
  vi.unstubAllGlobals()
})
const warnings = () => warn.mock.calls.map((args: unknown[]) => String(args[0]))

/** A Standard Schema by hand: a price must be a number. */
const priceSchema: StandardSchemaV1<unknown, { price: number }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) =>
      typeof (value as { price?: unknown })?.price === 'number'
        ? { value: value as { price: number } }
        : { issues: [{ message: 'price must be a number', path: ['price'] }] },
  },
}

/** fetch that never gets an answer, as when the server is down or a CORS preflight is refused. */
const noAnswer = () =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
  )

describe('the development console', () => {
  it('explains the first event that is not JSON, once per stream, naming parse: String', () => {
    renderHook(() => useEventSource('http://localhost/plain?token=secret', { EventSource: MockEventSource }))
    act(() => latest().open().emit('hello').emit('world').emit('again'))
    expect(warnings()).toEqual([expect.stringContaining('`parse: String`')])
    expect(warnings()[0]).toMatch(/^use-event-source: http:\/\/localhost\/plain sent an event that is not JSON/)
    expect(warnings()[0]).not.toContain('secret')
  })

  it('blames the schema, not JSON, for a value the schema rejects', () => {
    renderHook(() => useSchemaStream('/prices', { schema: priceSchema, EventSource: MockEventSource }))
    act(() => latest().open().emit({ price: 'high' }))
    expect(warnings()).toEqual([
      "use-event-source: /prices sent an event that does not pass the schema (SchemaError: price: price must be a number). The hook keeps its last good data: compare what the server sends (the error's `raw`) with the schema.",
    ])
  })

  it('blames the parse function, not JSON, for a custom parser that throws', () => {
    const parse = (text: string) => {
      if (!text.startsWith('v=')) throw new Error('expected v=<number>')
      return Number(text.slice(2))
    }
    renderHook(() => useEventSource('/values', { parse, EventSource: MockEventSource }))
    act(() => latest().open().emit('v=1').emit('{"v":2}'))
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^use-event-source: \/values sent an event that the `parse` function .* threw on \(Error: expected v=<number>\)/,
      ),
    ])
    expect(warnings()[0]).not.toContain('parse: String')
  })

  it('says to check the server and the url when a server of this origin does not answer', async () => {
    noAnswer()
    renderHook(() => useEventSource('/sse', { transport: 'fetch', reconnect: { delay: 60_000 } }))
    await vi.waitFor(() => expect(warnings()).toHaveLength(1))
    expect(warnings()).toEqual([
      'use-event-source: /sse did not answer (Failed to fetch). Check that the server runs and the url is right.',
    ])
  })

  it('names CORS when a server of another origin does not answer at all', async () => {
    noAnswer()
    renderHook(() => useEventSource('http://127.0.0.1:3001/sse', { transport: 'fetch', reconnect: false }))
    await vi.waitFor(() => expect(warnings()).toHaveLength(1))
    expect(warnings()[0]).toMatch(
      /^use-event-source: gave up on http:\/\/127.0.0.1:3001\/sse, which did not answer \(Failed to fetch\)\. Its server is down, or it refuses .*CORS headers/,
    )
  })

  it('says a server of another origin that answered before is likely down, not blocked by CORS', async () => {
    vi.stubGlobal('EventSource', MockEventSource)
    renderHook(() => useEventSource('http://127.0.0.1:3001/sse', { reconnect: { delay: 0 } }))
    act(() => latest().open().emit({ n: 1 }, { id: '1' }))
    noAnswer() // the server stops: the browser's EventSource gives up, the hook's own retry goes through fetch
    act(() => latest().fail({ close: true }))
    await vi.waitFor(async () => {
      await act(() => vi.advanceTimersByTimeAsync(10))
      expect(warnings()).toHaveLength(1)
    })
    expect(warnings()[0]).toMatch(
      /^use-event-source: http:\/\/127.0.0.1:3001\/sse did not answer \(Failed to fetch\), though it answered before\. It is likely down or restarting/,
    )
  })

  it('explains an HTTP status the hook retries', () => {
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource, reconnect: { delay: 60_000 } }))
    act(() => latest().fail({ close: true, status: 503 }))
    expect(warnings()).toEqual([
      'use-event-source: /sse answered HTTP 503. The server failed or is busy; the hook retries, waiting longer each time.',
    ])
  })

  it('explains an answer that is not an event stream', () => {
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource }))
    act(() => latest().fail({ close: true, status: 200 }))
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^use-event-source: gave up on \/sse, which answered with something else than an event stream \(not text\/event-stream\)\. .*Content-Type: text\/event-stream\. It stays in status 'error' until reconnect\(\)\.$/,
      ),
    ])
  })

  it('explains a stream given up, once, with what its status means', () => {
    const { result } = renderHook(() => useEventSource('/sse', { EventSource: MockEventSource }))
    act(() => latest().fail({ close: true, status: 401 }))
    act(() => result.current.reconnect())
    act(() => latest().fail({ close: true, status: 401 }))
    expect(warnings()).toEqual([
      "use-event-source: gave up on /sse, which refused the request (HTTP 401). It wants credentials: send them with `headers` (a token, or a function for a fresh one at every connect) or with `withCredentials: true` (cookies, cross-origin). It stays in status 'error' until reconnect().",
    ])
  })

  it('names `events` once when the first event of a stream is of a type no hook listens to (where fetch sees it)', async () => {
    const body = 'event: price\ndata: {"p":1}\n\nevent: price\ndata: {"p":2}\n\n'
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })),
    )
    renderHook(() => useEventSource('/prices', { transport: 'fetch', reconnect: false }))
    await vi.waitFor(() => expect(warnings().length).toBeGreaterThan(0))
    expect(warnings().filter((warning: string) => warning.includes('events of type'))).toEqual([
      "use-event-source: /prices sends events of type 'price', and no hook on it listens to that type, so they change nothing. List it in `events` (events: ['price']); events without an `event:` field have the type 'message'.",
    ])
  })

  it('says nothing of named events a hook listens to', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('event: price\ndata: 1\n\nevent: other\ndata: 2\n\n', {
            headers: { 'Content-Type': 'text/event-stream' },
          }),
      ),
    )
    const { result } = renderHook(() =>
      useEventSource('/prices', { transport: 'fetch', events: ['price'], reconnect: false }),
    )
    await vi.waitFor(() => expect(result.current.status).toBe('error'))
    expect(warnings().filter((warning: string) => warning.includes('events of type'))).toEqual([])
  })

  it('names a buffering proxy, the first write and the network when an attempt gets no headers in time', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>(() => {})), // no headers, ever
    )
    renderHook(() => useEventSource('/slow', { transport: 'fetch' }))
    await vi.advanceTimersByTimeAsync(30_000)
    expect(warnings()).toEqual([
      'use-event-source: /slow sent no response headers in 30 s, so the request was dropped and is tried again. A proxy may hold the response (nginx buffers it, headers too, until about 4 kB: send X-Accel-Buffering: no), the server may send its headers only with its first event (write a comment at once), or the network is gone. `npx use-event-source doctor <url>` checks the server and its proxies.',
    ])
  })

  it('says nothing of a stream that works', () => {
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource }))
    act(() => latest().open().emit(1).fail())
    act(() => latest().open())
    expect(warnings()).toEqual([])
  })
})
