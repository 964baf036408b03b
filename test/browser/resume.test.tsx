import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { type UseEventSourceOptions, useEventSource } from '../../src/index'
import { serverStats, streamUrl } from '../support/server'

// Real Chromium and its EventSource against the scenario server on 127.0.0.1, with ids in Hangul (`ids=hangul`: 알림-n).
afterEach(cleanup)

/** Records the id of every event the hook receives. */
function Ids({ url, options, ids }: { url: string; options?: UseEventSourceOptions<{ n: number }>; ids: string[] }) {
  const { status } = useEventSource<{ n: number }>(url, { ...options, onMessage: ({ id }) => ids.push(id) })
  return <p>{status}</p>
}

const expected = (count: number) => Array.from({ length: count }, (_, i) => `알림-${i + 1}`)
/** The Last-Event-ID a request carried, decoded as the server reads it: UTF-8 bytes. */
const sentIds = async (key: string) =>
  (await serverStats(key)).headers.map((headers) => {
    const value = headers['last-event-id']
    return typeof value === 'string' ? new TextDecoder().decode(Uint8Array.from(value, (c) => c.charCodeAt(0))) : null
  })

describe('resuming with ids that are not Latin-1', () => {
  it('after the browser gave up (a 503 to its own reconnect), resumes through fetch: no event missed or repeated', async () => {
    // 1: events 1-3 and the end; 2: the browser's own reconnect gets a 503 and gives up; 3: the library's, through fetch.
    const { url, key } = streamUrl({ ids: 'hangul', count: 3, end: 1, retry: 100, status: 503, after: 1, times: 1 })
    const ids: string[] = []
    render(<Ids url={url} ids={ids} />)
    await waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(6), { timeout: 8000 })
    expect(ids.slice(0, 6)).toEqual(expected(6))
    expect((await sentIds(key)).slice(0, 3)).toEqual([null, '알림-3', '알림-3'])
  })

  it('through fetch (request headers), resumes after the server ends the stream', async () => {
    const { url, key } = streamUrl({ ids: 'hangul', count: 3, end: 1 })
    const ids: string[] = []
    render(<Ids url={url} ids={ids} options={{ headers: () => ({ Authorization: 'Bearer t0ken' }) }} />)
    await waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(6), { timeout: 8000 })
    expect(ids.slice(0, 6)).toEqual(expected(6))
    expect((await sentIds(key)).slice(0, 2)).toEqual([null, '알림-3'])
  })

  it('through fetch, survives a server that dies mid-stream: no uncaught error, and it resumes', async () => {
    const { url, key } = streamUrl({ ids: 'hangul', count: 2, drop: 1 })
    const ids: string[] = []
    render(<Ids url={url} ids={ids} options={{ headers: () => ({ Authorization: 'Bearer t0ken' }) }} />)
    await waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(4), { timeout: 8000 })
    expect(ids.slice(0, 4)).toEqual(expected(4))
    expect((await sentIds(key))[1]).toBe('알림-2')
  })
})
