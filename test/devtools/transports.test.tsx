import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { UseEventSourceOptions } from '../../src'
import { getStreams, subscribeToStreams } from '../../src/devtools'
import { useEventSource } from '../../src/index'
import { MockEventSource } from '../../src/testing'
import { stubLocks } from '../support/fakeLocks'
import { streamUrl } from '../support/server'

// Real timers, and the test server on 127.0.0.1: each transport as the hook chooses it.
let stop: (() => void) | undefined
afterEach(() => {
  cleanup()
  stop?.()
  vi.unstubAllGlobals()
  MockEventSource.reset()
})

function Stream({ url, options }: { url: string; options?: UseEventSourceOptions<unknown> }) {
  return <>{useEventSource(url, options).status}</>
}

/** The transport the panel names for a stream opened with `options`, once it is open. */
async function transportOf(options?: UseEventSourceOptions<unknown>) {
  stop = subscribeToStreams(() => {})
  render(<Stream url={streamUrl({ count: 1000, interval: 50 }).url} options={options} />)
  await vi.waitFor(() => expect(getStreams()[0]?.status).toBe('open'), { timeout: 3000 })
  return getStreams()[0]?.transport
}

describe('the transport the devtools name', () => {
  it('is the polyfill where there is no EventSource (jsdom has none)', async () => {
    expect(await transportOf()).toBe('polyfill')
  })

  it('is native for the global EventSource', async () => {
    vi.stubGlobal('EventSource', MockEventSource)
    stop = subscribeToStreams(() => {})
    render(<Stream url={streamUrl().url} />)
    await vi.waitFor(() => expect(MockEventSource.instances).toHaveLength(1))
    MockEventSource.latest().open()
    await vi.waitFor(() => expect(getStreams()[0]).toMatchObject({ status: 'open', transport: 'native' }), {
      timeout: 3000,
    })
  })

  it('is fetch for a stream that goes through fetch (here, where there is no EventSource, headers go through the polyfill)', async () => {
    expect(await transportOf({ transport: 'fetch', headers: { 'X-Client': 'test' } })).toBe('fetch')
  })

  it("is the leader's for a cross-tab stream this tab connects", async () => {
    stubLocks()
    expect(await transportOf({ crossTab: true })).toBe('cross-tab leader (polyfill)')
  })
})
