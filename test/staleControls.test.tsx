import { act, renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, live, settle, withMockStreams } from './support/mockStreams'

withMockStreams()

describe('close() and reconnect() from an earlier render', () => {
  it('close() kept from before a url change does not arm a close that only the next url sees', async () => {
    const { result, rerender } = renderHook(({ url }) => useEventSource(url, { EventSource: MockEventSource }), {
      initialProps: { url: '/a' },
    })
    const { close } = result.current // kept from an earlier render (an effect, a timer): it acts on the hook's stream now
    rerender({ url: '/b' })
    act(() => latest().open())
    act(() => close())
    await settle()
    // Either it closed the hook's current stream, or it did nothing; not: leave this stream open and close the next.
    const closedNow = result.current.status === 'closed' // false today: '/b' stays open
    rerender({ url: '/c' })
    expect(result.current.status).toBe(closedNow ? 'closed' : 'connecting') // got 'closed': '/c' never opens
  })

  it('reconnect() kept from before a url change does not leave the current stream stuck in closed', async () => {
    const { result, rerender } = renderHook(({ url }) => useEventSource(url, { EventSource: MockEventSource }), {
      initialProps: { url: '/a' },
    })
    const { reconnect } = result.current // e.g. kept by an effect or a memoized handler
    act(() => latest().open())
    act(() => result.current.close())
    rerender({ url: '/b' })
    await settle()
    act(() => reconnect()) // clears the hook's closed flag through the old view, which has nothing to attach
    act(() => result.current.reconnect()) // the current view: the hook is not closed any more, and it has no connection
    expect(result.current.status).toBe('connecting') // got 'closed', and nothing opens whatever is called
    expect(live()).toHaveLength(1)
  })

  it('are the same functions for the hook’s whole life, whatever its url (defect 9: the README said otherwise)', () => {
    const { result, rerender } = renderHook(({ url }) => useEventSource(url, { EventSource: MockEventSource }), {
      initialProps: { url: '/a' as string | null },
    })
    const first = result.current
    rerender({ url: '/b' })
    rerender({ url: null })
    expect(result.current.close).toBe(first.close)
    expect(result.current.reconnect).toBe(first.reconnect)
  })
})
