import { act, render, renderHook } from '@testing-library/react'
import { StrictMode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { type Events, type UseEventSourceArgs, type UseEventSourceOptions, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, live, settle, withMockStreams } from './support/mockStreams'

/** Renders on every event (`throttle: false`) unless a test asks otherwise: these tests are about what, not when. */
function renderStream<T = unknown>(url: string | null = '/sse', options: UseEventSourceOptions<T> = {}) {
  return renderHook(
    ({ url, options }) =>
      useEventSource<T>(
        url,
        ...([{ EventSource: MockEventSource, throttle: false, ...options }] as UseEventSourceArgs<T>),
      ),
    { initialProps: { url, options } },
  )
}

/** Tells how many streams exist while it renders. */
function Probe({ onRender }: { onRender: () => void }) {
  onRender()
  useEventSource('/sse', { EventSource: MockEventSource })
  return null
}

withMockStreams()

describe('useEventSource', () => {
  it('opens the stream in an effect, never during render', () => {
    const seenDuringRender: number[] = []
    render(<Probe onRender={() => seenDuringRender.push(MockEventSource.instances.length)} />)
    expect(seenDuringRender[0]).toBe(0)
    expect(MockEventSource.instances).toHaveLength(1)
    expect(latest().url).toBe('http://localhost:3000/sse')
  })

  it('goes from connecting to open and parses each message as JSON', () => {
    const { result } = renderStream<{ price: number }>()
    expect(result.current.status).toBe('connecting')
    act(() => latest().open())
    expect(result.current.status).toBe('open')
    act(() => latest().emit({ price: 1 }, { id: '7' }))
    expect(result.current).toMatchObject({ data: { price: 1 }, event: 'message', lastEventId: '7', error: null })
    act(() => latest().emit({ price: 2 }))
    expect(result.current.data).toEqual({ price: 2 })
  })

  it('shows reconnecting while the browser retries by itself, and leaves its retry alone', () => {
    const { result } = renderStream()
    act(() => latest().open())
    act(() => latest().fail())
    expect(result.current.status).toBe('reconnecting')
    expect(result.current.error?.kind).toBe('network')
    expect(latest().closed).toBe(false)
    act(() => latest().open())
    expect(result.current).toMatchObject({ status: 'open', error: null })
    expect(MockEventSource.instances).toHaveLength(1)
  })

  it('keeps the previous data and the stream when a message cannot be parsed', () => {
    const onError = vi.fn()
    const { result } = renderStream('/sse', { onError })
    act(() => latest().open().emit({ ok: 1 }).emit('{not json'))
    expect(result.current.data).toEqual({ ok: 1 })
    expect(result.current.status).toBe('open')
    expect(result.current.error).toMatchObject({ kind: 'parse', raw: '{not json' })
    expect(onError).toHaveBeenCalledWith(result.current.error)
    expect(latest().closed).toBe(false)
    act(() => latest().emit({ ok: 2 }))
    expect(result.current.data).toEqual({ ok: 2 })
  })

  it('uses a custom parser, and a parser that throws rejects only that message', () => {
    const parse = (text: string) => {
      if (text === 'bad') throw new Error('nope')
      return text.toUpperCase()
    }
    const { result } = renderStream('/sse', { parse })
    act(() => latest().open().emit('hello').emit('bad'))
    expect(result.current.data).toBe('HELLO')
    expect(result.current.error?.message).toContain('nope')
  })

  it('takes the listed named events, says which one produced the data, and ignores the rest', () => {
    const { result } = renderStream<Events<{ price: number; news: string }>>('/sse', { events: ['price', 'news'] })
    act(() => latest().open().emit(3, { event: 'price' }))
    expect(result.current).toMatchObject({ event: 'price', data: 3 })
    act(() => latest().emit('"hello"', { event: 'news' }))
    expect(result.current).toMatchObject({ event: 'news', data: 'hello' })
    act(() => latest().emit({ unnamed: true }).emit(1, { event: 'other' }))
    expect(result.current).toMatchObject({ event: 'news', data: 'hello' })
  })

  it('calls onMessage for every event in order, and a new inline callback neither reconnects nor misses events', () => {
    const seen: unknown[] = []
    const { rerender } = renderStream('/sse', {
      events: ['message', 'tick'],
      onMessage: (m) => seen.push(['first', m.event, m.data, m.id]),
    })
    act(() => latest().open().emit(1, { id: '1' }).emit(2, { event: 'tick', id: '2' }))
    rerender({
      url: '/sse',
      options: { events: ['message', 'tick'], onMessage: (m) => seen.push(['second', m.event, m.data, m.id]) },
    })
    act(() => latest().emit(3, { id: '3' }))
    expect(seen).toEqual([
      ['first', 'message', 1, '1'],
      ['first', 'tick', 2, '2'],
      ['second', 'message', 3, '3'],
    ])
    expect(MockEventSource.instances).toHaveLength(1)
  })

  it('never reconnects for a new inline options object with the same content', async () => {
    const { rerender } = renderStream('/sse', { events: ['a'], withCredentials: true })
    for (let i = 0; i < 5; i++) rerender({ url: '/sse', options: { events: ['a'], withCredentials: true } })
    await settle()
    expect(MockEventSource.instances).toHaveLength(1)
    expect(latest().closed).toBe(false)
  })

  it('listens to an event added later without reconnecting', () => {
    const { result, rerender } = renderStream('/sse', { events: ['a'] })
    rerender({ url: '/sse', options: { events: ['a', 'b'] } })
    act(() => latest().open().emit(1, { event: 'b' }))
    expect(result.current).toMatchObject({ event: 'b', data: 1 })
    expect(MockEventSource.instances).toHaveLength(1)
  })

  it('closes the old stream and opens the new one when the url changes; the old one never reaches state', async () => {
    const { result, rerender } = renderStream('/a')
    const first = latest()
    act(() => first.open().emit('"from a"'))
    rerender({ url: '/b', options: {} })
    const second = latest()
    expect(second.url).toBe('http://localhost:3000/b')
    expect(result.current).toMatchObject({ status: 'connecting', data: undefined })
    act(() => first.emit('"late from a"'))
    expect(result.current.data).toBeUndefined()
    await settle()
    expect(first.closed).toBe(true)
    expect(live()).toEqual([second])
  })

  it('stays idle with a null url, and opens once a url is given', () => {
    const { result, rerender } = renderStream(null)
    expect(result.current.status).toBe('idle')
    expect(MockEventSource.instances).toHaveLength(0)
    rerender({ url: '/sse', options: {} })
    expect(result.current.status).toBe('connecting')
    expect(MockEventSource.instances).toHaveLength(1)
  })

  it('closes the stream on unmount, once the grace period (a microtask) is over', async () => {
    const { unmount } = renderStream()
    unmount()
    expect(latest().closed).toBe(false)
    await settle()
    expect(latest().closed).toBe(true)
  })

  it('opens one stream in all under StrictMode', async () => {
    const { result, unmount } = renderHook(
      () => useEventSource('/sse', { EventSource: MockEventSource, throttle: false }),
      {
        wrapper: StrictMode,
      },
    )
    act(() => latest().open().emit({ n: 1 }))
    await settle()
    expect(MockEventSource.instances).toHaveLength(1)
    expect(result.current).toMatchObject({ status: 'open', data: { n: 1 } })
    unmount()
    await settle()
    expect(live()).toHaveLength(0)
  })

  it('passes withCredentials through to the EventSource', () => {
    renderStream('/sse', { withCredentials: true })
    expect(latest().withCredentials).toBe(true)
  })

  it('close() stops and stays stopped; reconnect() starts again at once', async () => {
    const { result } = renderStream()
    act(() => latest().open())
    act(() => result.current.close())
    expect(result.current.status).toBe('closed')
    await settle()
    expect(latest().closed).toBe(true)
    act(() => vi.advanceTimersByTime(60_000))
    expect(MockEventSource.instances).toHaveLength(1)
    act(() => result.current.reconnect())
    expect(MockEventSource.instances).toHaveLength(2)
    expect(result.current.status).toBe('connecting')
    act(() => latest().open().emit(5))
    expect(result.current).toMatchObject({ status: 'open', data: 5 })
  })

  it('close() and reconnect() with a null url go back to idle', () => {
    const { result } = renderStream(null)
    act(() => result.current.close())
    expect(result.current.status).toBe('closed')
    act(() => result.current.reconnect())
    expect(result.current.status).toBe('idle')
    expect(MockEventSource.instances).toHaveLength(0)
  })

  it('reconnect() after close() tries again a shared stream that gave up, and onGiveUp stays called once', () => {
    const onGiveUp = vi.fn()
    const options = { reconnect: false as const, onGiveUp }
    const { result } = renderStream('/sse', options)
    renderStream('/sse', options) // another hook on the same stream keeps it after close()
    act(() => latest().fail({ close: true, status: 503 }))
    expect(result.current.status).toBe('error')
    act(() => result.current.close())
    act(() => result.current.reconnect())
    expect(result.current).toMatchObject({ status: 'connecting', error: { status: 503 } }) // the last failure stays until the stream opens
    expect(MockEventSource.instances).toHaveLength(2)
    expect(onGiveUp).toHaveBeenCalledTimes(2) // once per hook, for the one failure
  })

  it('shows a hook mounting on a shared stream that gave up its state, without calling its callbacks for the old failure', () => {
    renderStream('/sse', { reconnect: false })
    act(() => latest().fail({ close: true, status: 503 }))
    const onError = vi.fn()
    const onGiveUp = vi.fn()
    const { result } = renderStream('/sse', { reconnect: false, onError, onGiveUp })
    expect(result.current).toMatchObject({ status: 'error', error: { status: 503 } })
    expect(onError).not.toHaveBeenCalled()
    expect(onGiveUp).not.toHaveBeenCalled()
    expect(MockEventSource.instances).toHaveLength(1)
  })

  it('lets onError close() the hook while it is told of a bad url', () => {
    const { result } = renderHook(() => {
      const stream = useEventSource('http://[::1', { onError: () => stream.close() })
      return stream
    })
    expect(result.current.status).toBe('closed')
  })

  it('renders a body that JSON cannot write, and reports it as the stream’s error', async () => {
    const body: Record<string, unknown> = {}
    body.self = body
    const { result } = renderStream('/llm', { body, reconnect: false })
    await vi.waitFor(() => expect(result.current.status).toBe('error'), { timeout: 5000 }) // the fetch chunk may load cold
    expect(result.current.error?.message).toMatch(/circular/i)
  })

  it('reconnect() on an open stream replaces it with a fresh one', () => {
    const { result } = renderStream()
    const first = latest().open()
    act(() => result.current.reconnect())
    expect(first.closed).toBe(true)
    expect(live()).toEqual([latest()])
    expect(result.current.status).toBe('connecting')
  })

  it.each([
    ['not a url', 'http://[::1', 'not an http(s) url'],
    ['a non-http scheme', 'ftp://example.com/sse', 'not an http(s) url'],
  ])('gives status error for %s, opens nothing and throws nothing', (_, url, message) => {
    const { result } = renderStream(url)
    expect(result.current.status).toBe('error')
    expect(result.current.error).toMatchObject({ kind: 'url' })
    expect(result.current.error?.message).toContain(message)
    expect(MockEventSource.instances).toHaveLength(0)
  })

  it('reports a throwing onMessage as an uncaught error without stopping the stream', () => {
    const { result } = renderStream('/sse', {
      onMessage: () => {
        throw new Error('user bug')
      },
    })
    act(() => latest().open().emit(1).emit(2))
    expect(result.current.data).toBe(2)
    expect(latest().closed).toBe(false)
    // Each throw is rethrown from a timer of its own: run them one by one to see every report.
    const reported: unknown[] = []
    for (let pending = vi.getTimerCount(); pending > 0; pending--) {
      try {
        vi.advanceTimersToNextTimer()
      } catch (error) {
        reported.push(error)
      }
    }
    expect(reported).toEqual([
      expect.objectContaining({ message: 'user bug' }),
      expect.objectContaining({ message: 'user bug' }),
    ])
  })

  it.each<[string, (stream: ReturnType<typeof renderStream>) => void, string[]]>([
    ['close()', ({ result }) => act(() => result.current.close()), ['/a']],
    ['unmount', ({ unmount }) => unmount(), ['/a']],
    ['a url change', ({ rerender }) => rerender({ url: '/b', options: {} }), ['/a', '/b']],
  ])('clears a pending retry on %s', async (_, leave, paths) => {
    const stream = renderStream('/a')
    act(() => latest().fail({ close: true, status: 503 }))
    expect(stream.result.current.status).toBe('reconnecting')
    leave(stream)
    await settle()
    expect(vi.getTimerCount()).toBe(0) // a stray retry would open nothing visible here: the hook's options (the mock) are gone with it
    act(() => vi.advanceTimersByTime(600_000))
    expect(MockEventSource.instances.map((source) => source.url)).toEqual(
      paths.map((path) => `http://localhost:3000${path}`),
    )
  })

  it('calls onGiveUp once when the policy gives up', () => {
    const onGiveUp = vi.fn()
    const { result } = renderStream('/sse', { onGiveUp, reconnect: { retries: 1, delay: 10 } })
    act(() => latest().fail({ close: true, status: 500 }))
    act(() => vi.advanceTimersByTime(10))
    act(() => latest().fail({ close: true, status: 500 }))
    expect(result.current.status).toBe('error')
    expect(onGiveUp).toHaveBeenCalledTimes(1)
    expect(onGiveUp).toHaveBeenCalledWith(expect.objectContaining({ kind: 'http', status: 500 }))
  })
})
