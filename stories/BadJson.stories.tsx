import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, ErrorLine, StatusBadge } from './ui'

/** The first event's data is not JSON: `error` says so (with the raw text), the stream stays open, later events show. */
function BadJson() {
  const { data, status, error } = useEventSource<{ price: number }>('/sse/bad-json')
  return (
    <Card title="Bad JSON">
      <StatusBadge status={status} />
      <output aria-label="price">{data ? `price ${data.price}` : 'no valid data yet'}</output>
      <ErrorLine error={error} />
      {error?.raw && <output aria-label="raw">
        <code>{error.raw}</code>
      </output>}
    </Card>
  )
}

const meta = { title: 'Bad JSON', component: BadJson } satisfies Meta<typeof BadJson>
export default meta

export const UnparsableThenValid: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByRole('alert')).toHaveTextContent('[parse]'), { timeout: 5000 })
    expect(canvas.getByLabelText('raw')).toHaveTextContent('{"price": 1')
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent('price 1'), { timeout: 5000 })
    expect(canvas.getByLabelText('status: open')).toBeVisible()
  },
}
