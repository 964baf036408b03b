import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { useEventSource } from '../src/index'
import { Card, Stat, Stats } from './ui'

/**
 * The native EventSource cannot send headers; with `headers` the hook streams
 * through fetch, loaded on demand. The function is called at every connect,
 * so a refreshed token is picked up. A wrong token is a 401: the hook stops
 * (`error`) instead of hammering the server.
 */
function AuthHeaders({ token }: { token: string }) {
  const { data, status, error } = useEventSource<{ price: number }>('/sse/auth', {
    headers: () => ({ Authorization: `Bearer ${token}` }),
  })
  return (
    <Card
      title="Auth headers"
      status={status}
      error={error}
      notice={[
        '`headers: () => ({ Authorization })` goes through fetch, called at every connect.',
        'A wrong token is a 401: the hook stops with `error.status` 401 instead of retrying.',
      ]}
    >
      <Stats>
        <Stat label="token">
          <code style={{ fontSize: 16 }}>{token}</code>
        </Stat>
        <Stat label="price">{data ? data.price.toFixed(2) : '…'}</Stat>
      </Stats>
    </Card>
  )
}

const meta = { title: 'Auth headers', component: AuthHeaders } satisfies Meta<typeof AuthHeaders>
export default meta

export const WithToken: StoryObj<typeof meta> = {
  args: { token: 'demo-token' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('price')).toHaveTextContent(/^\d+\.\d\d$/), { timeout: 5000 })
    expect(canvas.getByLabelText('status: open')).toBeVisible()
  },
}

export const WrongToken: StoryObj<typeof meta> = {
  args: { token: 'expired' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('status: error')).toBeVisible(), { timeout: 5000 })
    expect(canvas.getByRole('alert')).toHaveTextContent('[http]')
    expect(canvas.getByRole('alert')).toHaveTextContent('HTTP 401')
    expect(canvas.getByLabelText('price')).toHaveTextContent('…')
  },
}
