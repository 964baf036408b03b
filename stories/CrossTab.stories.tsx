import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { getStreams } from '../src/devtools'
import { useEventSource } from '../src/index'
import { Card, Connections, Stat, Stats, useEvery } from './ui'

interface Price {
  price: number
}

/** The same url in every tab that shows this story: one of them connects, the others follow it. */
const key = 'cross-tab'
const url = `/sse?key=${key}`

function CrossTab() {
  const { data, status, lastEventId } = useEventSource<Price, { price: number | null; events: number }>(url, {
    crossTab: true,
    initial: { price: null, events: 0 },
    reduce: ({ events }, message) => ({ price: message.data.price, events: events + 1 }),
  })
  const [leading, setLeading] = useState<boolean | null>(null)
  // The devtools' inspection API (Storybook runs a development build) says which tab runs the stream.
  useEvery(250, () => setLeading(getStreams().some((stream) => stream.transport.startsWith('cross-tab leader'))))
  return (
    <Card
      title="One connection for all your tabs"
      status={status}
      notice={[
        'Open this story in a second or third tab (this page’s address, or the story’s “open in a new tab” button): the server still holds one connection, and each tab says whether it connects (leader) or follows. A tab counts the events since it opened.',
        'Close the leader’s tab: another takes over within a second and resumes after the last event id, so no tab misses a price.',
      ]}
    >
      <Stats>
        <Stat
          label="this tab"
          wide
          note={
            <div style={{ fontSize: 11, color: '#6b7280' }}>
              {leading ? 'it connects, and relays to the other tabs' : 'it hears the leader, over a BroadcastChannel'}
            </div>
          }
        >
          {leading === null ? '…' : leading ? 'leader' : 'follower'}
        </Stat>
        <Connections streamKey={key} />
        <Stat label="events">{data.events}</Stat>
        <Stat label="last id">{lastEventId || '–'}</Stat>
      </Stats>
      <output aria-label="price" style={{ fontSize: 28, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
        {data.price === null ? '…' : data.price.toFixed(2)}
      </output>
    </Card>
  )
}

const meta = { title: 'Cross-tab: one connection for every tab', component: CrossTab } satisfies Meta<typeof CrossTab>
export default meta

export const OneConnectionForEveryTab: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByText('leader')).toBeVisible(), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^\d+\.\d\d$/), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('connections')).toHaveTextContent(/^1$/), { timeout: 5000 })
  },
}
