import { cleanup, render } from '@testing-library/react'
import { Profiler, type ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useEventSource } from '../../src/index'
import { streamUrl } from '../support/server'

// Real Chromium, its frames and its EventSource, against the scenario server on 127.0.0.1: one write per event, one a millisecond.
afterEach(cleanup)

const EVENTS = 400

function Widget({ url }: { url: string }) {
  const { data } = useEventSource<{ n: number }>(url)
  return <span className="n">{data?.n ?? 0}</span>
}

function Answer({ url }: { url: string }) {
  const { data } = useEventSource<{ n: number }, number[]>(url, {
    reduce: (ns, { data }) => [...ns, data.n],
    initial: [],
  })
  return <span className="n">{data.length === EVENTS && data.every((n, i) => n === i + 1) ? EVENTS : data.length}</span>
}

/**
 * Renders `children` under a Profiler until every `.n` shows EVENTS. Counts the commits that showed data, the
 * animation frames meanwhile, and the commits at which the widgets showed different events.
 */
async function measure(children: ReactNode) {
  const texts = () => Array.from(document.querySelectorAll('.n'), (node) => node.textContent)
  let commits = 0
  let disagreed = 0
  let frames = 0
  let counting = false
  const onRender = () => {
    const shown = texts()
    if (shown.every((text) => text === '0')) return // status changes before the first event
    if (!counting) {
      counting = true
      requestAnimationFrame(function count() {
        if (!counting) return
        frames += 1
        requestAnimationFrame(count)
      })
    }
    commits += 1
    if (new Set(shown).size > 1) disagreed += 1
  }
  render(
    <Profiler id="page" onRender={onRender}>
      {children}
    </Profiler>,
  )
  for (let waited = 0; waited < 10_000 && !texts().every((text) => text === String(EVENTS)); waited += 20)
    await new Promise((r) => setTimeout(r, 20))
  counting = false
  return { commits, frames, disagreed, done: texts().every((text) => text === String(EVENTS)) }
}

describe('rendering in Chromium, one write per event', () => {
  it('commits 20 hooks on one url at most once per animation frame, and they never disagree', async () => {
    const { url } = streamUrl({ count: EVENTS, interval: 1 })
    const result = await measure(Array.from({ length: 20 }, (_, i) => <Widget key={String(i)} url={url} />))
    expect(result.done).toBe(true)
    expect(result.commits).toBeLessThanOrEqual(Math.ceil(result.frames * 1.1) + 1)
    expect(result.disagreed).toBe(0)
  })

  it('folds every event with reduce, in order, at most once per animation frame', async () => {
    const { url } = streamUrl({ count: EVENTS, interval: 1 })
    const result = await measure(<Answer url={url} />)
    expect(result.done).toBe(true) // all EVENTS, in order
    expect(result.commits).toBeLessThanOrEqual(Math.ceil(result.frames * 1.1) + 1)
  })
})
