import { act, render, screen, renderHook } from '@testing-library/react'
import { memo, Profiler } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useEventSource, type UseEventSourceOptions } from '../src/index'
import { MockEventSource } from '../src/testing'
import { live, withMockStreams, latest } from './support/mockStreams'

describe('one flush for every view of the page', () => {
  const nextFrame = () => act(() => vi.advanceTimersToNextFrame())

  /** The mock stream opened for `url`. */
  const stream = (url: string) =>
    MockEventSource.instances.filter((source) => source.url.endsWith(url) && !source.closed).at(-1) as MockEventSource

  const Widget = memo(function Widget({ url, name }: { url: string; name: string }) {
    const { data } = useEventSource<number>(url, { EventSource: MockEventSource })
    return <span data-testid={name}>{data ?? '-'}</span>
  })

  const names = (url: string, count: number) => Array.from({ length: count }, (_, i) => `${url}-${i}`)

  /** `count` widgets on each url, under one Profiler that counts the page's commits. */
  function renderPage(urls: string[], count: number) {
    const commits = { count: 0 }
    render(
      <Profiler id="page" onRender={() => (commits.count += 1)}>
        {urls.flatMap((url) => names(url, count).map((name) => <Widget key={name} url={url} name={name} />))}
      </Profiler>,
    )
    act(() => {
      for (const url of urls) stream(url).open()
    })
    const texts = (url: string) => names(url, count).map((name) => screen.getByTestId(name).textContent)
    return { commits, texts }
  }

  /** Counts the page's wake-ups: frames asked for, and zero-delay timers (the leading edge). */
  function countWakeUps() {
    const frames = vi.spyOn(globalThis, 'requestAnimationFrame')
    const timers = vi.spyOn(globalThis, 'setTimeout')
    return () => frames.mock.calls.length + timers.mock.calls.filter(([, ms]) => !ms).length
  }

  withMockStreams()
  afterEach(() => vi.unstubAllGlobals())

  describe('one render clock for the page', () => {
    it('tells 20 hooks of one event in one callback and one commit', () => {
      const { commits, texts } = renderPage(['/a'], 20)
      const before = commits.count
      const wakeUps = countWakeUps()
      act(() => stream('/a').emit(1))
      expect(wakeUps()).toBe(1)
      act(() => vi.advanceTimersByTime(0))
      expect(commits.count).toBe(before + 1)
      expect(new Set(texts('/a'))).toEqual(new Set(['1']))
    })

    it('under a flood on two streams asks for one frame at a time, and commits once per frame', () => {
      const { commits, texts } = renderPage(['/a', '/b'], 10)
      const wakeUps = countWakeUps()
      const before = commits.count
      for (let frame = 1; frame <= 5; frame++) {
        act(() => {
          for (let n = 1; n <= 50; n++) {
            stream('/a').emit(frame * 100 + n)
            stream('/b').emit(frame * 100 + n)
          }
        })
        nextFrame()
        expect(new Set(texts('/a'))).toEqual(new Set([String(frame * 100 + 50)]))
        expect(new Set(texts('/b'))).toEqual(new Set([String(frame * 100 + 50)]))
      }
      expect(commits.count - before).toBe(5)
      expect(wakeUps()).toBe(5)
    })

    it('never shows a newer event in one hook than in another on the same stream, even when one re-renders for its own reasons', () => {
      function Pair() {
        const first = useEventSource<number>('/a', { EventSource: MockEventSource })
        return (
          <>
            <span data-testid="first">{first.data ?? '-'}</span>
            <Widget url="/a" name="second" />
          </>
        )
      }
      const { rerender } = render(<Pair />)
      act(() => stream('/a').open().emit(1))
      nextFrame()
      act(() => stream('/a').emit(2))
      rerender(<Pair />) // the parent renders before the frame (its memoized sibling does not): it must not show 2 while the sibling shows 1
      expect([screen.getByTestId('first').textContent, screen.getByTestId('second').textContent]).toEqual(['1', '1'])
      nextFrame()
      expect([screen.getByTestId('first').textContent, screen.getByTestId('second').textContent]).toEqual(['2', '2'])
    })

    it('while the page is hidden (no frames), flushes about once a second, and on the frame again once it is shown', () => {
      const { texts } = renderPage(['/a'], 3)
      // A hidden page runs no frames: they wait until it is shown.
      const waiting: FrameRequestCallback[] = []
      vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation((callback) => waiting.push(callback))
      act(() => vi.advanceTimersByTime(2000)) // a quiet spell, whatever the page (the tests before) rendered
      act(() => stream('/a').emit(1))
      act(() => vi.advanceTimersByTime(0))
      expect(texts('/a')).toEqual(['1', '1', '1']) // after a quiet spell: at once, as when visible
      act(() => stream('/a').emit(2))
      act(() => vi.advanceTimersByTime(999))
      expect(texts('/a')).toEqual(['1', '1', '1'])
      act(() => vi.advanceTimersByTime(1))
      expect(texts('/a')).toEqual(['2', '2', '2'])
      act(() => stream('/a').emit(3))
      act(() => vi.advanceTimersByTime(10))
      act(() => {
        for (const callback of waiting.splice(0)) callback(performance.now()) // shown: the frames run
      })
      expect(texts('/a')).toEqual(['3', '3', '3'])
    })

    it('leaves no timer behind once every hook is gone', () => {
      const { unmount } = render(<Widget url="/a" name="only" />)
      act(() => stream('/a').open().emit(1).emit(2))
      unmount()
      expect(vi.getTimerCount()).toBe(0)
      expect(live()).toHaveLength(1) // closed after the grace period, checked by withMockStreams
    })
  })
})

describe('renders: throttle and history', () => {
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
})

describe('a clock set back', () => {
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
})
