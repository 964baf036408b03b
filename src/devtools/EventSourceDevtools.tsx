import { type KeyboardEvent, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { createPortal } from 'react-dom'
import type { EventSourceStatus } from '../core/types'
import { getStreams, type InspectedStream, subscribeToStreams } from './inspect'
import { StreamRow } from './StreamRow'
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
    if (event.key !== 'Escape') return
    event.stopPropagation() // the page's own Escape (a dialog's) is not for the panel's key
    setOpen(false)
  }
  return createPortal(
    <>
      <style>{styles}</style>
      {open ? (
        <section className="panel" style={corner} aria-label="EventSource devtools" onKeyDown={onKeyDown}>
          <header>
            <h2 ref={heading} tabIndex={-1}>
              Streams <span className="count">{streams.length}</span>
            </h2>
            <button
              type="button"
              className="close"
              aria-label="Close the EventSource devtools"
              onClick={() => setOpen(false)}
            >
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
            <p className="empty">
              No stream. Streams appear here while a hook holds them, in development builds, when the panel and your
              hooks come from the same copy of use-event-source.
            </p>
          )}
        </section>
      ) : (
        <button ref={toggle} type="button" className="toggle" style={corner} onClick={() => setOpen(true)}>
          SSE <span className={troubles ? 'count bad' : 'count'}>{streams.length}</span>{' '}
          <span className="hidden">
            {streams.length === 1 ? 'stream' : 'streams'}
            {troubles ? `, ${troubles} reconnecting or failed` : ''}: open the EventSource devtools
          </span>
        </button>
      )}
    </>,
    root,
  )
}

/**
 * A floating button (`SSE`, with the number of streams) that opens a panel of every stream of the page, live:
 * status, transport, hooks, rates, retries, the last events. In its own
 * shadow root, so it neither takes room in the page nor meets its styles.
 * Renders nothing in production builds (`NODE_ENV=production`), where the core
 * lists no connections to read: the devtools' half of the development-only
 * registration (the core's is `src/core/development.ts`), so that the panel's
 * code leaves production bundles.
 */
export const EventSourceDevtools: (props: EventSourceDevtoolsProps) => ReturnType<typeof Devtools> =
  process.env.NODE_ENV === 'production' ? () => null : Devtools
