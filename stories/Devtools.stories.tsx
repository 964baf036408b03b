import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { EventSourceDevtools } from '../src/devtools'
import { useEventSource } from '../src/index'
import { Card, Stat, Stats } from './ui'

interface Price {
  price: number
}

/** A price, shown twice: two hooks on one stream, which the panel counts as one stream with 2 hooks. */
function PriceTile({ label }: { label: string }) {
  const { data } = useEventSource<Price>('/sse')
  return <Stat label={label}>{data ? data.price.toFixed(2) : '…'}</Stat>
}

/** The page the panel watches: a shared ticker, a firehose, a server that is down, and a stream that needs a token. */
function Devtools() {
  const firehose = useEventSource<{ n: number }>('/sse/firehose')
  const down = useEventSource('/sse/down')
  const denied = useEventSource('/sse/auth?token=not-shown')
  return (
    <>
      <Card
        title="Devtools: every stream of the page, live"
        notice={[
          'The panel (bottom right) lists every stream: status, transport, hooks, events and renders per second, the next retry, the last events.',
          'Here: a ticker two tiles share, a firehose of up to 250 events a second (rendered once per frame), a server that answers 503 (backoff), and a 401.',
        ]}
      >
        <Stats>
          <PriceTile label="price" />
          <PriceTile label="same price" />
          <Stat label="firehose">{firehose.data?.n ?? '…'}</Stat>
        </Stats>
        <Stats>
          <Stat label="down">{down.status}</Stat>
          <Stat label="denied">{denied.status}</Stat>
        </Stats>
      </Card>
      <EventSourceDevtools initialIsOpen />
    </>
  )
}

const meta = {
  title: 'Devtools: every stream of the page',
  component: Devtools,
  // This story renders its panel open; the one every other demo gets is left out.
  parameters: { devtools: false },
} satisfies Meta<typeof Devtools>
export default meta

/** The panel's shadow root, as a container testing-library can query. */
const panel = () => document.querySelector('use-event-source-devtools')?.shadowRoot as unknown as HTMLElement

export const FourStreams: StoryObj<typeof meta> = {
  play: async () => {
    await waitFor(() => expect(panel()).toBeTruthy())
    const devtools = within(panel())
    const row = (name: RegExp) => within(devtools.getByRole('listitem', { name }))
    await waitFor(() => expect(devtools.getByRole('listitem', { name: '/sse: open' })).toBeVisible(), {
      timeout: 10_000,
    })
    expect(row(/^\/sse: /).getByText('hooks').nextSibling).toHaveTextContent('2')
    await waitFor(() => expect(row(/^\/sse\/auth/).getByText(/HTTP 401/)).toBeVisible(), { timeout: 10_000 })
    // The query's values are never shown.
    expect(panel().textContent).not.toContain('not-shown')
    await waitFor(() => expect(row(/^\/sse\/down: reconnecting/).getByText(/^retry \d+ in \d+\.\d s$/)).toBeVisible(), {
      timeout: 10_000,
    })
    // The firehose: hundreds of events a second, rendered at most once per frame.
    await waitFor(
      () => {
        const figures = row(/^\/sse\/firehose: open/)
        const events = Number(figures.getByText('events/s').nextSibling?.textContent?.replace(/,/g, ''))
        const renders = Number(figures.getByText('renders/s').nextSibling?.textContent)
        expect(events).toBeGreaterThan(100)
        expect(renders).toBeLessThan(events / 1.5)
      },
      { timeout: 10_000 },
    )
  },
}
