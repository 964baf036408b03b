import { act, cleanup, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, live, settle, withMockStreams } from './support/mockStreams'

function Widget({ name, options = {} }: { name: string; options?: UseEventSourceOptions }) {
  const { data, status, event } = useEventSource('/sse', { EventSource: MockEventSource, throttle: false, ...options })
  return <p data-testid={name}>{`${status} ${event ?? '-'} ${JSON.stringify(data) ?? '-'}`}</p>
}

/** A button that closes its own hook's stream. */
function Closable() {
  const { status, close } = useEventSource('/sse', { EventSource: MockEventSource })
  return (
    <button type="button" onClick={close}>
      {status}
    </button>
  )
}

const names = Array.from({ length: 20 }, (_, i) => `w${i}`)
const text = (name: string) => screen.getByTestId(name).textContent

withMockStreams()

describe('sharing one connection', () => {
  it('gives 20 components on one url one EventSource', () => {
    render(names.map((name) => <Widget key={name} name={name} />))
    expect(MockEventSource.instances).toHaveLength(1)
    act(() => latest().open().emit({ n: 1 }))
    for (const name of names) expect(text(name)).toBe('open message {"n":1}')
  })

  it('keeps a view per hook: its own events and parser', () => {
    render(
      <>
        <Widget name="json" />
        <Widget name="text" options={{ parse: String }} />
        <Widget name="price" options={{ events: ['price'] }} />
      </>,
    )
    expect(MockEventSource.instances).toHaveLength(1)
    act(() => latest().open().emit({ n: 1 }).emit('9', { event: 'price' }))
    expect(text('json')).toBe('open message {"n":1}')
    expect(text('text')).toBe('open message "{\\"n\\":1}"')
    expect(text('price')).toBe('open price 9')
  })

  it('runs one policy for all: one recreated EventSource, every view reconnecting then open', () => {
    render(names.slice(0, 3).map((name) => <Widget key={name} name={name} options={{ reconnect: { delay: 100 } }} />))
    act(() => latest().open().fail({ close: true, status: 503 }))
    for (const name of names.slice(0, 3)) expect(text(name)).toMatch(/^reconnecting/)
    act(() => vi.advanceTimersByTime(100))
    expect(MockEventSource.instances).toHaveLength(2)
    act(() => latest().open())
    for (const name of names.slice(0, 3)) expect(text(name)).toMatch(/^open/)
  })

  it('never shares between hooks with a headers function: no hook gets a stream opened with another’s token', () => {
    render(
      <>
        <Widget name="a" options={{ headers: () => ({ Authorization: 'Bearer a' }) }} />
        <Widget name="b" options={{ headers: () => ({ Authorization: 'Bearer b' }) }} />
      </>,
    )
    expect(MockEventSource.instances.map((source) => source.init.headers)).toEqual([
      { Authorization: 'Bearer a' },
      { Authorization: 'Bearer b' },
    ])
  })

  it('shares between hooks with equal header values and policy, and not between different ones', () => {
    render(
      <>
        <Widget name="a" options={{ headers: { Authorization: 'Bearer a' }, reconnect: { retries: 3 } }} />
        <Widget name="b" options={{ headers: { Authorization: 'Bearer a' }, reconnect: { retries: 3 } }} />
        <Widget name="c" options={{ headers: { Authorization: 'Bearer c' }, reconnect: { retries: 3 } }} />
        <Widget name="d" options={{ headers: { Authorization: 'Bearer a' }, reconnect: false }} />
      </>,
    )
    expect(MockEventSource.instances).toHaveLength(3)
  })

  it('opens a connection of its own with shared: false', () => {
    render(
      <>
        <Widget name="a" />
        <Widget name="b" />
        <Widget name="own" options={{ shared: false }} />
      </>,
    )
    expect(MockEventSource.instances).toHaveLength(2)
  })

  it('lets one hook close() without closing the stream for the others', async () => {
    render(
      <>
        <Closable />
        <Widget name="other" />
      </>,
    )
    act(() => latest().open())
    act(() => screen.getByRole('button').click())
    await settle()
    expect(screen.getByRole('button').textContent).toBe('closed')
    expect(text('other')).toMatch(/^open/)
    expect(live()).toHaveLength(1)
  })

  it('never leaves a connection open, whatever order 20 components mount and unmount in', async () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    for (let round = 0; round < 10; round++) {
      const mounted = new Set<string>()
      const { rerender } = render(null)
      for (let step = 0; step < 60; step++) {
        const name = names[Math.floor(random() * names.length)] as string
        if (mounted.has(name)) mounted.delete(name)
        else mounted.add(name)
        rerender([...mounted].map((n) => <Widget key={n} name={n} />))
        if (random() < 0.3) await settle()
        expect(live().length).toBeLessThanOrEqual(1)
      }
      cleanup()
      await settle()
      expect(live()).toEqual([])
    }
  })
})
