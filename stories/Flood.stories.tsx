import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Live, RateChart, Stat, Stats, useCommitCounter } from './ui'

interface Tally {
  events: number
  lastId: number
}

/**
 * 2,000 events at about 2,000 a second. `reduce` counts every one as it
 * arrives; React renders at most once per frame; `history` keeps the last ten.
 */
function Flood() {
  const renders = useCommitCounter()
  const { data, status, history } = useEventSource<{ n: number }, Tally>('/sse/flood', {
    history: 10,
    initial: { events: 0, lastId: 0 },
    reduce: ({ events }, { data }) => ({ events: events + 1, lastId: data.n }),
  })
  return (
    <Card
      title="A flood, rendered once per frame"
      status={status}
      notice={[
        '2,000 events in a second: `reduce` counts every one, React renders once per frame.',
        'Then the stream stays open and quiet: the count holds at 2,000, none replayed.',
      ]}
    >
      <Stats>
        <Stat label="events">{data.events.toLocaleString('en')}</Stat>
        <Stat label="last id">{data.lastId}</Stat>
        <Stat label="renders">
          <Live read={renders.read} />
        </Stat>
      </Stats>
      <RateChart events={data.events} renders={renders} />
      <output aria-label="history" style={{ fontSize: 12, color: '#6b7280' }}>
        last ten: {history.map((message) => message.data.n).join(', ')}
      </output>
    </Card>
  )
}

const meta = { title: 'Flood: throttled rendering and history', component: Flood } satisfies Meta<typeof Flood>
export default meta

const count = (element: HTMLElement) => Number(element.textContent?.replace(/,/g, ''))

export const TwoThousandEvents: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('events')).toHaveTextContent('2,000'), { timeout: 10_000 })
    expect(canvas.getByLabelText('last id')).toHaveTextContent('2000')
    expect(canvas.getByLabelText('history')).toHaveTextContent(
      'last ten: 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000',
    )
    await waitFor(() => expect(count(canvas.getByLabelText('renders'))).toBeGreaterThan(2), { timeout: 2000 })
    expect(count(canvas.getByLabelText('renders'))).toBeLessThan(2000 / 4)
    await waitFor(() => expect(count(canvas.getByLabelText('peak events per second'))).toBeGreaterThan(0), {
      timeout: 2000,
    })
    expect(count(canvas.getByLabelText('peak renders per second'))).toBeLessThan(
      count(canvas.getByLabelText('peak events per second')),
    )
    // A steady state: still open two seconds later, and still 2,000 (no reconnect, no replay).
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect(canvas.getByLabelText('status: open')).toBeVisible()
    expect(canvas.getByLabelText('events')).toHaveTextContent(/^2,000$/)
  },
}
