import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { type Events, useEventSource } from '../src/index'
import { Card, StatusBadge } from './ui'

type Colors = Events<{ red: { count: number }; blue: { count: number } }>

/** `event: red` and `event: blue` from one stream; `event` says which one produced `data`. */
function NamedEvents() {
  const { event, data, status, history } = useEventSource<Colors>('/sse/colors', { events: ['red', 'blue'], history: 8 })
  return (
    <Card title="Named events">
      <StatusBadge status={status} />
      <output aria-label="latest" style={{ fontSize: 24, color: event ?? 'inherit' }}>
        {event ? `${event} #${data.count}` : 'waiting…'}
      </output>
      <output aria-label="history" style={{ display: 'flex', gap: 4 }}>
        {history.map((message) => (
          <span key={message.id} title={message.event} style={{ width: 20, height: 20, borderRadius: 4, background: message.event }} />
        ))}
      </output>
    </Card>
  )
}

const meta = { title: 'Named events', component: NamedEvents } satisfies Meta<typeof NamedEvents>
export default meta

export const RedAndBlue: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('latest')).toHaveTextContent(/^red #\d+$/), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('latest')).toHaveTextContent(/^blue #\d+$/), { timeout: 5000 })
    expect(canvas.getByLabelText('history').children.length).toBeGreaterThanOrEqual(2)
  },
}
