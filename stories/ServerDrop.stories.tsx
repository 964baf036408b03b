import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Stat, Stats, StatusTimeline } from './ui'

/** The server ends the response after three events; the browser reconnects by itself and resumes after Last-Event-ID. */
function ServerDrop() {
  const { data, status, lastEventId, history } = useEventSource<{ count: number }>('/sse/flaky', { history: 12 })
  return (
    <Card
      title="Status through a server drop"
      status={status}
      notice={[
        'The server ends the response every third event; the browser reconnects itself.',
        'Drops show as `reconnecting`; ids resume after `Last-Event-ID`: no gap, no repeat.',
      ]}
    >
      <Stats>
        <Stat label="event">{data ? `#${data.count}` : '…'}</Stat>
        <Stat label="Last-Event-ID">{lastEventId || '–'}</Stat>
      </Stats>
      <StatusTimeline status={status} />
      <output aria-label="ids" style={{ display: 'flex', gap: 4, fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
        {history.map((message) => (
          <span
            key={message.id}
            style={{ padding: '2px 6px', borderRadius: 4, background: '#ecfdf5', color: '#047857' }}
          >
            {message.id}
          </span>
        ))}
      </output>
    </Card>
  )
}

const meta = { title: 'Status badge: drop and recovery', component: ServerDrop } satisfies Meta<typeof ServerDrop>
export default meta

export const DropAndResume: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('timeline')).toHaveTextContent('open → reconnecting → open'), {
      timeout: 8000,
    })
    // Resumed, not restarted: the numbering goes on past the three events of the first response, with no gap.
    await waitFor(() => expect(canvas.getByLabelText('event')).toHaveTextContent(/#([4-9]|\d\d)/), { timeout: 8000 })
    const ids = Array.from(canvas.getByLabelText('ids').children, (id) => Number(id.textContent))
    expect(ids).toEqual(ids.map((_, index) => (ids[0] ?? 0) + index))
  },
}
