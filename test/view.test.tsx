import { act, render, screen, renderHook } from '@testing-library/react'
import { Activity, type ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { type UseEventSourceOptions, useEventSource, type EventSourceMessage, type Events } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, settle, withMockStreams, live } from './support/mockStreams'

describe('a hook hidden and shown by <Activity>', () => {
  function Page({ mode, children }: { mode: 'visible' | 'hidden'; children: ReactNode }) {
    return <Activity mode={mode}>{children}</Activity>
  }

  function Stream({ name, options }: { name: string; options?: UseEventSourceOptions<number> }) {
    const { data, status, reconnect } = useEventSource<number>('/sse', {
      EventSource: MockEventSource,
      throttle: false,
      ...options,
    })
    if (name === 'shown') shownControls = { reconnect }
    return <p data-testid={name}>{`${status} ${data ?? '-'}`}</p>
  }

  /** A fetch answering every request with one complete SSE body. */
  function answerEveryRequest(body: string) {
    const fetch = vi.fn(async () => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body))
          controller.close()
        },
      })
      return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } })
    })
    vi.stubGlobal('fetch', fetch)
    return fetch
  }

  withMockStreams()

  describe.runIf(process.env.REACT_MAJOR !== '18')('<Activity> hide/show', () => {
    it('does not send a completed POST answer again when shown, and does not fold it twice', async () => {
      const fetch = answerEveryRequest('data: {"t":"Hello "}\n\ndata: {"t":"world"}\n\n')
      function Chat() {
        const answer = useEventSource<{ t: string }, string>('/chat', {
          body: { prompt: 'hi' },
          throttle: false,
          initial: '',
          reduce: (text, { data }) => text + data.t,
        })
        return <p data-testid="answer">{`${answer.status} ${answer.data}`}</p>
      }
      const ui = (mode: 'visible' | 'hidden') => (
        <Page mode={mode}>
          <Chat />
        </Page>
      )
      const { getByTestId, rerender } = render(ui('visible'))
      await vi.waitFor(() => expect(getByTestId('answer').textContent).toBe('closed Hello world'), { timeout: 5000 })
      rerender(ui('hidden'))
      await settle()
      rerender(ui('visible'))
      await act(async () => {
        await vi.advanceTimersByTimeAsync(100)
      })
      // README: "the answer is complete: the status is closed, and nothing is sent again"
      expect(getByTestId('answer').textContent).toBe('closed Hello world') // got 'closed Hello worldHello world'
      expect(fetch).toHaveBeenCalledTimes(1)
    })

    it('does not ask again a stream the server stopped with 204 when shown', async () => {
      const ui = (mode: 'visible' | 'hidden') => (
        <Page mode={mode}>
          <Stream name="s" />
        </Page>
      )
      const { getByTestId, rerender } = render(ui('visible'))
      act(() => latest().fail({ close: true, status: 204 }))
      expect(getByTestId('s').textContent).toBe('closed -')
      rerender(ui('hidden'))
      await settle()
      rerender(ui('visible'))
      expect(MockEventSource.instances).toHaveLength(1) // 204 "stops for good"
      expect(getByTestId('s').textContent).toBe('closed -')
    })

    it('resumes two hooks on one stream from the stream’s position, so that neither gets an event twice (defect 3)', async () => {
      function Pair({ mode }: { mode: 'visible' | 'hidden' }) {
        return (
          <Page mode={mode}>
            <Stream name="a" options={{ events: ['a'] }} />
            <Stream name="b" options={{ events: ['b'] }} />
          </Page>
        )
      }
      const { getByTestId, rerender } = render(<Pair mode="visible" />)
      act(() => latest().open().emit(1, { event: 'a', id: '1' }).emit(2, { event: 'b', id: '2' }))
      rerender(<Pair mode="hidden" />)
      await settle()
      rerender(<Pair mode="visible" />)
      // The stream resumes after 2, the last event it had, not after 1, the last event hook `a` took.
      expect(latest().init.headers).toEqual({ 'Last-Event-ID': '2' }) // got '1': event 2 came again to `b`
      expect(MockEventSource.instances).toHaveLength(2)
      expect(getByTestId('b').textContent).toBe('connecting 2')
    })

    it('rejoins a stream another hook reopened, though it was in error when hidden (defect 6)', async () => {
      function Pair({ mode }: { mode: 'visible' | 'hidden' }) {
        return (
          <>
            <Page mode={mode}>
              <Stream name="hidden" />
            </Page>
            <Stream name="shown" />
          </>
        )
      }
      const { getByTestId, rerender } = render(<Pair mode="visible" />)
      act(() => latest().fail({ close: true, status: 401 }))
      expect(getByTestId('hidden').textContent).toBe('error -')
      rerender(<Pair mode="hidden" />)
      await settle()
      // The other hook reconnects (a new token, say), and the stream opens.
      const { reconnect } = getStreamControls()
      act(() => reconnect())
      act(() => latest().open().emit(7))
      rerender(<Pair mode="visible" />)
      expect(getByTestId('hidden').textContent).toBe('open -') // got 'error -'
      act(() => latest().emit(8))
      expect(getByTestId('hidden').textContent).toBe('open 8')
      expect(MockEventSource.instances).toHaveLength(2)
    })
  })

  /** The controls of the last `Stream` rendered with `name="shown"`. */
  let shownControls: { reconnect(): void } | undefined
  const getStreamControls = () => {
    if (!shownControls) throw new Error('no shown stream')
    return shownControls
  }
})

describe('data that does not parse', () => {
  const nextFrame = () => act(() => vi.advanceTimersToNextFrame())
  const text = (name: string) => screen.getByTestId(name).textContent

  withMockStreams()

  describe('a message that does not parse', () => {
    it('does not let one hook show an event that another hook on the same stream does not show yet', () => {
      const strict = (raw: string) => {
        const value = Number(raw)
        if (Number.isNaN(value)) throw new Error('not a number')
        return value
      }
      function Strict() {
        const { data } = useEventSource<number>('/sse', { EventSource: MockEventSource, parse: strict })
        return <p data-testid="strict">{data ?? '-'}</p>
      }
      function Lenient() {
        const { data } = useEventSource<number>('/sse', { EventSource: MockEventSource, parse: Number })
        return <p data-testid="lenient">{String(data ?? '-')}</p>
      }
      render(
        <>
          <Strict />
          <Lenient />
        </>,
      )
      act(() => latest().open())
      nextFrame()
      act(() => latest().emit('1').emit('x')) // 'x' is a parse failure for Strict only
      // README: "hooks on one stream never show different events in the same frame"
      expect([text('strict'), text('lenient')]).toEqual(['-', '-']) // got ['1', '-']: the parse error published Strict's pending data at once
      nextFrame()
      expect(text('strict')).toBe('1')
    })

    it('does not render once per unparsable message (the render storm the hook exists to prevent)', () => {
      let renders = 0
      function Counted() {
        renders += 1
        const { data } = useEventSource<number>('/sse', { EventSource: MockEventSource })
        return <p>{data ?? '-'}</p>
      }
      render(<Counted />)
      act(() => latest().open())
      nextFrame()
      const before = renders
      for (let n = 0; n < 20; n++) act(() => latest().emit('<html>')) // 20 messages, each in a task of its own, all within one frame
      expect(renders - before).toBeLessThanOrEqual(1) // got 20
    })
  })
})

describe('reduce: data folded from every event', () => {
  const nextFrame = () => act(() => vi.advanceTimersToNextFrame())

  interface Token {
    text: string
  }

  /** A chat answer, folded token by token, counting its renders. */
  function renderAnswer(url = '/chat') {
    let renders = 0
    const hook = renderHook(
      ({ url }) => {
        renders += 1
        return useEventSource<Token, string>(url, {
          EventSource: MockEventSource,
          reduce: (text, { data }) => text + data.text,
          initial: '',
        })
      },
      { initialProps: { url } },
    )
    return { ...hook, renders: () => renders }
  }

  withMockStreams()

  describe('reduce', () => {
    it('is initial before the first event, also before the stream opens', () => {
      const { result } = renderAnswer()
      expect(result.current.data).toBe('')
      expect(result.current.event).toBeNull()
    })

    it('folds every event in order, rendering once per frame', () => {
      const { result, renders } = renderAnswer()
      act(() => latest().open())
      const before = renders()
      act(() => {
        for (let n = 0; n < 500; n++) latest().emit({ text: String(n % 10) })
      })
      nextFrame()
      expect(result.current.data).toBe('0123456789'.repeat(50))
      expect(result.current.event).toBe('message')
      expect(renders() - before).toBe(1)
    })

    it('carries the state across reconnects and close() / reconnect() of the same stream', () => {
      const { result } = renderAnswer()
      act(() => latest().open().emit({ text: 'a' }))
      act(() => latest().fail({ close: true })) // the browser gave up: the library opens a new EventSource
      act(() => vi.advanceTimersByTime(30_000))
      act(() => latest().open().emit({ text: 'b' }))
      act(() => result.current.close())
      act(() => result.current.reconnect())
      act(() => latest().open().emit({ text: 'c' }))
      nextFrame()
      expect(result.current.data).toBe('abc')
    })

    it('starts again from initial on a new url', () => {
      const { result, rerender } = renderAnswer('/one')
      act(() => latest().open().emit({ text: 'old' }))
      nextFrame()
      rerender({ url: '/two' })
      expect(result.current.data).toBe('')
      act(() => latest().open().emit({ text: 'new' }))
      nextFrame()
      expect(result.current.data).toBe('new')
    })

    it('gives the reducer the discriminated message of an event map', () => {
      type Feed = Events<{ price: number; news: string }>
      const seen: string[] = []
      const { result } = renderHook(() =>
        useEventSource<Feed, string[]>('/feed', {
          EventSource: MockEventSource,
          events: ['price', 'news'],
          initial: [],
          reduce: (lines, message: EventSourceMessage<Feed>) => {
            seen.push(message.event)
            return [...lines, message.event === 'price' ? message.data.toFixed(2) : message.data.toUpperCase()]
          },
        }),
      )
      act(() =>
        latest().open().emit(1.5, { event: 'price' }).emit('"rates up"', { event: 'news' }).emit('"not listened to"'),
      )
      nextFrame()
      expect(result.current.data).toEqual(['1.50', 'RATES UP'])
      expect(seen).toEqual(['price', 'news'])
    })

    it('keeps the state when the reducer throws, and rethrows out of the way', () => {
      const thrown = new Error('reducer bug')
      const { result } = renderHook(() =>
        useEventSource<number, number>('/sum', {
          EventSource: MockEventSource,
          initial: 0,
          reduce: (sum, { data }) => {
            if (data < 0) throw thrown
            return sum + data
          },
        }),
      )
      act(() => latest().open().emit(1).emit(-1).emit(2))
      expect(() => nextFrame()).toThrow(thrown)
      nextFrame()
      expect(result.current.data).toBe(3)
    })
  })
})

describe('the callbacks of hooks that share a stream', () => {
  withMockStreams()

  describe('a state change told while another is being told', () => {
    it('onError of every hook sharing the stream is called even when the first reconnects in its onError', () => {
      const a = renderHook(() => {
        const r = useEventSource('/sse', { EventSource: MockEventSource, onError: () => r.reconnect() })
        return r
      })
      const onError = vi.fn()
      renderHook(() => useEventSource('/sse', { EventSource: MockEventSource, onError }))
      act(() => latest().open().fail({ close: true, status: 503 }))
      expect(a.result.current.status).toBe('connecting')
      // README: onError is "Called with every failure"; the second hook never hears of the 503
      expect(onError).toHaveBeenCalledTimes(1) // got 0
    })
  })

  it('parse each event once for the hooks that share a stream; two events with the same text are two values', () => {
    const seen: unknown[] = []
    const onMessage = ({ data }: { data: unknown }) => seen.push(data)
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource, onMessage }))
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource, onMessage }))
    act(() => latest().open().emit({ n: 1 }).emit({ n: 1 }))
    expect(seen).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }, { n: 1 }])
    expect(seen[0]).toBe(seen[1]) // one event: one value for both hooks
    expect(seen[2]).not.toBe(seen[0]) // the next event, with the same text: a value of its own
  })
})

describe('close() and reconnect()', () => {
  withMockStreams()

  describe('close() and reconnect() from an earlier render', () => {
    it('close() kept from before a url change does not arm a close that only the next url sees', async () => {
      const { result, rerender } = renderHook(({ url }) => useEventSource(url, { EventSource: MockEventSource }), {
        initialProps: { url: '/a' },
      })
      const { close } = result.current // kept from an earlier render (an effect, a timer): it acts on the hook's stream now
      rerender({ url: '/b' })
      act(() => latest().open())
      act(() => close())
      await settle()
      // Either it closed the hook's current stream, or it did nothing; not: leave this stream open and close the next.
      const closedNow = result.current.status === 'closed' // false today: '/b' stays open
      rerender({ url: '/c' })
      expect(result.current.status).toBe(closedNow ? 'closed' : 'connecting') // got 'closed': '/c' never opens
    })

    it('reconnect() kept from before a url change does not leave the current stream stuck in closed', async () => {
      const { result, rerender } = renderHook(({ url }) => useEventSource(url, { EventSource: MockEventSource }), {
        initialProps: { url: '/a' },
      })
      const { reconnect } = result.current // e.g. kept by an effect or a memoized handler
      act(() => latest().open())
      act(() => result.current.close())
      rerender({ url: '/b' })
      await settle()
      act(() => reconnect()) // clears the hook's closed flag through the old view, which has nothing to attach
      act(() => result.current.reconnect()) // the current view: the hook is not closed any more, and it has no connection
      expect(result.current.status).toBe('connecting') // got 'closed', and nothing opens whatever is called
      expect(live()).toHaveLength(1)
    })

    it('are the same functions for the hook’s whole life, whatever its url (defect 9: the README said otherwise)', () => {
      const { result, rerender } = renderHook(({ url }) => useEventSource(url, { EventSource: MockEventSource }), {
        initialProps: { url: '/a' as string | null },
      })
      const first = result.current
      rerender({ url: '/b' })
      rerender({ url: null })
      expect(result.current.close).toBe(first.close)
      expect(result.current.reconnect).toBe(first.reconnect)
    })
  })
})
