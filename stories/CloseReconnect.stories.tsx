import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Button, Card, Connections, Stat, Stats, StatusTimeline } from './ui'

/** `close()` stops the stream and keeps it stopped; `reconnect()` starts it again at once. The server counts the connection. */
function CloseReconnect() {
  const [key] = useState(() => Math.random().toString(36).slice(2))
  const { data, status, close, reconnect } = useEventSource<{ price: number }>(`/sse?key=${key}`)
  return (
    <Card
      title="Close and reconnect"
      status={status}
      notice={[
        "`close()` ends the stream: the server's count drops to 0, the status says `closed`.",
        '`reconnect()` opens it again at once: back to 1 connection, and prices resume.',
      ]}
    >
      <Stats>
        <Stat label="price">{data ? data.price.toFixed(2) : '…'}</Stat>
        <Connections streamKey={key} />
      </Stats>
      <div style={{ display: 'flex', gap: 8 }}>
        <Button onClick={close}>Close</Button>
        <Button onClick={reconnect}>Reconnect</Button>
      </div>
      <StatusTimeline status={status} />
    </Card>
  )
}

const meta = { title: 'Close and reconnect', component: CloseReconnect } satisfies Meta<typeof CloseReconnect>
export default meta

export const Buttons: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('status: open')).toBeVisible(), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('connections')).toHaveTextContent(/^1$/), { timeout: 5000 })
    await userEvent.click(canvas.getByRole('button', { name: 'Close' }))
    expect(canvas.getByLabelText('status: closed')).toBeVisible()
    await waitFor(() => expect(canvas.getByLabelText('connections')).toHaveTextContent(/^0$/), { timeout: 5000 })
    await userEvent.click(canvas.getByRole('button', { name: 'Reconnect' }))
    await waitFor(() => expect(canvas.getByLabelText('status: open')).toBeVisible(), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('connections')).toHaveTextContent(/^1$/), { timeout: 5000 })
    expect(canvas.getByLabelText('timeline')).toHaveTextContent(/open → closed → (connecting → )?open$/)
  },
}
