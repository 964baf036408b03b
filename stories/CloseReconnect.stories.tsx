import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, StatusBadge } from './ui'

/** `close()` stops the stream and keeps it stopped; `reconnect()` starts it again at once. */
function CloseReconnect() {
  const { data, status, close, reconnect } = useEventSource<{ price: number }>('/sse')
  return (
    <Card title="Close and reconnect">
      <StatusBadge status={status} />
      <output aria-label="price">{data ? `price ${data.price.toFixed(2)}` : 'no data'}</output>
      <button type="button" onClick={close}>
        Close
      </button>{' '}
      <button type="button" onClick={reconnect}>
        Reconnect
      </button>
    </Card>
  )
}

const meta = { title: 'Close and reconnect', component: CloseReconnect } satisfies Meta<typeof CloseReconnect>
export default meta

export const Buttons: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('status: open')).toBeVisible(), { timeout: 5000 })
    await userEvent.click(canvas.getByRole('button', { name: 'Close' }))
    expect(canvas.getByLabelText('status: closed')).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Reconnect' }))
    await waitFor(() => expect(canvas.getByLabelText('status: open')).toBeVisible(), { timeout: 5000 })
  },
}
