import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'
import { latest, withMockStreams } from './support/mockStreams'

withMockStreams()

describe('a state change told while another is being told', () => {
  it('onError of every hook sharing the stream is called even when the first reconnects in its onError', () => {
    const a = renderHook(() => {
      const r = useEventSource('/sse', { EventSource: MockEventSource, onError: () => r.reconnect() })
      return r
    })
    const onError = vi.fn()
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource, onError }))
    act(() => latest().open().fail({ close: true, status: 503 }))
    expect(a.result.current.status).toBe('connecting')
    // README: onError is "Called with every failure"; the second hook never hears of the 503
    expect(onError).toHaveBeenCalledTimes(1) // got 0
  })
})
