import { act, cleanup, configure, render, renderHook, screen, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Events, useEventSource } from '../src/index'
import { serverSawClose, serverStats, sleep, streamUrl } from './support/server'

// jsdom has no EventSource: every stream here goes through event-source-polyfill, loaded on demand, to a real server.
afterEach(cleanup)
// The first test loads the polyfill chunk, and `npm test` runs Chromium alongside: 1 s (the default) is too short a bound on 2 cores.
configure({ asyncUtilTimeout: 5000 })

function Ticker({ url, events }: { url: string; events?: string[] }) {
  const { data, event, status, lastEventId } = useEventSource<{ n: number }>(url, events ? { events } : {})
  return <p data-testid="out">{`${status} ${event ?? '-'} ${data?.n ?? '-'} #${lastEventId}`}</p>
}

describe('against a real SSE server', () => {
  it('falls back to the polyfill where there is no EventSource, and delivers parsed messages', async () => {
    expect(globalThis.EventSource).toBeUndefined()
    const { url } = streamUrl({ count: 3 })
    render(<Ticker url={url} />)
    await screen.findByText('open message 3 #3')
  })

  it('delivers named events', async () => {
    const { url } = streamUrl({ count: 2, event: 'price' })
    render(<Ticker url={url} events={['price']} />)
    await screen.findByText('open price 2 #2')
  })

  it('closes the connection on unmount: the server sees it end', async () => {
    const { url, key } = streamUrl({ count: 1 })
    const { unmount } = render(<Ticker url={url} />)
    await screen.findByText('open message 1 #1')
    expect((await serverStats(key)).open).toBe(1)
    const unmountedAt = performance.now()
    unmount()
    await serverSawClose(key)
    console.info(`unmount: server saw the close ${Math.round(performance.now() - unmountedAt)} ms after unmount`)
  })

  it('opens one connection under StrictMode', async () => {
    const { url, key } = streamUrl({ count: 1 })
    render(
      <StrictMode>
        <Ticker url={url} />
      </StrictMode>,
    )
    await screen.findByText('open message 1 #1')
    await sleep(100) // a second connection, had one been opened, would show by now
    expect(await serverStats(key)).toMatchObject({ requests: 1, open: 1 })
  })

  it('reports an HTTP error status from the polyfill', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {}) // the polyfill logs every non-200 answer
    const { url } = streamUrl({ status: 401 })
    const { result } = renderHook(() => useEventSource(url))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.error).toMatchObject({ kind: 'http', status: 401 })
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('401'))
    act(() => result.current.close())
  })

  it('serves 20 components on one url with one connection, and closes it after the last unmounts', async () => {
    const { url, key } = streamUrl({ count: 1 })
    const { unmount } = render(
      Array.from({ length: 20 }, (_, i) => `t${i}`).map((name) => <Ticker key={name} url={url} />),
    )
    await waitFor(() => expect(screen.getAllByText('open message 1 #1')).toHaveLength(20))
    expect(await serverStats(key)).toMatchObject({ requests: 1, open: 1 })
    unmount()
    await serverSawClose(key)
  })

  describe('POST streams through fetch', () => {
    type Echo = Events<{ echo: { prompt: string }; message: { n: number } }>

    function Posted({ url }: { url: string }) {
      const { event, data, status } = useEventSource<Echo>(url, {
        body: { prompt: 'hello' },
        events: ['echo', 'message'],
      })
      const text = event === 'echo' ? data.prompt : event === 'message' ? String(data.n) : '-'
      return <p>{`${status} ${event ?? '-'} ${text}`}</p>
    }

    it('POSTs the body and gets its events back', async () => {
      const { url, key } = streamUrl({ count: 2, interval: 50 })
      render(<Posted url={url} />)
      await screen.findByText('open echo hello')
      await screen.findByText('open message 2')
      const stats = await serverStats(key)
      expect(stats.methods).toEqual(['POST'])
      expect(stats.headers[0]).toMatchObject({ 'content-type': 'application/json', accept: 'text/event-stream' })
    })

    it('aborts the request on unmount: the server sees it end', async () => {
      const { url, key } = streamUrl({ count: 1 })
      const { unmount } = render(<Posted url={url} />)
      await screen.findByText('open message 1')
      expect((await serverStats(key)).open).toBe(1)
      unmount()
      await serverSawClose(key)
    })

    it('reports an error status with an excerpt of the body, and stops on a 4xx', async () => {
      const { url, key } = streamUrl({ status: 403 })
      const { result } = renderHook(() => useEventSource(url, { method: 'POST' }))
      await waitFor(() => expect(result.current.status).toBe('error'))
      expect(result.current.error).toMatchObject({ kind: 'http', status: 403 })
      expect(result.current.error?.message).toContain('HTTP 403: status 403')
      expect((await serverStats(key)).requests).toBe(1)
    })
  })
})
