import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Connections, Sparkline, Stat, Stats, StatusBadge } from './ui'

interface Price {
  price: number
}

/** One widget of many, with a hook call of its own on the same url. */
function Widget({ url, number }: { url: string; number: number }) {
  const { data, status } = useEventSource<Price>(url)
  return (
    <li style={{ border: '1px solid #e5e7eb', borderRadius: 8, padding: '6px 8px', fontSize: 12, listStyle: 'none' }}>
      <span style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', color: '#6b7280' }}>
        #{number} <StatusBadge status={status} dot />
      </span>
      <output aria-label="price" style={{ fontSize: 15, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
        {data ? data.price.toFixed(2) : '…'}
      </output>
    </li>
  )
}

/** Twenty widgets and a chart on one url: one connection between them, as the server counts it. */
function SharedConnection({ widgets }: { widgets: number }) {
  const [key] = useState(() => Math.random().toString(36).slice(2))
  const url = `/sse?key=${key}`
  // The chart's own hook: every price folded into the last thirty.
  const chart = useEventSource<Price, { prices: number[]; events: number }>(url, {
    initial: { prices: [], events: 0 },
    reduce: ({ prices, events }, { data }) => ({ prices: [...prices.slice(-29), data.price], events: events + 1 }),
  })
  return (
    <Card
      title={`${widgets} widgets, one connection`}
      status={chart.status}
      notice={[
        `${widgets + 1} hooks read \`/sse\` (${widgets} widgets and the chart): the server holds one connection.`,
        'Each price reaches every widget in the same commit: they never disagree.',
      ]}
    >
      <Stats>
        <Connections streamKey={key} />
        <Stat label="hooks sharing it">{widgets + 1}</Stat>
        <Stat label="events">{chart.data.events}</Stat>
      </Stats>
      <Sparkline
        title="the last thirty prices"
        caption="ACME, the last 30 prices: the chart's hook folds them with reduce"
        length={30}
        range="fit"
        series={[{ label: 'price', color: '#2563eb', values: chart.data.prices }]}
      />
      <ol
        aria-label="widgets"
        style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 1fr)', gap: 6, margin: 0, padding: 0 }}
      >
        {Array.from({ length: widgets }, (_, index) => index + 1).map((number) => (
          <Widget key={number} url={url} number={number} />
        ))}
      </ol>
    </Card>
  )
}

const meta = { title: 'Twenty widgets, one connection', component: SharedConnection } satisfies Meta<
  typeof SharedConnection
>
export default meta

export const TwentyWidgets: StoryObj<typeof meta> = {
  args: { widgets: 20 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const widgets = within(canvas.getByRole('list', { name: 'widgets' }))
    await waitFor(() => expect(widgets.getAllByLabelText('status: open')).toHaveLength(20), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('connections')).toHaveTextContent(/^1$/), { timeout: 5000 })
    expect(canvas.getByText(/^counted (by the server|in the page)/)).toBeVisible()
    // Every widget shows the same price.
    await waitFor(
      () => expect(new Set(widgets.getAllByLabelText('price').map((price) => price.textContent)).size).toBe(1),
      { timeout: 3000 },
    )
  },
}
