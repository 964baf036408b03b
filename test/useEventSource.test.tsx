import { act, render, renderHook, cleanup, configure, screen, waitFor } from '@testing-library/react'
import { StrictMode, Activity, type ReactNode, version } from 'react'
import { describe, expect, it, vi, afterEach } from 'vitest'
import { type Events, type UseEventSourceArgs, type UseEventSourceOptions, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, live, settle, withMockStreams } from './support/mockStreams'
import { serverSawClose, serverStats, sleep, streamUrl } from './support/server'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'

describe('useEventSource', () => {
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
      [
        'a url change',
        ({ rerender }) => {
          // The new stream opens, and watches nothing: no timer of its own (liveness, an answer's deadline).
          rerender({ url: '/b', options: { idleTimeout: false } })
          act(() => latest().open())
        },
        ['/a', '/b'],
      ],
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
})

describe('against a real server (event-source-polyfill in jsdom)', () => {
  // jsdom has no EventSource: every stream here goes through event-source-polyfill, loaded on demand, to a real server.
  afterEach(cleanup)
  // The first test loads the polyfill chunk, and `npm test` runs Chromium alongside: 1 s (the default) is too short a bound on 2 cores.
  configure({ asyncUtilTimeout: 5000 })

  function Ticker({ url, events }: { url: string; events?: string[] }) {
    const { data, event, status, lastEventId } = useEventSource<{ n: number }>(url, events ? { events } : {})
    return <p data-testid="out">{`${status} ${event ?? '-'} ${data?.n ?? '-'} #${lastEventId}`}</p>
  }

  describe('against a real SSE server', () => {
    it('falls back to the polyfill where there is no EventSource, and delivers parsed messages', async () => {
      expect(globalThis.EventSource).toBeUndefined()
      const { url } = streamUrl({ count: 3 })
      render(<Ticker url={url} />)
      await screen.findByText('open message 3 #3')
    })

    it('delivers named events', async () => {
      const { url } = streamUrl({ count: 2, event: 'price' })
      render(<Ticker url={url} events={['price']} />)
      await screen.findByText('open price 2 #2')
    })

    it('closes the connection on unmount: the server sees it end', async () => {
      const { url, key } = streamUrl({ count: 1 })
      const { unmount } = render(<Ticker url={url} />)
      await screen.findByText('open message 1 #1')
      expect((await serverStats(key)).open).toBe(1)
      const unmountedAt = performance.now()
      unmount()
      await serverSawClose(key)
      console.info(`unmount: server saw the close ${Math.round(performance.now() - unmountedAt)} ms after unmount`)
    })

    it('opens one connection under StrictMode', async () => {
      const { url, key } = streamUrl({ count: 1 })
      render(
        <StrictMode>
          <Ticker url={url} />
        </StrictMode>,
      )
      await screen.findByText('open message 1 #1')
      await sleep(100) // a second connection, had one been opened, would show by now
      expect(await serverStats(key)).toMatchObject({ requests: 1, open: 1 })
    })

    it('reports an HTTP error status from the polyfill', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {}) // the polyfill logs every non-200 answer
      const { url } = streamUrl({ status: 401 })
      const { result } = renderHook(() => useEventSource(url))
      await waitFor(() => expect(result.current.status).toBe('error'))
      expect(result.current.error).toMatchObject({ kind: 'http', status: 401 })
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('401'))
      act(() => result.current.close())
    })

    it('serves 20 components on one url with one connection, and closes it after the last unmounts', async () => {
      const { url, key } = streamUrl({ count: 1 })
      const { unmount } = render(
        Array.from({ length: 20 }, (_, i) => `t${i}`).map((name) => <Ticker key={name} url={url} />),
      )
      await waitFor(() => expect(screen.getAllByText('open message 1 #1')).toHaveLength(20))
      expect(await serverStats(key)).toMatchObject({ requests: 1, open: 1 })
      unmount()
      await serverSawClose(key)
    })

    describe('POST streams through fetch', () => {
      type Echo = Events<{ echo: { prompt: string }; message: { n: number } }>

      function Posted({ url }: { url: string }) {
        const { event, data, status } = useEventSource<Echo>(url, {
          body: { prompt: 'hello' },
          events: ['echo', 'message'],
        })
        const text = event === 'echo' ? data.prompt : event === 'message' ? String(data.n) : '-'
        return <p>{`${status} ${event ?? '-'} ${text}`}</p>
      }

      it('POSTs the body and gets its events back', async () => {
        const { url, key } = streamUrl({ count: 2, interval: 50 })
        render(<Posted url={url} />)
        await screen.findByText('open echo hello')
        await screen.findByText('open message 2')
        const stats = await serverStats(key)
        expect(stats.methods).toEqual(['POST'])
        expect(stats.headers[0]).toMatchObject({ 'content-type': 'application/json', accept: 'text/event-stream' })
      })

      it('aborts the request on unmount: the server sees it end', async () => {
        const { url, key } = streamUrl({ count: 1 })
        const { unmount } = render(<Posted url={url} />)
        await screen.findByText('open message 1')
        expect((await serverStats(key)).open).toBe(1)
        unmount()
        await serverSawClose(key)
      })

      it('reports an error status with an excerpt of the body, and stops on a 4xx', async () => {
        const { url, key } = streamUrl({ status: 403 })
        const { result } = renderHook(() => useEventSource(url, { method: 'POST' }))
        await waitFor(() => expect(result.current.status).toBe('error'))
        expect(result.current.error).toMatchObject({ kind: 'http', status: 403 })
        expect(result.current.error?.message).toContain('HTTP 403: status 403')
        expect((await serverStats(key)).requests).toBe(1)
      })
    })
  })
})

describe('one connection for the hooks on a stream', () => {
  function Widget({ name, options = {} }: { name: string; options?: UseEventSourceOptions }) {
    const { data, status, event } = useEventSource('/sse', {
      EventSource: MockEventSource,
      throttle: false,
      ...options,
    })
    return <p data-testid={name}>{`${status} ${event ?? '-'} ${JSON.stringify(data) ?? '-'}`}</p>
  }

  /** A button that closes its own hook's stream. */
  function Closable() {
    const { status, close } = useEventSource('/sse', { EventSource: MockEventSource })
    return (
      <button type="button" onClick={close}>
        {status}
      </button>
    )
  }

  const names = Array.from({ length: 20 }, (_, i) => `w${i}`)
  const text = (name: string) => screen.getByTestId(name).textContent

  withMockStreams()

  describe('sharing one connection', () => {
    it('gives 20 components on one url one EventSource', () => {
      render(names.map((name) => <Widget key={name} name={name} />))
      expect(MockEventSource.instances).toHaveLength(1)
      act(() => latest().open().emit({ n: 1 }))
      for (const name of names) expect(text(name)).toBe('open message {"n":1}')
    })

    it('keeps a view per hook: its own events and parser', () => {
      render(
        <>
          <Widget name="json" />
          <Widget name="text" options={{ parse: String }} />
          <Widget name="price" options={{ events: ['price'] }} />
        </>,
      )
      expect(MockEventSource.instances).toHaveLength(1)
      act(() => latest().open().emit({ n: 1 }).emit('9', { event: 'price' }))
      expect(text('json')).toBe('open message {"n":1}')
      expect(text('text')).toBe('open message "{\\"n\\":1}"')
      expect(text('price')).toBe('open price 9')
    })

    it('runs one policy for all: one recreated EventSource, every view reconnecting then open', () => {
      render(names.slice(0, 3).map((name) => <Widget key={name} name={name} options={{ reconnect: { delay: 100 } }} />))
      act(() => latest().open().fail({ close: true, status: 503 }))
      for (const name of names.slice(0, 3)) expect(text(name)).toMatch(/^reconnecting/)
      act(() => vi.advanceTimersByTime(100))
      expect(MockEventSource.instances).toHaveLength(2)
      act(() => latest().open())
      for (const name of names.slice(0, 3)) expect(text(name)).toMatch(/^open/)
    })

    it('never shares between hooks with a headers function: no hook gets a stream opened with another’s token', () => {
      render(
        <>
          <Widget name="a" options={{ headers: () => ({ Authorization: 'Bearer a' }) }} />
          <Widget name="b" options={{ headers: () => ({ Authorization: 'Bearer b' }) }} />
        </>,
      )
      expect(MockEventSource.instances.map((source) => source.init.headers)).toEqual([
        { Authorization: 'Bearer a' },
        { Authorization: 'Bearer b' },
      ])
    })

    it('shares between hooks with equal header values and policy, and not between different ones', () => {
      render(
        <>
          <Widget name="a" options={{ headers: { Authorization: 'Bearer a' }, reconnect: { retries: 3 } }} />
          <Widget name="b" options={{ headers: { Authorization: 'Bearer a' }, reconnect: { retries: 3 } }} />
          <Widget name="c" options={{ headers: { Authorization: 'Bearer c' }, reconnect: { retries: 3 } }} />
          <Widget name="d" options={{ headers: { Authorization: 'Bearer a' }, reconnect: false }} />
        </>,
      )
      expect(MockEventSource.instances).toHaveLength(3)
    })

    it('opens a connection of its own with shared: false', () => {
      render(
        <>
          <Widget name="a" />
          <Widget name="b" />
          <Widget name="own" options={{ shared: false }} />
        </>,
      )
      expect(MockEventSource.instances).toHaveLength(2)
    })

    it('lets one hook close() without closing the stream for the others', async () => {
      render(
        <>
          <Closable />
          <Widget name="other" />
        </>,
      )
      act(() => latest().open())
      act(() => screen.getByRole('button').click())
      await settle()
      expect(screen.getByRole('button').textContent).toBe('closed')
      expect(text('other')).toMatch(/^open/)
      expect(live()).toHaveLength(1)
    })

    it('never leaves a connection open, whatever order 20 components mount and unmount in', async () => {
      let seed = 42
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed / 2 ** 31
      }
      for (let round = 0; round < 10; round++) {
        const mounted = new Set<string>()
        const { rerender } = render(null)
        for (let step = 0; step < 60; step++) {
          const name = names[Math.floor(random() * names.length)] as string
          if (mounted.has(name)) mounted.delete(name)
          else mounted.add(name)
          rerender([...mounted].map((n) => <Widget key={n} name={n} />))
          if (random() < 0.3) await settle()
          expect(live().length).toBeLessThanOrEqual(1)
        }
        cleanup()
        await settle()
        expect(live()).toEqual([])
      }
    })
  })
})

describe('StrictMode, hydration, <Activity> and unmounts', () => {
  const isReact19 = process.env.REACT_MAJOR !== '18'

  function Stream({ options }: { options?: UseEventSourceOptions<number> }) {
    const { data, status } = useEventSource<number>('/sse', {
      EventSource: MockEventSource,
      throttle: false,
      ...options,
    })
    return <p>{`${status} ${data ?? '-'}`}</p>
  }

  withMockStreams()

  describe('a stream’s identity', () => {
    it('never shares a hook with a headers function across two hydrated roots, whose hook ids are alike', async () => {
      // Two hydrated roots without an identifierPrefix give their first hooks the same useId(): no key may come from it.
      const tokens = ['alice', 'bob']
      const ui = (token: string) => <Stream options={{ headers: () => ({ Authorization: `Bearer ${token}` }) }} />
      const roots: Root[] = []
      for (const token of tokens) {
        const node = document.createElement('div')
        node.innerHTML = renderToString(ui(token))
        await act(async () => {
          roots.push(hydrateRoot(node, ui(token)))
        })
      }
      expect(MockEventSource.instances.map((source) => source.init.headers)).toEqual([
        { Authorization: 'Bearer alice' },
        { Authorization: 'Bearer bob' },
      ])
      await act(async () => {
        for (const root of roots) root.unmount()
      })
    })

    it('resolves a path-relative url once: a retry after a client-side navigation goes to the same place', () => {
      window.history.pushState(null, '', '/app/feed/')
      const { result } = renderHook(() => useEventSource('events', { EventSource: MockEventSource }))
      expect(latest().url).toBe('http://localhost:3000/app/feed/events')
      window.history.pushState(null, '', '/elsewhere/page')
      act(() => latest().fail({ close: true, status: 503 }))
      act(() => vi.advanceTimersByTime(1000))
      expect(MockEventSource.instances).toHaveLength(2)
      expect(latest().url).toBe('http://localhost:3000/app/feed/events')
      expect(result.current.status).toBe('reconnecting')
      window.history.pushState(null, '', '/')
    })
  })

  describe('close()', () => {
    it('keeps a stream stopped when its connection options change (a refreshed token): nothing reopens, nothing is re-sent', async () => {
      const { result, rerender } = renderHook(
        ({ token }) => useEventSource('/sse', { EventSource: MockEventSource, headers: { Authorization: token } }),
        {
          initialProps: { token: 't1' },
        },
      )
      act(() => latest().open())
      act(() => result.current.close())
      rerender({ token: 't2' })
      await settle()
      expect(result.current.status).toBe('closed')
      expect(live()).toEqual([])
      expect(MockEventSource.instances).toHaveLength(1)
      act(() => result.current.reconnect())
      expect(MockEventSource.instances).toHaveLength(2)
      expect(latest().init.headers).toEqual({ Authorization: 't2' })
    })

    it('then reconnect() on a shared stream that waits for its retry starts it at once', () => {
      const hooks = [0, 1].map(() => renderHook(() => useEventSource('/sse', { EventSource: MockEventSource })))
      act(() => latest().open().fail({ close: true, status: 503 })) // the retry waits up to a second
      const [first] = hooks
      act(() => first?.result.current.close())
      act(() => first?.result.current.reconnect())
      expect(MockEventSource.instances).toHaveLength(2) // at once, not after the backoff
      expect(first?.result.current.status).toBe('connecting')
    })
  })

  describe.runIf(isReact19)('<Activity mode="hidden">', () => {
    function Page({ mode, children }: { mode: 'visible' | 'hidden'; children: ReactNode }) {
      return <Activity mode={mode}>{children}</Activity>
    }

    it('keeps a hidden hook’s state, and shown again it resumes from its own last event id: nothing missed, nothing repeated', async () => {
      const seen: number[] = []
      const ui = (mode: 'visible' | 'hidden') => (
        <Page mode={mode}>
          <Stream options={{ onMessage: ({ data }) => seen.push(data) }} />
        </Page>
      )
      const { container, rerender } = render(ui('visible'))
      act(() => latest().open().emit(1, { id: 'a-1' }).emit(2, { id: 'a-2' }))
      rerender(ui('hidden'))
      await settle()
      expect(live()).toEqual([]) // hidden: the stream is closed
      rerender(ui('visible'))
      expect(container.textContent).toContain('2')
      expect(MockEventSource.instances).toHaveLength(2)
      expect(latest().init.headers).toEqual({ 'Last-Event-ID': 'a-2' })
      act(() => latest().open().emit(3, { id: 'a-3' }))
      expect(seen).toEqual([1, 2, 3])
    })
  })
})

describe('the React it runs on', () => {
  // Runs in both unit projects; says which React the suite ran on, so a silent fallback to one version shows.
  it('runs on the React the project asks for', () => {
    const expected = process.env.REACT_MAJOR ?? '19'
    console.info(`React ${version}`)
    expect(version.split('.')[0]).toBe(expected)
  })
})
