import type { Meta, StoryObj } from '@storybook/react-vite'
import { useRef } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, StatusBadge } from './ui'

/** 2,000 events as fast as the server writes them: one render per frame, every event still counted and the last ten kept. */
function Flood() {
  const renders = useRef(0)
  const received = useRef(0)
  renders.current += 1
  const { data, status, history } = useEventSource<{ n: number }>('/sse/flood', {
    history: 10,
    onMessage: () => {
      received.current += 1
    },
  })
  return (
    <Card title="A flood, rendered once per frame">
      <StatusBadge status={status} />
      <output aria-label="latest" style={{ fontSize: 28 }}>
        {data?.n ?? 0}
      </output>
      <output aria-label="renders">
        {renders.current} renders for {received.current} events
      </output>
      <output aria-label="history" style={{ fontSize: 13, color: '#6b7280' }}>
        last ten: {history.map((message) => message.data.n).join(', ')}
      </output>
    </Card>
  )
}

const meta = { title: 'Flood: throttled rendering and history', component: Flood } satisfies Meta<typeof Flood>
export default meta

export const TwoThousandEvents: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('latest')).toHaveTextContent('2000'), { timeout: 10_000 })
    const [renders = 0, events = 0] = (canvas.getByLabelText('renders').textContent?.match(/\d+/g) ?? []).map(Number)
    expect(events).toBe(2000)
    expect(renders).toBeLessThan(events / 4)
    expect(canvas.getByLabelText('history')).toHaveTextContent('last ten: 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000')
  },
}
