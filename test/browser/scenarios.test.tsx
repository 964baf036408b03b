import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { type EventSourceResult, type UseEventSourceOptions, useEventSource } from '../../src/index'
import { serverSawClose, serverStats, sleep, streamUrl } from '../support/server'

// Real Chromium, its native EventSource, and the scenario server on 127.0.0.1 (test/support/sseServer.ts).
afterEach(cleanup)

interface Probe {
  statuses: string[]
  ids: string[]
  result?: EventSourceResult<{ n: number }>
}

const newProbe = (): Probe => ({ statuses: [], ids: [] })

/** Renders what the user would see, and records every committed status and every event id (in `probe`, when a test reads them). */
function Stream({
  url,
  options = {},
  probe = newProbe(),
}: {
  url: string
  options?: UseEventSourceOptions<{ n: number }>
  probe?: Probe
}) {
  const result = useEventSource<{ n: number }>(url, { ...options, onMessage: (m) => probe.ids.push(m.id) })
  probe.result = result
  useEffect(() => {
    probe.statuses.push(result.status)
  }, [result.status, probe])
  return (
    <p data-testid="view">
      {result.status} {result.event ?? '-'} {result.data?.n ?? '-'}{' '}
      {result.error ? `[${result.error.kind}] ${result.error.message}` : ''}
    </p>
  )
}

const view = () => screen.getByTestId('view').textContent ?? ''

describe('in Chromium against a real SSE server', () => {
  it('renders JSON messages', async () => {
    const { url } = streamUrl({ count: 3 })
    render(<Stream url={url} />)
    await waitFor(() => expect(view()).toMatch(/^open message 3 $/))
  })

  it('renders named events', async () => {
    const { url } = streamUrl({ count: 2, event: 'price' })
    render(<Stream url={url} options={{ events: ['price'] }} />)
    await waitFor(() => expect(view()).toMatch(/^open price 2 $/))
  })

  it('resumes after the server ends the response: Last-Event-ID sent, no gap, no duplicate', async () => {
    const { url, key } = streamUrl({ count: 3, end: 1, retry: 200 })
    const probe = newProbe()
    render(<Stream url={url} probe={probe} />)
    await waitFor(() => expect(probe.ids.length).toBeGreaterThanOrEqual(6), { timeout: 5000 })
    cleanup()
    expect(probe.ids.slice(0, 6)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(probe.statuses).toContain('reconnecting')
    const stats = await serverStats(key)
    expect(stats.headers[1]?.['last-event-id']).toBe('3')
  })

  it('recovers by itself from two HTTP 500 answers, showing reconnecting meanwhile', async () => {
    const { url, key } = streamUrl({ status: 500, times: 2, count: 1 })
    const probe = newProbe()
    render(<Stream url={url} probe={probe} />)
    await waitFor(() => expect(view()).toMatch(/^open message 1 $/), { timeout: 8000 })
    expect(probe.statuses).toEqual(['idle', 'connecting', 'reconnecting', 'open'])
    expect((await serverStats(key)).requests).toBe(3)
  })

  it('stops on 204: status closed, and no request within 5 s after the status was known', async () => {
    const { url, key } = streamUrl({ status: 204 })
    const probe = newProbe()
    render(<Stream url={url} probe={probe} />)
    // The native EventSource hides the status: one attempt through fetch learns it is a 204.
    await waitFor(() => expect(probe.result?.status).toBe('closed'), { timeout: 3000 })
    const requests = (await serverStats(key)).requests
    expect(requests).toBeLessThanOrEqual(2)
    await sleep(5000)
    expect((await serverStats(key)).requests).toBe(requests)
    expect(view()).toMatch(/^closed/)
  })

  it('gives up on a 200 that is not an event stream, naming what came: no retry can fix a misrouted url', async () => {
    const { url, key } = streamUrl({ type: 'text/html' })
    const probe = newProbe()
    render(<Stream url={url} probe={probe} />)
    await waitFor(() => expect(probe.result?.status).toBe('error'), { timeout: 5000 })
    expect(probe.result?.error).toMatchObject({ kind: 'content-type', status: 200 })
    expect(view()).toContain('text/html is not text/event-stream')
    // The native EventSource fails without saying why; fetch asks at once and learns the type: the first failure the
    // hook shows is the diagnosis, with no 'reconnecting' in between.
    expect(probe.statuses).toEqual(['idle', 'connecting', 'error'])
    await sleep(3000)
    expect((await serverStats(key)).requests).toBe(2)
  })

  it('survives malformed JSON: the later message is shown and the parse error surfaced', async () => {
    const { url } = streamUrl({ malformed: 1, count: 1 })
    const errors: string[] = []
    render(<Stream url={url} options={{ onError: (error) => errors.push(error.kind) }} />)
    await waitFor(() => expect(view()).toMatch(/^open message 1 \[parse\]/))
    expect(errors).toEqual(['parse'])
  })

  it('closes on unmount: the server sees the connection end within a second', async () => {
    const { url, key } = streamUrl({ count: 1 })
    const { unmount } = render(<Stream url={url} />)
    await waitFor(() => expect(view()).toMatch(/^open message 1/))
    expect((await serverStats(key)).open).toBe(1)
    const start = performance.now()
    unmount()
    await serverSawClose(key)
    console.info(`unmount → server saw the close after ${Math.round(performance.now() - start)} ms`)
  })

  it('opens one connection under StrictMode', async () => {
    const { url, key } = streamUrl({ count: 1 })
    render(
      <StrictMode>
        <Stream url={url} />
      </StrictMode>,
    )
    await waitFor(() => expect(view()).toMatch(/^open message 1/))
    await sleep(200) // a second connection, had one been opened, would show by now
    expect(await serverStats(key)).toMatchObject({ requests: 1, open: 1 })
  })

  it('streams the answer to a POST through fetch, and aborts it on unmount', async () => {
    const { url, key } = streamUrl({ count: 3, interval: 20 })
    const seen: string[] = []
    function Posted() {
      const { status, data } = useEventSource<unknown>(url, {
        body: { prompt: 'hello' },
        events: ['echo', 'message'],
        onMessage: (message) => seen.push(`${message.event}:${JSON.stringify(message.data)}`),
      })
      return <p data-testid="view">{`${status} ${JSON.stringify(data) ?? '-'}`}</p>
    }
    const { unmount } = render(<Posted />)
    await waitFor(() => expect(view()).toBe('open {"n":3}'))
    expect(seen).toEqual(['echo:{"prompt":"hello"}', 'message:{"n":1}', 'message:{"n":2}', 'message:{"n":3}'])
    expect((await serverStats(key)).methods).toEqual(['POST'])
    unmount()
    await serverSawClose(key)
  })
})
