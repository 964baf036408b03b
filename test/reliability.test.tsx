import { act, render, renderHook } from '@testing-library/react'
import { Activity, type ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, live, settle, withMockStreams } from './support/mockStreams'

const isReact19 = process.env.REACT_MAJOR !== '18'

function Stream({ options }: { options?: UseEventSourceOptions<number> }) {
  const { data, status } = useEventSource<number>('/sse', { EventSource: MockEventSource, throttle: false, ...options })
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
