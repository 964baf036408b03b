import { act, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, withMockStreams } from './support/mockStreams'

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
