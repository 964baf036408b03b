import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { type Events, useEventSource } from '../src/index'
import { Card } from './ui'

type Colors = Events<{ red: { count: number }; blue: { count: number } }>

const shades = { red: '#ef4444', blue: '#3b82f6' }

/** `event: red` and `event: blue` from one stream; `event` says which one produced `data`, and narrows its type. */
function NamedEvents() {
  const { event, data, status, history } = useEventSource<Colors>('/sse/colors', {
    events: ['red', 'blue'],
    history: 16,
  })
  return (
    <Card
      title="Named events"
      status={status}
      notice={[
        "One stream, two event types: `events: ['red', 'blue']` listens to both.",
        '`event` names the one that produced `data`, and narrows its type; `history` keeps 16.',
      ]}
    >
      <output aria-label="latest" style={{ fontSize: 28, fontWeight: 600, color: event ? shades[event] : '#9ca3af' }}>
        {event ? `${event} #${data.count}` : 'waiting…'}
      </output>
      <output aria-label="history" style={{ display: 'flex', gap: 6, minHeight: 26 }}>
        {history.map((message) => (
          <span
            key={message.id}
            title={`${message.event} #${message.data.count}`}
            style={{ width: 26, height: 26, borderRadius: 6, background: shades[message.event] }}
          />
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
