import { act, render, screen } from '@testing-library/react'
import { memo, Profiler } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { live, withMockStreams } from './support/mockStreams'

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
