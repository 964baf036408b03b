import { act, fireEvent, render, within } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { EventSourceDevtools } from '../../src/devtools'
import { useEventSource } from '../../src/index'
import { MockEventSource } from '../../src/testing'
import { latest, withMockStreams } from '../support/mockStreams'

withMockStreams()

/** Lets the devtools' tick (every 250 ms) take a snapshot. */
const tick = () => act(() => vi.advanceTimersByTime(250))
const panel = () => within(document.querySelector('use-event-source-devtools')?.shadowRoot as unknown as HTMLElement)

function Widget({ url }: { url: string }) {
  return <>{useEventSource(url, { EventSource: MockEventSource }).status}</>
}

/** The panel open beside one open stream that sent `count` events. */
function renderWithEvents(count: number) {
  render(
    <>
      <Widget url="/events" />
      <EventSourceDevtools initialIsOpen />
    </>,
  )
  act(() => latest().open())
  act(() => {
    for (let n = 1; n <= count; n++) latest().emit({ n })
  })
  tick()
}

describe('the devtools panel', () => {
  it('renders nothing on the server', () => {
    expect(renderToString(<EventSourceDevtools initialIsOpen />)).toBe('')
  })

  it('names its button by what it shows: SSE and the number of streams', () => {
    render(
      <>
        <Widget url="/one" />
        <EventSourceDevtools />
      </>,
    )
    tick()
    expect(panel().getByRole('button', { name: 'SSE 1 stream: open the EventSource devtools' }).textContent).toMatch(
      /^SSE 1 /,
    )
  })

  it('sits in the corner its position names, and opens there', () => {
    render(<EventSourceDevtools position="top-left" />)
    const toggle = panel().getByRole('button', { name: /^SSE / })
    expect([toggle.style.top, toggle.style.left, toggle.style.bottom, toggle.style.right]).toEqual([
      '12px',
      '12px',
      '',
      '',
    ])
    act(() => fireEvent.click(toggle))
    const section = panel().getByRole('region', { name: 'EventSource devtools' })
    expect([section.style.top, section.style.left]).toEqual(['12px', '12px'])
  })

  it('copies an event, and says so in the button', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    renderWithEvents(1)
    await act(async () => fireEvent.click(panel().getByRole('button', { name: 'Copy event 1', hidden: true })))
    expect(writeText).toHaveBeenCalledWith('{"n":1}')
    expect(panel().getByRole('button', { name: 'Copied event 1', hidden: true })).toBeTruthy()
  })

  it('offers the text to copy by hand where there is no clipboard (the selection itself is tested in Chromium)', () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined })
    renderWithEvents(1)
    act(() => fireEvent.click(panel().getByRole('button', { name: 'Copy event 1', hidden: true })))
    expect(panel().getByRole('button', { name: 'Selected: copy it event 1', hidden: true })).toBeTruthy()
  })

  it('holds the last events still while the pointer is on them, and lets them go on after', () => {
    renderWithEvents(3)
    const list = document
      .querySelector('use-event-source-devtools')
      ?.shadowRoot?.querySelector('ol') as HTMLOListElement
    const newest = () => list.querySelector('code')?.textContent
    expect(newest()).toBe('{"n":3}')
    fireEvent.pointerEnter(list)
    act(() => latest().emit({ n: 4 }))
    tick()
    expect(newest()).toBe('{"n":3}')
    fireEvent.pointerLeave(list)
    tick()
    expect(newest()).toBe('{"n":4}')
  })
})
