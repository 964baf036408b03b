import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, ErrorLine, StatusBadge } from './ui'

interface Price {
  symbol: string
  price: number
  time: string
}

/** The card's example: `const { data, status } = useEventSource('/sse')`. */
function Ticker() {
  const { data, status, error } = useEventSource<Price>('/sse')
  return (
    <Card title="Live JSON ticker">
      <StatusBadge status={status} />
      <output aria-label="price" style={{ fontSize: 32, margin: '12px 0' }}>
        {data ? `${data.symbol} ${data.price.toFixed(2)}` : 'waiting for the first price…'}
      </output>
      <ErrorLine error={error} />
    </Card>
  )
}

const meta = { title: 'Live JSON ticker', component: Ticker } satisfies Meta<typeof Ticker>
export default meta

export const Default: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('status: open')).toBeVisible(), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^ACME \d+\.\d\d$/), { timeout: 5000 })
  },
}
