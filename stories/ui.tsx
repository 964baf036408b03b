import { type ReactNode, useEffect, useState } from 'react'
import type { EventSourceError, EventSourceStatus } from '../src/index'

const colors: Record<EventSourceStatus, string> = {
  idle: '#9ca3af',
  connecting: '#f59e0b',
  open: '#10b981',
  reconnecting: '#f97316',
  closed: '#6b7280',
  error: '#ef4444',
}

/** The stream's status as a coloured badge, readable by tests as `status: <value>`. */
export function StatusBadge({ status }: { status: EventSourceStatus }) {
  return (
    <output
      aria-label={`status: ${status}`}
      style={{ background: colors[status], color: 'white', borderRadius: 999, padding: '2px 10px', fontSize: 13, fontWeight: 600 }}
    >
      {status}
    </output>
  )
}

/** The statuses the stream went through, oldest first: shown as `idle → connecting → open`. */
export function useStatusTimeline(status: EventSourceStatus): EventSourceStatus[] {
  const [seen, setSeen] = useState<EventSourceStatus[]>([])
  useEffect(() => setSeen((all) => (all.at(-1) === status ? all : [...all, status])), [status])
  return seen
}

/** The last failure, if any. */
export function ErrorLine({ error }: { error: EventSourceError | null }) {
  if (!error) return null
  return (
    <p role="alert" style={{ color: '#b91c1c', fontSize: 13 }}>
      [{error.kind}] {error.message}
    </p>
  )
}

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section style={{ fontFamily: 'system-ui, sans-serif', border: '1px solid #e5e7eb', borderRadius: 12, padding: 16, maxWidth: 520 }}>
      <h3 style={{ margin: '0 0 8px', fontSize: 15 }}>{title}</h3>
      {children}
    </section>
  )
}
