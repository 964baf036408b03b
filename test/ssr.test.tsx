// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { useEventSource } from '../src/index'
import { MockEventSource } from '../src/testing'

function Status({ injected }: { injected: boolean }) {
  const { status, data } = useEventSource<string>('/sse', injected ? { EventSource: MockEventSource } : {})
  return <p>{`${status}:${data ?? 'none'}`}</p>
}

describe('server rendering', () => {
  it('renders idle without window or EventSource, and opens nothing', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof EventSource).toBe('undefined')
    MockEventSource.reset()
    expect(renderToString(<Status injected />)).toBe('<p>idle:none</p>')
    expect(renderToString(<Status injected={false} />)).toBe('<p>idle:none</p>')
    expect(MockEventSource.instances).toHaveLength(0)
  })
})
