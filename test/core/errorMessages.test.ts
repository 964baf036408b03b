import { afterEach, describe, expect, it, vi } from 'vitest'
import { createConnection } from '../../src/core/connection'
import { eventSourceTransport } from '../../src/core/transports/eventSourceTransport'
import { fetchTransport } from '../../src/core/transports/fetch'
import { MockEventSource } from '../../src/testing'
import { quiet, spyHandlers as handlers } from '../support/listeners'

// A url may carry credentials (a token in the query, user:pass@): apps render error.message, so no message shows the url.
const secretUrl = 'https://user:secret@example.com/sse?token=abc#frag'
const messages = (error: ReturnType<typeof vi.fn>) =>
  error.mock.calls.map(([{ kind, message }]) => `${kind}: ${message}`)

afterEach(() => {
  MockEventSource.reset()
  vi.unstubAllGlobals()
})

describe('error messages never show the url', () => {
  it('from the EventSource transport', () => {
    const said = handlers()
    eventSourceTransport(MockEventSource)({ url: secretUrl, lastEventId: '', headers: undefined }, said)
    MockEventSource.latest().fail()
    MockEventSource.latest().fail({ close: true, status: 401 })
    expect(messages(said.error)).toEqual(['network: connection lost', 'http: HTTP 401'])
  })

  it('from the fetch transport', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<h1>Sign in</h1>', { headers: { 'Content-Type': 'text/html' } })),
    )
    const said = handlers()
    fetchTransport({ url: secretUrl, lastEventId: '', headers: undefined }, said)
    await vi.waitFor(() => expect(said.error).toHaveBeenCalled())
    expect(messages(said.error)[0]).toMatch(/^content-type: text\/html is not text\/event-stream/)
    expect(messages(said.error)[0]).not.toMatch(/secret|token|example/)
  })

  it('from the fetch transport, when fetch itself quotes the url in its error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        throw new TypeError(
          `Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: ${url}`,
        )
      }),
    )
    const said = handlers()
    fetchTransport({ url: secretUrl, lastEventId: '', headers: undefined }, said)
    await vi.waitFor(() => expect(said.error).toHaveBeenCalled())
    expect(messages(said.error)[0]).toMatch(
      /^network: Failed to execute 'fetch' on 'Window': .* includes credentials: \(the url\)/,
    )
    expect(messages(said.error)[0]).not.toMatch(/secret|token|example/)
  })

  it('for an invalid url', () => {
    const connection = createConnection('ftp://user:secret@example.com/sse?token=abc')
    const stop = connection.subscribe(quiet(), () => ({ EventSource: MockEventSource }))
    expect(connection.getState().error).toMatchObject({ kind: 'url', message: 'not an http(s) url' })
    stop()
  })
})
