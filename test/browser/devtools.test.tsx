import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { EventSourceDevtools } from '../../src/devtools'
import { type UseEventSourceOptions, useEventSource } from '../../src/index'
import { serverSawClose, streamUrl } from '../support/server'

// Real Chromium, the panel in its shadow root, and the scenario server on 127.0.0.1.
afterEach(cleanup)

function Stream({ url, options }: { url: string; options?: UseEventSourceOptions<{ n: number }> }) {
  const { status, data } = useEventSource<{ n: number }>(url, options)
  return (
    <p data-testid="view">
      {status} {data?.n ?? '-'}
    </p>
  )
}

/** A stream on `url` with the panel open beside it. */
const renderWithPanel = (url: string, options?: UseEventSourceOptions<{ n: number }>) =>
  render(
    <>
      <Stream url={url} options={options} />
      <EventSourceDevtools initialIsOpen />
    </>,
  )

/** The panel's shadow root, for testing-library's queries. */
function panel() {
  const root = document.querySelector('use-event-source-devtools')?.shadowRoot
  expect(root).toBeTruthy()
  return within(root as unknown as HTMLElement)
}

/** The panel's row for the test server's stream (its url, the query values left out), in `status`. */
const row = (status: string) =>
  panel().getByRole('listitem', { name: new RegExp(`^http://127\\.0\\.0\\.1:\\d+/sse\\?key=…&.*: ${status}$`) })

describe('the devtools panel in Chromium', () => {
  it('lists a stream and follows it: the failures, the retry countdown, then open with its events', async () => {
    const { url } = streamUrl({ status: 500, times: 2, count: 1000, interval: 50 })
    // Each retry waits 2 s, so that its countdown is there to be seen however the snapshot's tick falls.
    renderWithPanel(url, { reconnect: { delay: 2000 } })
    // The browser's EventSource hides the status; fetch asks at once and learns it (the second 500), then retries.
    await waitFor(
      () => {
        expect(within(row('reconnecting')).getByText(/\[http\] HTTP 500/)).toBeVisible()
        expect(within(row('reconnecting')).getByText(/^retry 1 in \d+\.\d s$/)).toBeVisible()
      },
      { timeout: 6000 },
    )
    // The query's values never show: the key is a stand-in for a token.
    expect(panel().queryByText(new RegExp(new URL(url).searchParams.get('key') as string))).toBeNull()
    await waitFor(() => expect(row('open')).toBeVisible(), { timeout: 5000 })
    await waitFor(() =>
      expect(Number(within(row('open')).getByText('events').nextSibling?.textContent)).toBeGreaterThan(3),
    )
    const open = within(row('open'))
    // The library's own retries go through fetch, which learns the status the browser's EventSource hides.
    expect(open.getByText(/^fetch · GET$/)).toBeVisible()
    expect(open.getByText('last id').nextSibling?.textContent).toMatch(/^\d+$/)
  })

  it('closes and reconnects the stream for its hooks', async () => {
    const { url, key } = streamUrl({ count: 1000, interval: 50 })
    renderWithPanel(url)
    await waitFor(() => expect(panel().getByRole('button', { name: /^Close http/ })).toBeEnabled())
    await userEvent.click(panel().getByRole('button', { name: /^Close http/ }))
    await waitFor(() => expect(screen.getByTestId('view').textContent).toMatch(/^closed /))
    await serverSawClose(key)
    await userEvent.click(panel().getByRole('button', { name: /^Reconnect http/ }))
    await waitFor(() => expect(screen.getByTestId('view').textContent).toMatch(/^open \d+$/))
  })

  it('after Close from the keyboard, keeps the focus in the panel, where Escape still closes it', async () => {
    const { url } = streamUrl({ count: 1000, interval: 50 })
    renderWithPanel(url)
    const close = await waitFor(() => panel().getByRole('button', { name: /^Close http/ }))
    close.focus()
    await userEvent.keyboard('{Enter}')
    await waitFor(() => expect(screen.getByTestId('view').textContent).toMatch(/^closed /))
    const root = document.querySelector('use-event-source-devtools')?.shadowRoot as ShadowRoot
    expect(root.activeElement).toBe(close)
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(panel().getByRole('button', { name: /^SSE / })).toBeVisible())
  })

  it('selects an event for the user where the browser refuses the clipboard', async () => {
    const { url } = streamUrl({ count: 3, interval: 20 })
    renderWithPanel(url)
    await waitFor(() => expect(panel().getByText('Last events (3)')).toBeVisible())
    await userEvent.click(panel().getByText('Last events (3)'))
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(
      new DOMException('Write permission denied.', 'NotAllowedError'),
    )
    await userEvent.click(panel().getByRole('button', { name: 'Copy event 3' }))
    await waitFor(() => expect(panel().getByRole('button', { name: 'Selected: copy it event 3' })).toBeVisible())
    expect(String(getSelection())).toBe('{"n":3}')
  })

  it('opens and closes from the keyboard, and keeps out of the page’s layout and styles', async () => {
    const pageStyle = document.createElement('style')
    pageStyle.textContent = 'button { display: none !important } div { padding: 40px !important }'
    document.head.append(pageStyle)
    try {
      render(<EventSourceDevtools />)
      const toggle = await waitFor(() =>
        panel().getByRole('button', { name: /^SSE \d+ streams.*: open the EventSource devtools$/ }),
      )
      expect(toggle).toBeVisible()
      const host = document.querySelector('use-event-source-devtools') as HTMLElement
      expect(host.getBoundingClientRect()).toMatchObject({ width: 0, height: 0 })
      toggle.focus()
      await userEvent.keyboard('{Enter}')
      const heading = await waitFor(() => panel().getByRole('heading', { name: /^Streams/ }))
      expect(heading.getRootNode()).toBe(host.shadowRoot)
      expect((host.shadowRoot as ShadowRoot).activeElement).toBe(heading)
      await userEvent.keyboard('{Escape}')
      await waitFor(() =>
        expect((host.shadowRoot as ShadowRoot).activeElement).toBe(panel().getByRole('button', { name: /^SSE / })),
      )
    } finally {
      pageStyle.remove()
    }
  })
})
