import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { type Events, useEventSource } from '../src/index'
import { Card, ErrorLine, StatusBadge } from './ui'

type Answer = Events<{ token: { token: string }; done: null }>

/**
 * An LLM-style endpoint: the prompt goes up as a JSON body in a POST, the
 * answer comes down a token at a time. `body` makes the hook stream through
 * fetch (loaded on demand); tokens accumulate in `onMessage`, which sees every
 * one, while React renders once per frame. `event: done` closes the stream.
 */
function LlmStream() {
  const [prompt, setPrompt] = useState('Why Server-Sent Events?')
  const [question, setQuestion] = useState<{ prompt: string; asked: number } | null>(null)
  const [answer, setAnswer] = useState('')
  const stream = useEventSource<Answer>(question && '/sse/llm', {
    body: question ?? undefined,
    events: ['token', 'done'],
    onMessage: (message) => (message.event === 'token' ? setAnswer((text) => text + message.data.token) : stream.close()),
  })
  const ask = () => {
    setAnswer('')
    setQuestion({ prompt, asked: (question?.asked ?? 0) + 1 })
  }
  return (
    <Card title="LLM token streaming (POST)">
      <input aria-label="prompt" value={prompt} onChange={(event) => setPrompt(event.target.value)} style={{ width: '70%' }} />{' '}
      <button type="button" onClick={ask}>
        Ask
      </button>{' '}
      <StatusBadge status={stream.status} />
      <output aria-label="answer" style={{ display: 'block', minHeight: 48, marginTop: 12, whiteSpace: 'pre-wrap' }}>
        {answer}
      </output>
      <ErrorLine error={stream.error} />
    </Card>
  )
}

const meta = { title: 'LLM token streaming (POST)', component: LlmStream } satisfies Meta<typeof LlmStream>
export default meta

export const AskAndStream: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    expect(canvas.getByLabelText('status: idle')).toBeVisible()
    await userEvent.clear(canvas.getByLabelText('prompt'))
    await userEvent.type(canvas.getByLabelText('prompt'), 'Is it fast?')
    await userEvent.click(canvas.getByRole('button', { name: 'Ask' }))
    await waitFor(() => expect(canvas.getByLabelText('status: closed')).toBeVisible(), { timeout: 8000 })
    expect(canvas.getByLabelText('answer')).toHaveTextContent(/^You asked: “Is it fast\?”\. \S.+\.$/)
  },
}
