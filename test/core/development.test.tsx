import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../../src/index'
import { MockEventSource } from '../../src/testing'
import { latest, withMockStreams } from '../support/mockStreams'

/** What development builds (these tests run one) write to the console when a stream fails; production builds: test/devtools/production.test.ts. */
withMockStreams()
let warn: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  warn.mockRestore()
})
const warnings = () => warn.mock.calls.map((args: unknown[]) => String(args[0]))

describe('the development console', () => {
  it('explains the first event that is not JSON, once per stream, naming parse: String', () => {
    renderHook(() => useEventSource('http://localhost/plain?token=secret', { EventSource: MockEventSource }))
    act(() => latest().open().emit('hello').emit('world').emit('again'))
    expect(warnings()).toEqual([expect.stringContaining('`parse: String`')])
    expect(warnings()[0]).toMatch(/^use-event-source: an event on http:\/\/localhost\/plain is not JSON/)
    expect(warnings()[0]).not.toContain('secret')
  })

  it('explains a stream given up, once', () => {
    const { result } = renderHook(() => useEventSource('/sse', { EventSource: MockEventSource }))
    act(() => latest().fail({ close: true, status: 401 }))
    act(() => result.current.reconnect())
    act(() => latest().fail({ close: true, status: 401 }))
    expect(warnings()).toEqual([
      "use-event-source: gave up on /sse: HTTP 401. It stays in status 'error' until reconnect().",
    ])
  })

  it('names CORS when a server of another origin does not answer at all', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    )
    renderHook(() => useEventSource('http://127.0.0.1:3001/sse', { transport: 'fetch', reconnect: false }))
    await vi.waitFor(() => expect(warnings()).toHaveLength(2))
    expect(warnings()[0]).toMatch(/^use-event-source: no answer from http:\/\/127.0.0.1:3001\/sse .*CORS headers/)
    expect(warnings()[1]).toMatch(/^use-event-source: gave up on http:\/\/127.0.0.1:3001\/sse/)
  })

  it('says nothing of a stream that works', () => {
    renderHook(() => useEventSource('/sse', { EventSource: MockEventSource }))
    act(() => latest().open().emit(1).fail())
    act(() => latest().open())
    expect(warnings()).toEqual([])
  })
})
