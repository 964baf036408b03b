import { type ButtonHTMLAttributes, type ReactNode, useEffect, useRef, useState } from 'react'
import type { EventSourceError, EventSourceStatus } from '../src/index'
import type { ConnectionCount } from '../.storybook/demoStreams'

/**
 * The demos' shared look: a card with a title, the status and two lines on
 * what to notice; number tiles; and live pictures drawn with plain SVG and
 * divs (a sparkline, events against renders, a status timeline, the
 * connections the server holds).
 */

const font = 'system-ui, -apple-system, "Segoe UI", sans-serif'
const muted = '#6b7280'
const line = '#e5e7eb'

export const statusColors: Record<EventSourceStatus, string> = {
  idle: '#9ca3af',
  connecting: '#f59e0b',
  open: '#10b981',
  reconnecting: '#f97316',
  closed: '#6b7280',
  error: '#ef4444',
}

/** The stream's status as a coloured badge (a dot when `dot`), readable by tests as `status: <value>`. */
export function StatusBadge({ status, dot = false }: { status: EventSourceStatus; dot?: boolean }) {
  const style = dot
    ? { display: 'inline-block', width: 8, height: 8, borderRadius: 999, background: statusColors[status] }
    : {
        background: statusColors[status],
        color: 'white',
        borderRadius: 999,
        padding: '2px 10px',
        fontSize: 13,
        fontWeight: 600,
      }
  return (
    <output aria-label={`status: ${status}`} title={status} style={style}>
      {dot ? null : status}
    </output>
  )
}

/** The last failure, if any, as `[kind] message`. */
export function ErrorLine({ error }: { error: EventSourceError | null | undefined }) {
  if (!error) return null
  return (
    <p
      role="alert"
      style={{ margin: 0, padding: '6px 10px', borderRadius: 6, background: '#fef2f2', color: '#b91c1c', fontSize: 13 }}
    >
      [{error.kind}] {error.message}
    </p>
  )
}

/** A demo: its title and status, two lines on what to notice (`code` in backticks), the demo itself, and the last failure. */
export function Card({
  title,
  notice,
  status,
  error,
  children,
}: {
  title: string
  notice: readonly [string, string]
  status?: EventSourceStatus
  error?: EventSourceError | null
  children: ReactNode
}) {
  return (
    <section
      style={{
        fontFamily: font,
        color: '#111827',
        boxSizing: 'border-box',
        width: 640,
        maxWidth: '100%',
        border: `1px solid ${line}`,
        borderRadius: 12,
        padding: '16px 20px 20px',
        boxShadow: '0 1px 3px rgb(0 0 0 / 0.06)',
      }}
    >
      <header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12 }}>
        <h3 style={{ margin: 0, fontSize: 17 }}>{title}</h3>
        {status && <StatusBadge status={status} />}
      </header>
      <p
        style={{
          margin: '8px 0 16px',
          paddingLeft: 10,
          borderLeft: '3px solid #c7d2fe',
          fontSize: 13,
          lineHeight: 1.5,
          color: '#4b5563',
        }}
      >
        {notice.map((sentence) => (
          <span key={sentence} style={{ display: 'block' }}>
            {sentence.split('`').map((part, index) =>
              index % 2 ? (
                <code key={part} style={{ fontSize: 12, color: '#1f2937' }}>
                  {part}
                </code>
              ) : (
                part
              ),
            )}
          </span>
        ))}
      </p>
      <div style={{ display: 'grid', gap: 14 }}>
        {children}
        <ErrorLine error={error} />
      </div>
    </section>
  )
}

/** A row of tiles. */
export function Stats({ children }: { children: ReactNode }) {
  return <div style={{ display: 'grid', gridAutoFlow: 'column', gridAutoColumns: '1fr', gap: 8 }}>{children}</div>
}

/** A number (or short text) under a small label, two columns wide if `wide`; tests find the value by the label. */
export function Stat({
  label,
  children,
  note,
  wide = false,
}: {
  label: string
  children: ReactNode
  note?: ReactNode
  wide?: boolean
}) {
  return (
    <div
      style={{
        gridColumn: wide ? 'span 2' : undefined,
        background: '#f9fafb',
        border: `1px solid ${line}`,
        borderRadius: 8,
        padding: '8px 12px',
        minWidth: 0,
      }}
    >
      <div style={{ fontSize: 11, textTransform: 'uppercase', letterSpacing: 0.4, color: muted }}>{label}</div>
      <output
        aria-label={label}
        style={{ display: 'block', fontSize: 24, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}
      >
        {children}
      </output>
      {note}
    </div>
  )
}

export function Button(props: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      {...props}
      style={{
        font: `600 13px ${font}`,
        padding: '6px 14px',
        borderRadius: 6,
        border: '1px solid #d1d5db',
        background: 'white',
        cursor: 'pointer',
      }}
    />
  )
}

/** A number kept outside React: counting renders must not cause any. */
export interface Counter {
  add: () => void
  read: () => number
}

/**
 * Counts the commits in which the calling component rendered: an effect runs
 * once per commit, while a render may be thrown away, so a ref bumped during
 * render counts nothing real.
 */
export function useCommitCounter(): Counter {
  const [counter] = useState<Counter>(() => {
    let count = 0
    return {
      add: () => {
        count += 1
      },
      read: () => count,
    }
  })
  useEffect(() => counter.add())
  return counter
}

/** Calls `sample` every `every` ms while mounted; the latest function is called, so it may read the latest props. */
export function useEvery(every: number, sample: () => void) {
  const latest = useRef(sample)
  useEffect(() => {
    latest.current = sample
  })
  useEffect(() => {
    const timer = setInterval(() => latest.current(), every)
    return () => clearInterval(timer)
  }, [every])
}

/** Shows `read()`, read again every 250 ms. */
export function Live({ read }: { read: () => number }) {
  const [value, setValue] = useState(read)
  useEvery(250, () => setValue(read()))
  return <>{value.toLocaleString('en')}</>
}

export interface Series {
  label: string
  color: string
  values: readonly number[]
}

/**
 * Lines on one scale (from 0, or fitted around the values with `range: 'fit'`);
 * `length` samples span the width, so a line grows from the left and then
 * scrolls. `steps` draws each value flat until the next one; `caption` goes under it.
 */
export function Sparkline({
  series,
  length,
  range,
  steps = false,
  height = 56,
  title,
  caption,
}: {
  series: readonly Series[]
  length: number
  range?: readonly [number, number] | 'fit'
  steps?: boolean
  height?: number
  title: string
  caption?: ReactNode
}) {
  const all = series.flatMap((one) => one.values)
  const room = Math.max(0.25, (Math.max(...all) - Math.min(...all)) / 10)
  const [low, high] =
    range === 'fit'
      ? all.length
        ? [Math.min(...all) - room, Math.max(...all) + room]
        : [0, 1]
      : (range ?? [0, Math.max(1, ...all)])
  const x = (index: number) => (index / Math.max(1, length - 1)) * 100
  const y = (value: number) => height - 2 - ((value - low) / Math.max(high - low, 1e-9)) * (height - 4)
  const points = (values: readonly number[]) =>
    values.flatMap((value, index) =>
      steps && index > 0
        ? [
            [x(index), y(values[index - 1] ?? value)],
            [x(index), y(value)],
          ]
        : [[x(index), y(value)]],
    )
  const chart = (
    <svg
      viewBox={`0 0 100 ${height}`}
      preserveAspectRatio="none"
      width="100%"
      height={height}
      style={{ display: 'block', background: '#f9fafb', borderRadius: 6 }}
    >
      <title>{title}</title>
      {series.map(({ label, color, values }) => (
        <polyline
          key={label}
          fill="none"
          stroke={color}
          strokeWidth={2}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
          points={points(values).join(' ')}
        />
      ))}
    </svg>
  )
  if (!caption) return chart
  return (
    <figure style={{ margin: 0 }}>
      {chart}
      <figcaption style={{ marginTop: 6, fontSize: 12, color: muted }}>{caption}</figcaption>
    </figure>
  )
}

/** A coloured dash and a label, for a chart's legend. */
function Key({ color, children }: { color: string; children: ReactNode }) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <span style={{ width: 10, height: 3, borderRadius: 2, background: color }} />
      {children}
    </span>
  )
}

const rateColors = { events: '#2563eb', renders: '#db2777' }

/**
 * Events per second against renders per second: `events` is the running
 * count of events (from `reduce`), `renders` the commit counter. Sampled
 * every 200 ms over the last 8 s; while both stay at zero the chart holds
 * still, so a burst stays in view.
 */
export function RateChart({ events, renders }: { events: number; renders: Counter }) {
  const length = 40
  const [chart, setChart] = useState({
    events: [] as number[],
    renders: [] as number[],
    peak: { events: 0, renders: 0 },
  })
  const last = useRef({ at: performance.now(), events, renders: renders.read() })
  useEvery(200, () => {
    const now = { at: performance.now(), events, renders: renders.read() }
    const seconds = (now.at - last.current.at) / 1000
    const rate = {
      events: Math.round((now.events - last.current.events) / seconds),
      renders: Math.round((now.renders - last.current.renders) / seconds),
    }
    last.current = now
    setChart((old) => {
      const quiet = !rate.events && !rate.renders && !old.events.at(-1) && !old.renders.at(-1)
      if (quiet && old.events.length) return old
      return {
        events: [...old.events, rate.events].slice(-length),
        renders: [...old.renders, rate.renders].slice(-length),
        peak: { events: Math.max(old.peak.events, rate.events), renders: Math.max(old.peak.renders, rate.renders) },
      }
    })
  })
  return (
    <figure style={{ margin: 0 }}>
      <Sparkline
        title="events per second against renders per second"
        length={length}
        height={72}
        series={[
          { label: 'events', color: rateColors.events, values: chart.events },
          { label: 'renders', color: rateColors.renders, values: chart.renders },
        ]}
      />
      <figcaption style={{ display: 'flex', gap: 16, marginTop: 6, fontSize: 12, color: muted }}>
        <Key color={rateColors.events}>
          events/s, peak <output aria-label="peak events per second">{chart.peak.events.toLocaleString('en')}</output>
        </Key>
        <Key color={rateColors.renders}>
          renders/s, peak{' '}
          <output aria-label="peak renders per second">{chart.peak.renders.toLocaleString('en')}</output>
        </Key>
      </figcaption>
    </figure>
  )
}

export interface StatusChange {
  status: EventSourceStatus
  /** When the status was first shown (`performance.now()`). */
  at: number
}

/** The statuses the stream went through, oldest first (the last 100), each with the time it was shown. */
export function useStatusTimeline(status: EventSourceStatus): StatusChange[] {
  const [changes, setChanges] = useState<StatusChange[]>([])
  useEffect(
    () =>
      setChanges((all) =>
        all.at(-1)?.status === status ? all : [...all.slice(-99), { status, at: performance.now() }],
      ),
    [status],
  )
  return changes
}

/**
 * The status as coloured stretches of time: since the start (at least five
 * seconds' worth of bar) until `seconds` have passed, then the last `seconds`;
 * and the names of the last six, in order (`idle → connecting → open`).
 */
export function StatusTimeline({ status, seconds = 30 }: { status: EventSourceStatus; seconds?: number }) {
  const changes = useStatusTimeline(status)
  const [now, setNow] = useState(() => performance.now())
  useEvery(200, () => setNow(performance.now()))
  const first = changes[0]?.at ?? now
  const span = Math.min(Math.max(now - first, 5000), seconds * 1000)
  const from = Math.max(first, now - span)
  const position = (at: number) => (Math.max(at, from) - from) / span
  const shown = changes.slice(-6)
  return (
    <figure style={{ margin: 0 }}>
      <div style={{ position: 'relative', height: 14, borderRadius: 4, background: '#f3f4f6', overflow: 'hidden' }}>
        {changes.map((change, index) => {
          const left = position(change.at)
          const width = position(changes[index + 1]?.at ?? now) - left
          return width > 0 ? (
            <div
              key={change.at}
              title={change.status}
              style={{
                position: 'absolute',
                top: 0,
                bottom: 0,
                left: `${left * 100}%`,
                width: `${width * 100}%`,
                background: statusColors[change.status],
              }}
            />
          ) : null
        })}
      </div>
      <figcaption
        style={{ display: 'flex', justifyContent: 'space-between', gap: 12, marginTop: 6, fontSize: 12, color: muted }}
      >
        <output aria-label="timeline">
          {changes.length > shown.length && '… → '}
          {shown.map((change, index) => (
            <span key={change.at}>
              {index > 0 && ' → '}
              <span style={{ color: statusColors[change.status], fontWeight: 600 }}>{change.status}</span>
            </span>
          ))}
        </output>
        <span style={{ whiteSpace: 'nowrap' }}>
          {now - first < seconds * 1000 ? 'since the start' : `last ${seconds} s`}
        </span>
      </figcaption>
    </figure>
  )
}

/**
 * The open streams with `key` in their url, as the demo server counts them
 * (polled twice a second), with the last 15 s as a step line. A static build
 * has no server: the page's stand-in EventSource counts the streams it plays,
 * and the label says so.
 */
export function Connections({ streamKey }: { streamKey: string }) {
  const [count, setCount] = useState<ConnectionCount | null>(null)
  const [recent, setRecent] = useState<number[]>([])
  useEvery(500, () => {
    fetch(`/sse/connections?key=${streamKey}`)
      .then((response) => response.json() as Promise<ConnectionCount>)
      .then((next) => {
        setCount(next)
        setRecent((old) => [...old, next.open].slice(-30))
      })
      .catch(() => setCount(null))
  })
  const counted = !count
    ? 'asking…'
    : count.counter === 'server'
      ? 'counted by the server'
      : 'counted in the page (no server)'
  return (
    <Stat
      label="connections"
      wide
      note={
        <>
          <div style={{ fontSize: 11, color: muted, margin: '2px 0 6px' }}>{counted}</div>
          <Sparkline
            title="open connections, the last 15 s"
            length={30}
            height={20}
            steps
            range={[0, Math.max(2, ...recent)]}
            series={[{ label: 'open', color: '#10b981', values: recent }]}
          />
        </>
      }
    >
      {count?.open ?? '…'}
    </Stat>
  )
}
