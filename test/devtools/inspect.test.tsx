import { act, render } from '@testing-library/react'
import { Activity, Profiler } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { observers } from '../../src/core/observers'
import { getStreams, KEPT_EVENTS, subscribeToStreams } from '../../src/devtools'
import { redact } from '../../src/devtools/inspect'
import { advance, countEvent, createTally, perSecond } from '../../src/devtools/tally'
import { useEventSource } from '../../src/index'
import { MockEventSource } from '../../src/testing'
import { latest, settle, withMockStreams } from '../support/mockStreams'

withMockStreams()

let stopWatching: (() => void) | undefined
const changes = vi.fn()
/** Watches as the devtools do. */
function watch() {
  stopWatching = subscribeToStreams(changes)
}
afterEach(() => {
  stopWatching?.()
  stopWatching = undefined
  changes.mockClear()
})

/** The one stream of the page. */
function only() {
  const streams = getStreams()
  expect(streams).toHaveLength(1)
  return streams[0] as (typeof streams)[number]
}

/** Lets the devtools' tick (every 250 ms) take a snapshot. */
const tick = () => act(() => vi.advanceTimersByTime(250))

function Widget({ url, events, throttle }: { url: string; events?: string[]; throttle?: false }) {
  const { data } = useEventSource<number>(url, { EventSource: MockEventSource, events, throttle })
  return <span>{data ?? '-'}</span>
}

describe('the inspection API', () => {
  it('shows how long an open stream has been silent, to a liveness tick, and nothing while it is not open', async () => {
    await import('../../src/core/watch') // the chunk, cached so that it loads in fake time
    watch()
    render(<Widget url="/quiet" />)
    tick()
    expect(only().silentFor).toBeNull()
    await act(() => vi.advanceTimersByTimeAsync(0))
    act(() => latest().open().emit(1))
    await act(() => vi.advanceTimersByTimeAsync(2000))
    tick()
    expect(only().silentFor).toBe(1500) // the liveness tick at 500 ms heard the event; 3 ticks since
  })

  it('hints at a buffering proxy after 10 s of an attempt with no answer', () => {
    watch()
    render(<Widget url="/buffered" />)
    act(() => vi.advanceTimersByTime(9_750))
    expect(only().hint).toBeNull()
    tick()
    expect(only().hint).toMatch(/^no answer for 10 s: a proxy may be buffering the stream.*X-Accel-Buffering: no/)
    expect(only().hint).toContain('npx use-event-source doctor <url>')
    act(() => latest().open())
    tick()
    expect(only().hint).toBeNull()
  })

  it('lists every stream with its hooks, transport and status, the url without its query values', () => {
    watch()
    render(
      <>
        <Widget url="/prices?token=secret&room=1" />
        <Widget url="/prices?token=secret&room=1" events={['price']} />
        <Widget url="/news" />
      </>,
    )
    tick()
    const streams = getStreams()
    expect(
      streams.map(({ url, hooks, status, transport, method }) => ({ url, hooks, status, transport, method })),
    ).toEqual([
      { url: '/prices?token=…&room=…', hooks: 2, status: 'connecting', transport: 'MockEventSource', method: 'GET' },
      { url: '/news', hooks: 1, status: 'connecting', transport: 'MockEventSource', method: 'GET' },
    ])
    expect(streams[0]?.types.sort()).toEqual(['message', 'price'])
    expect(JSON.stringify(streams)).not.toContain('secret')
    // A token passed as a parameter's name is left out too.
    expect(redact('https://user:pass@example.com/sse?eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig&room=1#frag')).toBe(
      'https://example.com/sse?…&room=…',
    )
    act(() => MockEventSource.instances[0]?.open())
    tick()
    expect(changes).toHaveBeenCalled()
    expect(getStreams()[0]?.status).toBe('open')
  })

  it('counts events, keeps the last ones raw, and counts renders once for the hooks told together', async () => {
    watch()
    let commits = 0
    render(
      <Profiler id="page" onRender={() => (commits += 1)}>
        {['a', 'b', 'c', 'd', 'e'].map((name) => (
          <Widget key={name} url="/flood" />
        ))}
      </Profiler>,
    )
    act(() => latest().open())
    commits = 0
    for (let frame = 0; frame < 10; frame++) {
      act(() => {
        for (let n = 0; n < 20; n++) latest().emit(frame * 20 + n, { id: `é${frame * 20 + n}` })
      })
      await act(async () => vi.advanceTimersToNextFrame()) // each frame a task of its own, as in a browser
    }
    tick()
    const stream = only()
    expect(stream.events).toBe(200)
    expect(stream.eventsPerSecond).toBe(200)
    // 10 flushes, each telling the 5 hooks in one task: 10 renders, as React committed.
    expect(commits).toBe(10)
    expect(stream.rendersPerSecond).toBe(10)
    expect(stream.lastEventId).toBe('é199')
    expect(stream.recent).toHaveLength(KEPT_EVENTS)
    expect(stream.recent.at(-1)).toMatchObject({ n: 200, type: 'message', id: 'é199', data: '199' })
    expect(stream.timeline.reduce((a, b) => a + b)).toBe(200)
    // Past the second (and the tenth of a second it is reckoned in), the rates are back to 0 and the count stays.
    act(() => vi.advanceTimersByTime(1100))
    expect(only()).toMatchObject({ events: 200, eventsPerSecond: 0, rendersPerSecond: 0 })
  })

  it('shows the pending retry with its number and countdown, and the failure with its HTTP status', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    watch()
    render(<Widget url="/flaky" />)
    act(() => latest().open())
    act(() => latest().fail({ close: true, status: 503 }))
    tick()
    const stream = only()
    expect(stream).toMatchObject({ status: 'reconnecting', retries: 1 })
    expect(stream.error).toMatchObject({ kind: 'http', status: 503 })
    // Reopened after the reconnection time (3 s) plus the jitter (half of 1 s), less the 250 ms just passed.
    expect(stream.retryIn).toBe(3250)
    act(() => vi.advanceTimersByTime(1000))
    expect(only().retryIn).toBe(2250)
    const failed = latest()
    act(() => vi.advanceTimersByTime(2250))
    expect(latest()).not.toBe(failed)
    tick()
    expect(only()).toMatchObject({ status: 'reconnecting', retries: 1, retryIn: null })
  })

  it('closes and reconnects a stream for every hook on it', () => {
    watch()
    const { container } = render(
      <>
        <Status url="/live" />
        <Status url="/live" />
      </>,
    )
    act(() => latest().open())
    tick()
    act(() => only().close())
    expect(container.textContent).toBe('closedclosed')
    expect(latest().closed).toBe(true)
    act(() => only().reconnect())
    act(() => latest().open())
    expect(container.textContent).toBe('openopen')
  })

  it('observes only while subscribed: the core then has one observer fewer to tell', () => {
    const unwatched = observers.size
    const first = subscribeToStreams(() => {})
    const second = subscribeToStreams(() => {})
    expect(observers.size).toBe(unwatched + 1)
    first()
    expect(observers.size).toBe(unwatched + 1)
    second()
    expect(observers.size).toBe(unwatched)
  })

  it('returns the same snapshot until something changed, as useSyncExternalStore needs', () => {
    render(<Widget url="/same" />)
    expect(getStreams()).toBe(getStreams())
    watch()
    const before = getStreams()
    expect(getStreams()).toBe(before)
    act(() => latest().open())
    expect(getStreams()).toBe(before) // until the next tick
    tick()
    expect(getStreams()).not.toBe(before)
  })
})

describe('the inspection API, on the edges', () => {
  it('counts an event 950 ms old in events per second, wherever it fell in its tenth of a second', () => {
    const tally = createTally()
    vi.advanceTimersByTime(100 - (performance.now() % 100) + 90) // 90 ms into a tenth of a second
    countEvent(tally, 'message', '1', '')
    const rate = (after: number) => {
      vi.advanceTimersByTime(after)
      advance(tally)
      return perSecond(tally.eventSlots)
    }
    expect(rate(950)).toBe(1)
    expect(rate(100)).toBe(0)
  })

  it('lists a stream opened after a first call, with no subscriber', () => {
    expect(getStreams()).toEqual([])
    render(<Widget url="/late" />)
    expect(getStreams()).toHaveLength(1)
  })

  it('drops a stream when its last hook unmounts, and tells the subscribers, even when someone read the streams in between', async () => {
    watch()
    const { unmount } = render(<Widget url="/gone" />)
    tick()
    expect(getStreams()).toHaveLength(1)
    changes.mockClear()
    unmount()
    await settle()
    getStreams()
    tick()
    expect(changes).toHaveBeenCalled()
    expect(getStreams()).toEqual([])
  })

  it('keeps watching while one of two subscriptions of the same function is held', () => {
    const onChange = vi.fn()
    const first = subscribeToStreams(onChange)
    stopWatching = subscribeToStreams(onChange)
    const watched = observers.size
    first()
    expect(observers.size).toBe(watched)
  })

  it('counts from the moment the devtools began to watch, not from an earlier watch', () => {
    const stop = subscribeToStreams(() => {})
    render(<Widget url="/count" />)
    act(() => latest().open())
    act(() => {
      for (let n = 0; n < 3; n++) latest().emit(n)
    })
    stop()
    watch()
    act(() => latest().emit(4))
    tick()
    expect(only()).toMatchObject({ events: 1 })
    expect(only().recent).toHaveLength(1)
  })

  it('leaves out a query that is not name=value, and a name that could be a token', () => {
    expect(redact('https://api.example.com/sse?sk_live_SECRET')).toBe('https://api.example.com/sse?…')
    expect(redact('https://api.example.com/sse?a=1&a=2&filter[kind]=x')).toBe(
      'https://api.example.com/sse?a=…&filter[kind]=…',
    )
  })

  it('a Close on a row whose stream had no hook left does nothing: the hook that comes back is listed', async () => {
    watch()
    let result: ReturnType<typeof useEventSource> | undefined
    function Own() {
      result = useEventSource('/own', { EventSource: MockEventSource, shared: false })
      return <span>{result.status}</span>
    }
    const page = (mode: 'visible' | 'hidden') => (
      <Activity mode={mode}>
        <Own />
      </Activity>
    )
    const { rerender } = render(page('visible'))
    act(() => latest().open())
    tick()
    const row = only()
    rerender(page('hidden'))
    await settle()
    act(() => row.close()) // clicked on the row still shown
    tick()
    rerender(page('visible'))
    await settle()
    act(() => result?.reconnect())
    act(() => latest().open())
    expect(result?.status).toBe('open')
    tick()
    expect(getStreams()).toHaveLength(1)
  })
})

describe('the inspection API, after a second review', () => {
  it("keeps a stream's key from an unwatched read into a watch, and from one watch to the next", () => {
    render(<Widget url="/k" />)
    const unwatched = only().key
    let stop = subscribeToStreams(() => {})
    const watched = only().key
    stop()
    stop = subscribeToStreams(() => {})
    const watchedAgain = only().key
    stop()
    expect([watched, watchedAgain]).toEqual([unwatched, unwatched])
  })

  it('tells every subscriber of a change, even when one of them throws', () => {
    const thrown = vi.spyOn(globalThis, 'setTimeout') // callSafely rethrows out of the way, in a timer
    render(<Widget url="/t" />)
    const bad = subscribeToStreams(() => {
      throw new Error('a bad subscriber')
    })
    watch()
    act(() => latest().open())
    tick()
    bad()
    expect(changes).toHaveBeenCalled()
    expect(thrown).toHaveBeenCalled()
    thrown.mockRestore()
    vi.clearAllTimers() // the rethrow, which would fail the run
  })

  it('counts one render for what one task tells React, as React commits it once', async () => {
    watch()
    let commits = 0
    render(
      <Profiler id="page" onRender={() => (commits += 1)}>
        <Widget url="/r" throttle={false} />
      </Profiler>,
    )
    act(() => latest().open())
    await act(async () => vi.advanceTimersByTime(1000))
    commits = 0
    await act(async () => {
      // One task: 5 events 0.5 ms apart (a chunk of a busy stream), each told to React at once.
      for (let n = 0; n < 5; n++) {
        latest().emit(n)
        vi.advanceTimersByTime(0.5)
      }
    })
    tick()
    expect(commits).toBe(1)
    expect(only().rendersPerSecond).toBe(1)
  })
})

function Status({ url }: { url: string }) {
  return <>{useEventSource(url, { EventSource: MockEventSource }).status}</>
}
