import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, StatusBadge, useStatusTimeline } from './ui'

/** The server ends the response after three events; the browser reconnects by itself and resumes after Last-Event-ID. */
function ServerDrop() {
  const { data, status, lastEventId } = useEventSource<{ count: number }>('/sse/flaky')
  const seen = useStatusTimeline(status)
  return (
    <Card title="Status through a server drop">
      <StatusBadge status={status} />
      <output aria-label="count">{data ? `event #${data.count} (Last-Event-ID ${lastEventId})` : 'waiting…'}</output>
      <output aria-label="timeline" style={{ fontSize: 13, color: '#6b7280' }}>
        {seen.join(' → ')}
      </output>
    </Card>
  )
}

const meta = { title: 'Status badge: drop and recovery', component: ServerDrop } satisfies Meta<typeof ServerDrop>
export default meta

export const DropAndResume: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('timeline')).toHaveTextContent('open → reconnecting → open'), { timeout: 8000 })
    // Resumed, not restarted: the numbering goes on past the three events of the first response.
    await waitFor(() => expect(canvas.getByLabelText('count')).toHaveTextContent(/event #[4-9]/), { timeout: 8000 })
  },
}
