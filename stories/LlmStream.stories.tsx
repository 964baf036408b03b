import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Button, Card } from './ui'

/**
 * An LLM-style endpoint: the prompt goes up as a JSON body in a POST, the
 * answer comes down a token at a time. `body` makes the hook stream through
 * fetch (loaded on demand). `reduce` folds each token into the answer as it
 * arrives, and React renders the text at most once per frame, however fast
 * the tokens come. The server ends the response when the answer is
 * complete: a POST is not sent again, so the status becomes `closed`. A new
 * question is a new body, hence a new stream, and the fold starts again from
 * `initial`.
 */
function LlmStream() {
  const [prompt, setPrompt] = useState('Why Server-Sent Events?')
  const [question, setQuestion] = useState<{ prompt: string; asked: number } | null>(null)
  const answer = useEventSource<{ token: string }, string>(question && '/sse/llm', {
    body: question ?? undefined,
    events: ['token'],
    initial: '',
    reduce: (text, { data }) => text + data.token,
  })
  const ask = () => setQuestion({ prompt, asked: (question?.asked ?? 0) + 1 })
  return (
    <Card
      title="LLM token streaming (POST)"
      status={answer.status}
      error={answer.error}
      notice={[
        'The question goes up as a POST body; the answer streams back a token at a time.',
        '`reduce` folds tokens into the answer; the response ends, and the status is `closed`.',
      ]}
    >
      <form
        style={{ display: 'flex', gap: 8 }}
        onSubmit={(event) => {
          event.preventDefault()
          ask()
        }}
      >
        <input
          aria-label="prompt"
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          style={{
            flex: 1,
            font: 'inherit',
            fontSize: 14,
            padding: '6px 10px',
            borderRadius: 6,
            border: '1px solid #d1d5db',
          }}
        />
        <Button type="submit">Ask</Button>
      </form>
      <output
        aria-label="answer"
        style={{
          display: 'block',
          minHeight: 66,
          padding: '10px 12px',
          borderRadius: 8,
          background: '#f9fafb',
          whiteSpace: 'pre-wrap',
          lineHeight: 1.5,
        }}
      >
        {answer.data}
      </output>
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
    // A second question: a new stream, folded from an empty answer again.
    await userEvent.clear(canvas.getByLabelText('prompt'))
    await userEvent.type(canvas.getByLabelText('prompt'), 'Again?')
    await userEvent.click(canvas.getByRole('button', { name: 'Ask' }))
    await waitFor(() => expect(canvas.getByLabelText('answer')).toHaveTextContent(/^You asked: “Again\?”\. \S.+\.$/), {
      timeout: 8000,
    })
    await waitFor(() => expect(canvas.getByLabelText('status: closed')).toBeVisible(), { timeout: 8000 })
  },
}
