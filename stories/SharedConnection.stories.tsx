import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, StatusBadge } from './ui'

/** One widget of many, each with its own hook call on the same url. */
function Widget({ url, index }: { url: string; index: number }) {
  const { data, status } = useEventSource<{ price: number }>(url)
  return (
    <div style={{ border: '1px solid #e5e7eb', borderRadius: 8, padding: 6, fontSize: 12 }}>
      #{index + 1} <StatusBadge status={status} /> {data ? data.price.toFixed(2) : '…'}
    </div>
  )
}

/** Twenty widgets on one url share one connection; the server says how many it holds open. */
function SharedConnection({ widgets }: { widgets: number }) {
  const [key] = useState(() => Math.random().toString(36).slice(2))
  const url = `/sse?key=${key}`
  const [open, setOpen] = useState<number | 'n/a' | null>(null)
  useEffect(() => {
    const poll = setInterval(() => {
      fetch(`/sse/connections?key=${key}`)
        .then((response) => (response.ok ? (response.json() as Promise<{ open: number }>) : Promise.reject(new Error(`HTTP ${response.status}`))))
        .then(({ open }) => setOpen(open))
        // No server to ask (a static Storybook build): say so, and stop asking.
        .catch(() => {
          clearInterval(poll)
          setOpen('n/a')
        })
    }, 500)
    return () => clearInterval(poll)
  }, [key])
  return (
    <Card title={`${widgets} widgets, one connection`}>
      <output aria-label="server connections">server connections open: {open ?? '…'}</output>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 6 }}>
        {Array.from({ length: widgets }, (_, index) => index).map((number) => (
          <Widget key={number} url={url} index={number} />
        ))}
      </div>
    </Card>
  )
}

const meta = { title: 'Twenty widgets, one connection', component: SharedConnection } satisfies Meta<typeof SharedConnection>
export default meta

export const TwentyWidgets: StoryObj<typeof meta> = {
  args: { widgets: 20 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getAllByLabelText('status: open')).toHaveLength(20), { timeout: 5000 })
    await waitFor(() => expect(canvas.getByLabelText('server connections')).toHaveTextContent('server connections open: 1'), {
      timeout: 5000,
    })
  },
}
