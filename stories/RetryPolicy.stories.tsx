import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Stat, Stats, StatusTimeline } from './ui'

/**
 * The server answers 503 twice (a deploy), then streams. The browser's
 * EventSource gives up on a 503 for good; the hook's policy recreates it with
 * backoff and jitter, and the status says `reconnecting` meanwhile.
 */
function RetryPolicy({ session }: { session: string }) {
  const [failures, setFailures] = useState(0)
  const { data, status, error } = useEventSource<{ price: number }>(`/sse/unstable?session=${session}`, {
    onError: () => setFailures((count) => count + 1), // once per failure, not per event
  })
  return (
    <Card
      title="A server error and the retry policy"
      status={status}
      error={error}
      notice={[
        'The server answers 503 twice (a deploy): a bare EventSource gives up for good.',
        'The hook retries with backoff and jitter, shows `reconnecting`, then streams.',
      ]}
    >
      <Stats>
        <Stat label="price">{data ? data.price.toFixed(2) : '…'}</Stat>
        <Stat label="failures">{failures}</Stat>
      </Stats>
      <StatusTimeline status={status} />
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
    // Two 503s: the browser's EventSource gets the first without a status, and fetch asks at once and gets the second,
    // the one the hook is told of (the first failure shown is the diagnosis). The third request opens.
    expect(canvas.getByLabelText('failures')).toHaveTextContent('1')
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^\d+\.\d\d$/), { timeout: 5000 })
  },
}
