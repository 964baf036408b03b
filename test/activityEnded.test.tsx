import { act, render } from '@testing-library/react'
import { Activity, type ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, settle, withMockStreams } from './support/mockStreams'

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
