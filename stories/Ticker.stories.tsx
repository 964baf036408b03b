import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEventSource } from '../src/index'

interface Price {
  symbol: string
  price: number
  time: string
}

/** The card's example: `const { data, status } = useEventSource('/sse')`. */
function Ticker() {
  const { data, status, error } = useEventSource<Price>('/sse')
  return (
    <section style={{ fontFamily: 'system-ui', padding: 16 }}>
      <p>
        status: <strong data-testid="status">{status}</strong>
      </p>
      <p data-testid="price" style={{ fontSize: 32 }}>
        {data ? `${data.symbol} ${data.price.toFixed(2)}` : 'waiting for the first price…'}
      </p>
      {error && <p role="alert">{error.message}</p>}
    </section>
  )
}

const meta = { title: 'Live JSON ticker', component: Ticker } satisfies Meta<typeof Ticker>
export default meta

export const Default: StoryObj<typeof meta> = {}
