import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, ErrorLine, StatusBadge, useStatusTimeline } from './ui'

/**
 * The server answers 503 twice (a deploy), then streams. The browser's
 * EventSource gives up on a 503 for good; the hook's policy recreates it with
 * backoff and jitter, and the status says `reconnecting` meanwhile.
 */
function RetryPolicy({ session }: { session: string }) {
  const [failures, setFailures] = useState(0)
  const { data, status, error } = useEventSource<{ price: number }>(`/sse/unstable?session=${session}`, {
    onError: () => setFailures((count) => count + 1),
  })
  const seen = useStatusTimeline(status)
  return (
    <Card title="A server error and the retry policy">
      <StatusBadge status={status} />
      <output aria-label="price">{data ? `price ${data.price.toFixed(2)}` : 'no data yet'}</output>
      <ErrorLine error={error} />
      <output aria-label="timeline" style={{ fontSize: 13, color: '#6b7280' }}>
        {seen.join(' → ')}
      </output>
      <output aria-label="failures" style={{ fontSize: 13 }}>
        {failures} failures reported to onError
      </output>
    </Card>
  )
}

const meta = { title: 'Server error and retry policy', component: RetryPolicy } satisfies Meta<typeof RetryPolicy>
export default meta

export const RecoversFromTwo503s: StoryObj<typeof meta> = {
  args: { session: Math.random().toString(36).slice(2) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('status: open')).toBeVisible(), { timeout: 10_000 })
    expect(canvas.getByLabelText('timeline')).toHaveTextContent(/^idle → connecting → reconnecting → open$/)
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^price \d/), { timeout: 5000 })
  },
}
