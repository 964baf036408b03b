import { Profiler, useEffect, useLayoutEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { type UseEventSourceOptions, useEventSource } from '../../src/index'

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

/**
 * The floor of rendering once per frame: the tutorial hook, coalesced by hand to one setState per animation frame
 * (the latest event's data). It does nothing else (no status, no sharing, no reconnect policy).
 */
function useFrameEventSource<T>(url: string) {
  const [data, setData] = useState<T>()
  useEffect(() => {
    const source = new EventSource(url)
    let latest = ''
    let frame = 0
    source.onmessage = (event) => {
      latest = event.data
      frame ||= requestAnimationFrame(() => {
        frame = 0
        setData(JSON.parse(latest))
      })
    }
    return () => {
      source.close()
      cancelAnimationFrame(frame)
    }
  }, [url])
  return { data }
}

/** An `onMessage` that does nothing: what a callback per event costs, in a column of its own. */
const ignore = () => {}

export type Kind = 'library' | 'library + onMessage' | 'naive' | 'frame'
const hooks: Record<Kind, (url: string) => { data?: { n: number } }> = {
  library: (url) => useEventSource<{ n: number }>(url),
  'library + onMessage': (url) => useEventSource<{ n: number }>(url, { onMessage: ignore }),
  naive: (url) => useNaiveEventSource<{ n: number }>(url),
  frame: (url) => useFrameEventSource<{ n: number }>(url),
}

let commits = 0

function Show({ kind, url }: { kind: Kind; url: string }) {
  const { data } = hooks[kind](url)
  useLayoutEffect(() => {
    commits += 1
  })
  return <span className="n">{data?.n ?? 0}</span>
}

/** The accumulate recipe: a running count and sum, O(1) per event (a copied array would be O(n²)). */
interface Fold {
  count: number
  sum: number
}
const initial: Fold = { count: 0, sum: 0 }
const fold = (state: Fold, n: number): Fold => ({ count: state.count + 1, sum: state.sum + n })

/** The tutorial hook's fold: every event through `setState(prev => ...)`. */
function useNaiveFold(url: string): Fold {
  const [state, setState] = useState(initial)
  useEffect(() => {
    const source = new EventSource(url)
    source.onmessage = (event) => {
      const { n } = JSON.parse(event.data) as { n: number }
      setState((prev) => fold(prev, n))
    }
    return () => source.close()
  }, [url])
  return state
}

/** The library's `reduce` / `initial` options: `data` is the folded state. */
const folds: Partial<Record<Kind, (url: string) => Fold>> = {
  library: (url) =>
    useEventSource<{ n: number }, Fold>(url, { reduce: (state, message) => fold(state, message.data.n), initial }).data,
  naive: useNaiveFold,
}

function Tally({ kind, url }: { kind: Kind; url: string }) {
  const useFold = folds[kind]
  if (!useFold) throw new Error(`no reduce recipe for ${kind}`)
  return <span className="n">{useFold(url).count}</span>
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
  root.render(
    Array.from({ length: components }, (_, i) => `widget-${i}`).map((name) => (
      <Show key={name} kind={kind} url={url} />
    )),
  )
  await until(() => texts().filter((text) => text === '1').length === components, 3000)
  const received = texts().filter((text) => text === '1').length
  return { received, unmount: () => root.unmount() }
}

export type Shape = 'latest' | 'reduce'

/**
 * `widgets` components on one paced stream of `total` events, showing the last event (`latest`) or the count folded so
 * far (`reduce`). One Profiler around them all: its onRender runs once per commit (so this counts distinct commits),
 * after the DOM is updated (so it can compare the widgets' texts). Needs react-dom's profiling build: production
 * ignores Profiler. Ends when every widget shows `total`, or after `timeout` ms (a widget whose stream never came).
 */
async function paced(kind: Kind, shape: Shape, url: string, widgets: number, total: number, timeout: number) {
  if (!profiling) return pacedQuiet(kind, shape, url, widgets, total, timeout)
  const nodes = container.getElementsByClassName('n')
  let commits = 0
  let disagreements = 0
  let frames = 0
  // Frames up to the last commit: the stream as the page saw it, without the wait for widgets that never got one.
  let framesAtLastCommit = 0
  let counting = true
  const countFrame = () => {
    if (!counting) return
    frames += 1
    requestAnimationFrame(countFrame)
  }
  let finish = () => {}
  const done = new Promise<void>((resolve) => {
    finish = resolve
    setTimeout(resolve, timeout)
  })
  const onRender = () => {
    commits += 1
    framesAtLastCommit = frames
    const values = [...nodes].map((node) => node.textContent)
    if (values.some((value) => value !== values[0])) disagreements += 1
    if (values.length === widgets && values.every((value) => value === String(total))) finish()
  }
  const Widget = shape === 'reduce' ? Tally : Show
  const root = createRoot(container)
  requestAnimationFrame(countFrame)
  root.render(
    <Profiler id="paced" onRender={onRender}>
      {Array.from({ length: widgets }, (_, i) => `widget-${i}`).map((name) => (
        <Widget key={name} kind={kind} url={url} />
      ))}
    </Profiler>,
  )
  await done
  counting = false
  const values = texts().map(Number)
  root.unmount()
  return {
    commits,
    frames: Math.max(framesAtLastCommit, 1),
    disagreements,
    /** Widgets that show the last event (`latest`) or the full count (`reduce`). */
    complete: values.filter((value) => value === total).length,
    /** The first widget's final figure: for `reduce`, the count of events folded. */
    final: values[0] ?? 0,
  }
}

/** Whether this is React's profiling build (the page at /profiling/): <Profiler> calls onRender there only. */
const profiling = location.pathname.startsWith('/profiling/')

/**
 * `paced` for the script-time figure, on React's production build: no <Profiler>, no frame counter, no work per
 * commit at all (that work scales with commits, not events, and is the same for any hook), only a check of the
 * widgets' texts every 250 ms to see the end.
 */
async function pacedQuiet(kind: Kind, shape: Shape, url: string, widgets: number, total: number, timeout: number) {
  const Widget = shape === 'reduce' ? Tally : Show
  const root = createRoot(container)
  root.render(
    Array.from({ length: widgets }, (_, i) => `widget-${i}`).map((name) => <Widget key={name} kind={kind} url={url} />),
  )
  const start = performance.now()
  const done = () => {
    const values = texts()
    return values.length === widgets && values.every((value) => value === String(total))
  }
  while (!done() && performance.now() - start < timeout) await new Promise((resolve) => setTimeout(resolve, 250))
  const values = texts().map(Number)
  root.unmount()
  return {
    commits: 0,
    frames: 1,
    disagreements: 0,
    complete: values.filter((value) => value === total).length,
    final: values[0] ?? 0,
  }
}

/** This tab's view of a stream shared across tabs: every `n` received, in order. */
let tabReceived: number[] = []

/** Streams this tab requested itself: followers request none, the leader its stream's. */
let requested = 0

/** Counts the streams this tab requests (EventSource or fetch): the tab that requested one leads. */
function countRequests() {
  const NativeEventSource = globalThis.EventSource
  globalThis.EventSource = class extends NativeEventSource {
    constructor(...args: ConstructorParameters<typeof EventSource>) {
      super(...args)
      requested += 1
    }
  }
  const nativeFetch = globalThis.fetch
  globalThis.fetch = (...args) => {
    requested += 1
    return nativeFetch(...args)
  }
}

/** One tab's hook on a stream shared across tabs: it notes every event's `n`. */
function CrossTab({ url }: { url: string }) {
  const { data } = useEventSource<{ n: number }>(url, {
    crossTab: true,
    onMessage: ({ data }) => tabReceived.push(data.n),
  })
  return <span className="n">{data?.n ?? 0}</span>
}

/** The tutorial hook in a tab: it notes the events it renders. */
function NaiveTab({ url }: { url: string }) {
  const { data } = useNaiveEventSource<{ n: number }>(url)
  useEffect(() => {
    if (data) tabReceived.push(data.n)
  }, [data])
  return <span className="n">{data?.n ?? 0}</span>
}

/**
 * A stream that goes silent with its socket open after event 10 (the server's `silent=10&silentOnce=1`): the ms from
 * event 10 to event 11, which comes once the library noticed and resumed; and whether every event came once, in order.
 */
async function recovery(url: string, options: UseEventSourceOptions<{ n: number }>, timeout: number) {
  const arrivals: { n: number; at: number }[] = []
  function Recovering() {
    const { status } = useEventSource<{ n: number }>(url, {
      ...options,
      onMessage: ({ data }) => arrivals.push({ n: data.n, at: performance.now() }),
    })
    return <span>{status}</span>
  }
  const root = createRoot(container)
  root.render(<Recovering />)
  const start = performance.now()
  while (arrivals.length < 15 && performance.now() - start < timeout) await new Promise((r) => setTimeout(r, 50))
  root.unmount()
  const at = (n: number) => arrivals.find((arrival) => arrival.n === n)?.at ?? Number.NaN
  return { ms: at(11) - at(10), inOrder: arrivals.every((arrival, i) => arrival.n === i + 1) }
}

let mounted: (() => void) | undefined

const bench = {
  flood,
  paced,
  recovery,
  async share(kind: Kind, url: string, components: number) {
    const { received, unmount } = await share(kind, url, components)
    mounted = unmount
    return received
  },
  unmount() {
    mounted?.()
  },
  /** Mounts this tab's hook on a stream shared across tabs; resolves when it has data, or with `false` after `timeout` ms. */
  async tab(kind: Kind, url: string, timeout: number) {
    tabReceived = []
    countRequests()
    createRoot(container).render(kind === 'library' ? <CrossTab url={url} /> : <NaiveTab url={url} />)
    return until(() => tabReceived.length > 0, timeout)
  },
  /** What this tab received so far, and whether it holds the stream. */
  tabState: () => ({ received: tabReceived, leading: requested > 0 }),
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
