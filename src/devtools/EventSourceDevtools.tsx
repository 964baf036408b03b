import { type KeyboardEvent, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react'
import { createPortal } from 'react-dom'
import type { EventSourceStatus } from '../core/types'
import { getStreams, type InspectedEvent, type InspectedStream, subscribeToStreams } from './inspect'
import { styles } from './styles'

export interface EventSourceDevtoolsProps {
  /** Whether the panel is open when the page loads. @default false */
  initialIsOpen?: boolean
  /** The corner of the page the toggle button and the panel sit in. @default 'bottom-right' */
  position?: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left'
}

const NONE: readonly InspectedStream[] = []
const troubled: ReadonlySet<EventSourceStatus> = new Set(['reconnecting', 'error'])

/**
 * A shadow root of its own, on a `<use-event-source-devtools>` element at the
 * end of `document.body`, so that the page's styles and layout and the
 * panel's never meet; `null` until mounted (and on the server).
 */
function useShadowRoot(): ShadowRoot | null {
  const [root, setRoot] = useState<ShadowRoot | null>(null)
  useEffect(() => {
    // An element of its own name, which no rule of the page's for divs or spans can reach.
    const host = document.createElement('use-event-source-devtools')
    // Fixed and sized 0: the host takes no room in the page's layout, and stacks above it.
    host.style.cssText = 'all: initial; position: fixed; width: 0; height: 0; z-index: 2147483000'
    document.body.append(host)
    setRoot(host.attachShadow({ mode: 'open' }))
    return () => host.remove()
  }, [])
  return root
}

function Devtools({ initialIsOpen = false, position = 'bottom-right' }: EventSourceDevtoolsProps) {
  const root = useShadowRoot()
  const [open, setOpen] = useState(initialIsOpen)
  const streams = useSyncExternalStore(subscribeToStreams, getStreams, () => NONE)
  const toggle = useRef<HTMLButtonElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const panelId = useId()
  const wasOpen = useRef(open)
  useEffect(() => {
    // Focus follows the panel: into it when it opens, back to the button when it closes (not on the first render).
    if (wasOpen.current !== open) (open ? heading : toggle).current?.focus()
    wasOpen.current = open
  }, [open])
  if (!root) return null
  const [vertical, horizontal] = position.split('-') as ['top' | 'bottom', 'left' | 'right']
  const corner = { [vertical]: 12, [horizontal]: 12 }
  const troubles = streams.filter((stream) => troubled.has(stream.status)).length
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setOpen(false)
  }
  return createPortal(
    <>
      <style>{styles}</style>
      {open ? (
        <section id={panelId} className="panel" style={corner} aria-label="EventSource devtools" onKeyDown={onKeyDown}>
          <header>
            <h2 ref={heading} tabIndex={-1}>
              Streams <span className="count">{streams.length}</span>
            </h2>
            <button type="button" className="close" aria-label="Close the EventSource devtools" onClick={() => setOpen(false)}>
              ×
            </button>
          </header>
          {streams.length ? (
            <ul>
              {streams.map((stream) => (
                <StreamRow key={stream.key} stream={stream} />
              ))}
            </ul>
          ) : (
            <p className="empty">No stream is open. Streams appear here while a hook holds them (development builds only).</p>
          )}
        </section>
      ) : (
        <button
          ref={toggle}
          type="button"
          className="toggle"
          style={corner}
          aria-expanded={false}
          aria-controls={panelId}
          aria-label={`Open the EventSource devtools: ${streams.length} streams${troubles ? `, ${troubles} in trouble` : ''}`}
          onClick={() => setOpen(true)}
        >
          SSE <span className={troubles ? 'count bad' : 'count'}>{streams.length}</span>
        </button>
      )}
    </>,
    root,
  )
}

/** `hh:mm:ss.mmm`, local time. */
const clockTime = (at: number) => `${new Date(at).toTimeString().slice(0, 8)}.${String(at % 1000).padStart(3, '0')}`

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function StreamRow({ stream }: { stream: InspectedStream }) {
  const { status, error, retryIn, attempt } = stream
  return (
    <li className="stream" aria-label={`${stream.url}: ${status}`}>
      <div className="line">
        <span className={`status ${status}`}>{status}</span>
        <span className="url" title={stream.url}>
          {stream.url}
        </span>
        <span className="muted">
          {stream.transport} · {stream.method}
        </span>
        <button type="button" onClick={stream.reconnect} aria-label={`Reconnect ${stream.url}`}>
          Reconnect
        </button>
        <button type="button" onClick={stream.close} disabled={status === 'closed'} aria-label={`Close ${stream.url}`}>
          Close
        </button>
      </div>
      <dl>
        <Figure name="hooks" value={stream.hooks} />
        <Figure name="events" value={stream.events} />
        <Figure name="events/s" value={stream.eventsPerSecond} />
        <Figure name="renders/s" value={stream.rendersPerSecond} />
        <Figure name="last id" value={stream.lastEventId || '–'} />
        <Figure name="retries" value={attempt} />
      </dl>
      <Timeline slots={stream.timeline} />
      {retryIn !== null && (
        <p className="retry" role="status">
          retry {attempt} in {seconds(retryIn)}
        </p>
      )}
      {error && (
        <p className="error">
          [{error.kind}] {error.message}
          {error.status && !error.message.includes(`HTTP ${error.status}`) ? ` · HTTP ${error.status}` : ''}
        </p>
      )}
      <details>
        <summary>Last events ({stream.recent.length})</summary>
        <ol reversed>
          {[...stream.recent].reverse().map((event) => (
            <EventRow key={event.n} event={event} />
          ))}
        </ol>
      </details>
    </li>
  )
}

function Figure({ name, value }: { name: string; value: string | number }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{typeof value === 'number' ? value.toLocaleString('en') : value}</dd>
    </div>
  )
}

/** Events per tenth of a second as bars: a paced stream is an even band, a buffering proxy tall bars with gaps between them. */
function Timeline({ slots }: { slots: number[] }) {
  const top = Math.max(1, ...slots)
  // One path of bars, each 0.8 wide and as tall as its count, from the bottom (y = 10).
  const bars = slots.map((count, index) => (count ? `M${index} 10v${(-10 * count) / top}h0.8V10z` : '')).join('')
  return (
    <svg className="timeline" viewBox={`0 0 ${slots.length} 10`} preserveAspectRatio="none" aria-label={`events per 100 ms over 5 s, at most ${top}`}>
      <path d={bars} />
    </svg>
  )
}

function EventRow({ event }: { event: InspectedEvent }) {
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null)
  const copy = () =>
    navigator.clipboard?.writeText(event.data).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    ) ?? setCopied('failed')
  return (
    <li>
      <span>
        <span className="muted">{clockTime(event.at)}</span> <strong>{event.type}</strong>
        {event.id && <span className="muted"> #{event.id}</span>}
      </span>
      <code>{event.data}</code>
      <button type="button" onClick={copy} aria-label={`Copy the data of ${event.type} ${event.id}`}>
        {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select it' : 'Copy'}
      </button>
    </li>
  )
}

/**
 * A floating button that opens a panel of every stream of the page, live:
 * status, transport, hooks, rates, retries, the last events. In its own
 * shadow root, so it neither takes room in the page nor meets its styles.
 * Renders nothing in production builds (`process.env.NODE_ENV === 'production'`),
 * where the core has no probe to read.
 */
export const EventSourceDevtools: (props: EventSourceDevtoolsProps) => ReturnType<typeof Devtools> =
  process.env.NODE_ENV === 'production' ? () => null : Devtools
