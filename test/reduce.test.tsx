import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { type EventSourceMessage, type Events, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, withMockStreams } from './support/mockStreams'

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
