import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useEventSource } from '../../src/index'
import { serverStats, sleep, streamUrl } from '../support/server'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

/** Resource entries of the polyfill's chunk that this page fetched. */
const polyfillFetches = () =>
  performance.getEntriesByType('resource').filter((entry) => entry.name.includes('event-source-polyfill'))

function Stream({ url, headers }: { url: string; headers?: () => Record<string, string> }) {
  const { data, status } = useEventSource<{ n: number }>(url, headers ? { headers } : {})
  return <p data-testid="view">{`${status} ${data?.n ?? '-'}`}</p>
}

describe('the transports in Chromium', () => {
  it('never fetch the polyfill where there is an EventSource, not even for headers', async () => {
    const { url, key } = streamUrl({ count: 1 })
    render(<Stream url={url} headers={() => ({ Authorization: 'Bearer t0ken' })} />)
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('open 1'))
    expect((await serverStats(key)).headers.at(-1)?.authorization).toBe('Bearer t0ken')
    expect(polyfillFetches()).toEqual([])
  })

  it('fetch the polyfill only when there is no window.EventSource, and it then delivers the messages', async () => {
    vi.stubGlobal('EventSource', undefined)
    const { url } = streamUrl({ count: 2 })
    render(<Stream url={url} />)
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('open 2'))
    expect(polyfillFetches()).toHaveLength(1)
  })

  it('stop on 204 with headers with no further request at all, since fetch knows the status', async () => {
    const { url, key } = streamUrl({ status: 204 })
    render(<Stream url={url} headers={() => ({ Authorization: 'Bearer t0ken' })} />)
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('closed -'))
    await sleep(5000) // a further request, had one been made, would show by now
    expect((await serverStats(key)).requests).toBe(1)
  })
})
