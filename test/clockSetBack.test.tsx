import { act, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, withMockStreams } from './support/mockStreams'

const nextFrame = () => act(() => vi.advanceTimersToNextFrame())

function Shown() {
  const { data } = useEventSource<number>('/sse', { EventSource: MockEventSource })
  return <p data-testid="out">{data ?? '-'}</p>
}

withMockStreams()

describe('the render clock', () => {
  it('does not hold a view back when the wall clock is set back', () => {
    render(<Shown />)
    act(() => latest().open().emit(1))
    nextFrame()
    expect(screen.getByTestId('out').textContent).toBe('1')
    vi.setSystemTime(Date.now() - 60_000) // NTP correction, VM resume, a user fixing the clock
    act(() => latest().emit(2))
    act(() => vi.advanceTimersByTime(1000)) // a frame, or even the hidden-page second
    expect(screen.getByTestId('out').textContent).toBe('2') // still '1': the view waits until the wall clock is back where it was
  })
})
