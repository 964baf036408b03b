import { useRef, useState } from 'react'
import type { InspectedStream } from './inspect'
import type { InspectedEvent } from './tally'

/** `hh:mm:ss.mmm`, local time. */
const clockTime = (at: number) => `${new Date(at).toTimeString().slice(0, 8)}.${String(at % 1000).padStart(3, '0')}`

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** One stream in the panel: what carries it, its figures and timeline, its retry, its failure, its actions and last events. */
export function StreamRow({ stream }: { stream: InspectedStream }) {
  const { status, error, retryIn, retries } = stream
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
        <span className="actions">
          <button type="button" onClick={stream.reconnect} aria-label={`Reconnect ${stream.url}`}>
            Reconnect
          </button>
          {/* Never disabled: a button that disables itself drops the keyboard's focus on the page. */}
          <button type="button" onClick={stream.close} aria-label={`Close ${stream.url}`}>
            Close
          </button>
        </span>
      </div>
      <dl>
        <Figure name="hooks" value={stream.hooks} title="Hooks subscribed to the stream" />
        <Figure name="events" value={stream.events} title="Events received since the devtools began to watch" />
        <Figure name="events/s" value={stream.eventsPerSecond} title="Events received in the last second" />
        <Figure
          name="renders/s"
          value={stream.rendersPerSecond}
          title="Renders of the stream's hooks in the last second (hooks told together count once)"
        />
        <Figure
          name="last id"
          value={stream.lastEventId || '–'}
          title="The last event id, sent when the library reconnects"
        />
        <Figure
          name="retries"
          value={retries}
          title="The library's retries since the stream last opened, the pending one included"
        />
        <Figure
          name="silent"
          value={stream.silentFor === null ? '–' : seconds(stream.silentFor)}
          title="Time since the open stream last received anything (an event, a comment), to half a second"
        />
      </dl>
      <Timeline slots={stream.timeline} />
      {retryIn !== null ? (
        <p className="countdown">
          retry {retries} in {seconds(retryIn)}
        </p>
      ) : (
        status === 'reconnecting' && (
          <p className="countdown">an attempt is under way, or the browser retries by itself (its time is its own)</p>
        )
      )}
      {stream.hint && <p className="hint">{stream.hint}</p>}
      {error && (
        <p className="failure">
          [{error.kind}] {error.message}
          {error.status && !error.message.includes(`HTTP ${error.status}`) ? ` · HTTP ${error.status}` : ''}
        </p>
      )}
      <RecentEvents recent={stream.recent} />
    </li>
  )
}

function Figure({ name, value, title }: { name: string; value: string | number; title: string }) {
  return (
    <div title={title}>
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
    <svg
      className="timeline"
      viewBox={`0 0 ${slots.length} 10`}
      preserveAspectRatio="none"
      aria-label={`events per 100 ms over 5 s, at most ${top}`}
    >
      <path d={bars} />
    </svg>
  )
}

/**
 * The last events, newest first. While the pointer or the focus is on the
 * list it holds still, so that a row of a busy stream can be read and copied
 * (and a focused button is not taken away).
 */
function RecentEvents({ recent }: { recent: readonly InspectedEvent[] }) {
  const [held, setHeld] = useState<readonly InspectedEvent[] | null>(null)
  const holders = useRef({ pointer: false, focus: false })
  const hold = (by: 'pointer' | 'focus', on: boolean) => {
    holders.current[by] = on
    const { pointer, focus } = holders.current
    setHeld((list) => (pointer || focus ? (list ?? recent) : null))
  }
  const shown = held ?? recent
  return (
    <details>
      <summary>
        Last events ({shown.length}){held && ' · held still while you read them'}
      </summary>
      <ol
        onPointerEnter={() => hold('pointer', true)}
        onPointerLeave={() => hold('pointer', false)}
        onFocus={() => hold('focus', true)}
        onBlur={(event) => event.currentTarget.contains(event.relatedTarget) || hold('focus', false)}
      >
        {[...shown].reverse().map((event) => (
          <EventRow key={event.n} event={event} />
        ))}
      </ol>
    </details>
  )
}

function EventRow({ event }: { event: InspectedEvent }) {
  const [result, setResult] = useState<'Copied' | 'Selected: copy it' | null>(null)
  const code = useRef<HTMLElement>(null)
  // Where the clipboard is refused (a page on plain http, a denied permission), the text is selected for the user to copy.
  const select = () => {
    if (code.current) getSelection()?.selectAllChildren(code.current)
    setResult('Selected: copy it')
  }
  const copy = () => {
    const written = navigator.clipboard?.writeText(event.data)
    if (written) written.then(() => setResult('Copied'), select)
    else select()
  }
  return (
    <li>
      <span>
        <span className="muted">{clockTime(event.at)}</span> <strong>{event.type}</strong>
        {event.id && <span className="muted"> #{event.id}</span>}
      </span>
      <code ref={code}>{event.data}</code>
      <button type="button" onClick={copy} aria-live="polite">
        {result ?? 'Copy'} <span className="hidden">event {event.n}</span>
      </button>
    </li>
  )
}
