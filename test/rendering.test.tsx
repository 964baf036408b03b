import { act, render, renderHook, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, withMockStreams } from './support/mockStreams'

const nextFrame = () => act(() => vi.advanceTimersToNextFrame())

/** Shows the data, and counts its renders (each a commit here: nothing else renders it). */
function Counter({ options, commits }: { options: UseEventSourceOptions<number>; commits: { count: number } }) {
  const { data, status, history } = useEventSource<number>('/sse', { EventSource: MockEventSource, ...options })
  commits.count += 1
  return <p data-testid="out">{`${status} ${data ?? '-'} [${history.map((m) => m.data).join(',')}]`}</p>
}

function renderCounted(options: UseEventSourceOptions<number> = {}) {
  const commits = { count: 0 }
  render(<Counter options={options} commits={commits} />)
  return { commits, text: () => screen.getByTestId('out').textContent }
}

/** A hook that keeps the last `size` events; rerender it with another `size`. */
const renderHistory = (size: number) =>
  renderHook(({ size }) => useEventSource<number>('/sse', { EventSource: MockEventSource, history: size }), {
    initialProps: { size },
  })

withMockStreams()

describe('rendering under a flood', () => {
  it('commits once per animation frame for any number of events, and onMessage still sees each in order', () => {
    const seen: number[] = []
    const { commits, text } = renderCounted({ onMessage: (m) => seen.push(m.data) })
    act(() => latest().open())
    const before = commits.count
    act(() => {
      for (let n = 1; n <= 1000; n++) latest().emit(n)
    })
    expect(commits.count).toBe(before)
    nextFrame()
    expect(commits.count).toBe(before + 1)
    expect(text()).toBe('open 1000 []')
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    nextFrame()
    expect(commits.count).toBe(before + 1) // nothing new, no render
  })

  it('shows a single message on a quiet stream within one frame', () => {
    const { text } = renderCounted()
    act(() => latest().open())
    act(() => latest().emit(7))
    expect(text()).toBe('open - []')
    nextFrame()
    expect(text()).toBe('open 7 []')
  })

  it('shows a message after a quiet spell right after its task, with the events dispatched alongside, not a frame later', () => {
    const { commits, text } = renderCounted()
    act(() => latest().open())
    act(() => vi.advanceTimersByTime(1000))
    const before = commits.count
    act(() => latest().emit(1).emit(2))
    expect(text()).toBe('open - []')
    act(() => vi.advanceTimersByTime(0))
    expect(text()).toBe('open 2 []')
    expect(commits.count).toBe(before + 1)
    act(() => latest().emit(3)) // within a frame of that render: waits for the next frame
    act(() => vi.advanceTimersByTime(0))
    expect(text()).toBe('open 2 []')
    nextFrame()
    expect(text()).toBe('open 3 []')
  })

  it('shows a status change at once, without waiting for a frame', () => {
    const { text } = renderCounted()
    act(() => latest().open())
    expect(text()).toBe('open - []')
    act(() => latest().fail())
    expect(text()).toBe('reconnecting - []')
  })

  it('with throttle: ms, commits at most once per that many ms, joining the first frame after it', () => {
    const times: number[] = []
    const { commits, text } = renderCounted({ throttle: 100 })
    act(() => latest().open())
    const before = commits.count
    for (let n = 1; n <= 10; n++) {
      act(() => latest().emit(n))
      for (let ms = 0; ms < 25; ms++) {
        const count = commits.count
        act(() => vi.advanceTimersByTime(1))
        if (commits.count > count) times.push(Date.now())
      }
    }
    expect(commits.count - before).toBe(times.length)
    expect(times.length).toBe(3) // at the first event (leading edge), then every 100 ms and a frame
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(100)
    act(() => vi.advanceTimersByTime(100))
    expect(text()).toBe('open 10 []')
  })

  it('with throttle: false, commits on every event', () => {
    const { commits } = renderCounted({ throttle: false })
    act(() => latest().open())
    const before = commits.count
    for (let n = 1; n <= 5; n++) act(() => latest().emit(n))
    expect(commits.count - before).toBe(5)
  })

  it('keeps the last `history` events, oldest first, bounded, in fresh arrays', () => {
    const { result, rerender } = renderHistory(3)
    act(() => {
      latest().open()
      for (let n = 1; n <= 5; n++) latest().emit(n, { id: String(n) })
    })
    nextFrame()
    const first = result.current.history
    expect(first.map((m) => [m.data, m.id, m.event, m.raw])).toEqual([
      [3, '3', 'message', '3'],
      [4, '4', 'message', '4'],
      [5, '5', 'message', '5'],
    ])
    act(() => latest().emit(6))
    nextFrame()
    expect(result.current.history.map((m) => m.data)).toEqual([4, 5, 6])
    expect(first.map((m) => m.data)).toEqual([3, 4, 5]) // a snapshot never changes
    rerender({ size: 2 })
    act(() => latest().emit(7))
    nextFrame()
    expect(result.current.history.map((m) => m.data)).toEqual([6, 7])
  })

  it('starts history afresh when it is turned off and on again', () => {
    const { result, rerender } = renderHistory(3)
    act(() => latest().open().emit(1).emit(2))
    rerender({ size: 0 })
    act(() => latest().emit(3))
    rerender({ size: 3 })
    act(() => latest().emit(4))
    nextFrame()
    expect(result.current.history.map((m) => m.data)).toEqual([4])
  })
})
