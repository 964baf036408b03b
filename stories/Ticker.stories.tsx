import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Sparkline } from './ui'

interface Price {
  symbol: string
  price: number
  time: string
}

/** The README's first example: `const { data, status } = useEventSource<Price>('/sse')`, with the last thirty prices kept in `history`. */
function Ticker() {
  const { data, status, error, history } = useEventSource<Price>('/sse', { history: 30 })
  return (
    <Card
      title="Live JSON ticker"
      status={status}
      error={error}
      notice={[
        "One call, `useEventSource<Price>('/sse')`: `data` is the parsed JSON, typed.",
        'The badge turns open when the server answers; `history: 30` feeds the chart.',
      ]}
    >
      <output aria-label="price" style={{ fontSize: 36, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
        {data ? `${data.symbol} ${data.price.toFixed(2)}` : 'waiting for the first price…'}
      </output>
      <Sparkline
        title="the last thirty prices"
        caption="ACME, the last 30 prices"
        length={30}
        range="fit"
        series={[{ label: 'price', color: '#2563eb', values: history.map((message) => message.data.price) }]}
      />
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
    // The chart draws a line once a second price came.
    const points = () => canvasElement.querySelector('polyline')?.getAttribute('points')?.split(' ').length ?? 0
    await waitFor(() => expect(points()).toBeGreaterThanOrEqual(2), { timeout: 5000 })
  },
}
