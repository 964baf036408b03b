import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Stat, Stats } from './ui'

/** The first event's data is not JSON: `error` says so (with the raw text), the stream stays open, later events show. */
function BadJson() {
  const { data, status, error } = useEventSource<{ price: number }>('/sse/bad-json')
  return (
    <Card
      title="Bad JSON"
      status={status}
      error={error}
      notice={[
        "The first event's data is not JSON: `error` says so, kind `parse`, with the raw text.",
        'The stream stays open: the next events parse and show, the bad one is skipped.',
      ]}
    >
      <Stats>
        <Stat label="price">{data ? data.price : '…'}</Stat>
        <Stat label="raw">
          <code style={{ fontSize: 15, color: '#b91c1c' }}>{error?.raw ?? '–'}</code>
        </Stat>
      </Stats>
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
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^\d+$/), { timeout: 5000 })
    expect(canvas.getByLabelText('status: open')).toBeVisible()
  },
}
