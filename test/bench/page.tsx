import { useEffect, useLayoutEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { useEventSource } from '../../src/index'

/** The baseline: the fifteen lines every tutorial shows. */
function useNaiveEventSource<T>(url: string) {
  const [data, setData] = useState<T>()
  useEffect(() => {
    const source = new EventSource(url)
    source.onmessage = (event) => setData(JSON.parse(event.data))
    return () => source.close()
  }, [url])
  return { data }
}

export type Kind = 'library' | 'naive'
const hooks: Record<Kind, (url: string) => { data?: { n: number } }> = {
  library: (url) => useEventSource<{ n: number }>(url),
  naive: (url) => useNaiveEventSource<{ n: number }>(url),
}

let commits = 0

function Show({ kind, url }: { kind: Kind; url: string }) {
  const { data } = hooks[kind](url)
  useLayoutEffect(() => {
    commits += 1
  })
  return <span className="n">{data?.n ?? 0}</span>
}

const container = document.getElementById('root') as HTMLElement

/** Resolves when `done()` holds after a DOM change, or with `false` after `timeout` ms. */
function until(done: () => boolean, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => done() && finish(true))
    const timer = setTimeout(() => finish(false), timeout)
    const finish = (ok: boolean) => {
      observer.disconnect()
      clearTimeout(timer)
      resolve(ok)
    }
    observer.observe(container, { subtree: true, childList: true, characterData: true })
    if (done()) finish(true)
  })
}

const texts = () => [...container.querySelectorAll('.n')].map((node) => node.textContent)

async function flood(kind: Kind, url: string, total: number) {
  let frames = 0
  let counting = true
  const countFrame = () => {
    if (!counting) return
    frames += 1
    requestAnimationFrame(countFrame)
  }
  const root = createRoot(container)
  commits = 0
  const start = performance.now()
  requestAnimationFrame(countFrame)
  root.render(<Show kind={kind} url={url} />)
  const ok = await until(() => texts()[0] === String(total), 60_000)
  const ms = performance.now() - start
  counting = false
  const result = { ok, commits, frames, ms }
  root.unmount()
  return result
}

async function share(kind: Kind, url: string, components: number) {
  const root = createRoot(container)
  root.render(Array.from({ length: components }, (_, i) => `widget-${i}`).map((name) => <Show key={name} kind={kind} url={url} />))
  await until(() => texts().filter((text) => text === '1').length === components, 3000)
  const received = texts().filter((text) => text === '1').length
  return { received, unmount: () => root.unmount() }
}

let mounted: (() => void) | undefined

const bench = {
  flood,
  async share(kind: Kind, url: string, components: number) {
    const { received, unmount } = await share(kind, url, components)
    mounted = unmount
    return received
  },
  unmount() {
    mounted?.()
  },
  async cycles(kind: Kind, url: string, count: number) {
    for (let i = 0; i < count; i++) {
      const root = createRoot(container)
      root.render(<Show kind={kind} url={url} />)
      await until(() => texts()[0] === '1', 5000)
      root.unmount()
    }
  },
}

Object.assign(window, { bench })
export type Bench = typeof bench
