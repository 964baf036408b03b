import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'

// The README's example for users, run as written: the global is stubbed, the component knows nothing of tests.
function Ticker() {
  const { data, status } = useEventSource<{ symbol: string; price: number }>('/sse')
  return (
    <p>
      {data ? `${data.symbol} ${data.price}` : 'waiting…'} ({status})
    </p>
  )
}

beforeEach(() => vi.stubGlobal('EventSource', MockEventSource))
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  MockEventSource.reset()
})

it('shows the latest price', async () => {
  render(<Ticker />)
  act(() => MockEventSource.latest().open())
  act(() => MockEventSource.latest().emit({ symbol: 'ACME', price: 3 }, { id: '1' }))
  await screen.findByText(/ACME 3/) // data renders on the next frame
})

it('works again in the next test: each test opens a stream of its own', async () => {
  render(<Ticker />)
  act(() => MockEventSource.latest().open().emit({ symbol: 'ACME', price: 5 }))
  await screen.findByText(/ACME 5/)
  expect(MockEventSource.instances).toHaveLength(1)
})

it('records how the stream was opened and what it listens to', () => {
  render(<Ticker />)
  const source = MockEventSource.latest()
  expect(source.url).toBe('http://localhost:3000/sse')
  expect(source.withCredentials).toBe(false)
  expect(source.listenedTypes).toEqual(['message'])
  expect(source.closed).toBe(false)
})

it('refuses to drive a closed stream, with a message that says why', () => {
  const source = new MockEventSource('http://localhost/sse')
  source.close()
  expect(() => source.emit('x')).toThrow(/is closed/)
})

it('says what went wrong when latest() finds no stream', () => {
  expect(MockEventSource.instances).toEqual([])
  expect(() => MockEventSource.latest()).toThrow(
    'No MockEventSource was created: did the component mount with a url and the EventSource option?',
  )
})
