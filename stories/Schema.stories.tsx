import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { z } from 'zod'
import { SchemaError, useEventSource } from '../src/schema'
import { Card, Stat, Stats } from './ui'

/** One schema per event name: the hook listens to `price` and `news`, and types `data` by the event. */
const feed = {
  price: z.object({ price: z.number() }),
  news: z.object({ title: z.string() }),
}

function ValidatedFeed() {
  const { data, status, error } = useEventSource('/sse/feed', {
    schema: feed,
    initial: { price: null as number | null, title: '…', valid: 0 },
    reduce: (state, message) =>
      message.event === 'price'
        ? { ...state, price: message.data.price, valid: state.valid + 1 }
        : { ...state, title: message.data.title, valid: state.valid + 1 },
  })
  const rejected = error?.cause instanceof SchemaError ? error.cause : null
  return (
    <Card
      title="Validated events (Standard Schema)"
      status={status}
      notice={[
        'The feed sends `price` and `news` events; `schema: { price, news }` (two zod schemas) listens to both, validates each, and types `data` by its event.',
        'Now and then a price is `"n/a"`: that event is rejected as a `parse` error with the schema’s issues, and the last good price stays.',
      ]}
    >
      <Stats>
        <Stat label="price">{data.price === null ? '…' : data.price.toFixed(2)}</Stat>
        <Stat label="headline" wide>
          <span style={{ fontSize: 16 }}>{data.title}</span>
        </Stat>
        <Stat label="valid events">{data.valid}</Stat>
      </Stats>
      <output
        aria-label="last rejected event"
        style={{
          display: 'block',
          fontSize: 13,
          fontFamily: 'ui-monospace, monospace',
          color: rejected ? '#b91c1c' : '#6b7280',
        }}
      >
        {rejected ? `[${error?.kind}] ${error?.raw} → ${rejected.message}` : 'no event rejected yet'}
      </output>
    </Card>
  )
}

const meta = { title: 'Validated events (Standard Schema)', component: ValidatedFeed } satisfies Meta<
  typeof ValidatedFeed
>
export default meta

export const PriceAndNews: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^\d+\.\d\d$/), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('headline')).not.toHaveTextContent('…'), { timeout: 5000 })
    // Event 5 is a price of "n/a": rejected with the schema's issue, the stream goes on.
    await waitFor(
      () =>
        expect(canvas.getByLabelText('last rejected event')).toHaveTextContent(
          /^\[parse\] \{"price":"n\/a"\} → price: /,
        ),
      { timeout: 8000 },
    )
    expect(canvas.getByLabelText('price')).toHaveTextContent(/^\d+\.\d\d$/)
  },
}
