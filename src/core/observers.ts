import type { Connection, ConnectionState } from './connectionTypes'
import type { EventSourceError } from './EventSourceError'
import { pageShared } from './pageShared'

/**
 * What an observer (the devtools, the development console) is told of the
 * page's connections. The core tells observers what happened and never asks
 * who watches; without observers, telling costs a check of an empty set.
 */
export interface Observer {
  /** The connection started: its first hook subscribed. */
  started?(connection: Connection): void
  /** The connection stopped: its last hook left. */
  stopped?(connection: Connection): void
  /** The connection told its hooks of an event. */
  event?(connection: Connection, type: string, data: string, id: string): void
  /** The connection's state changed. */
  state?(connection: Connection, state: ConnectionState): void
  /** A hook on the connection could not use an event (a parse or schema failure). */
  rejected?(connection: Connection, error: EventSourceError): void
  /** A hook on the connection told React of new data: a flush tells all of a page's hooks in one task. */
  rendered?(connection: Connection): void
}

/** The page's observers, seen by every copy of the library the page loads (see `pageShared`). */
export const observers = pageShared('observers', () => new Set<Observer>())

/** Adds an observer; returns the function that removes it. */
export function observe(observer: Observer): () => void {
  observers.add(observer)
  return () => observers.delete(observer)
}

/** Tells every observer that has the method. */
export function tell<K extends keyof Observer>(method: K, ...args: Parameters<NonNullable<Observer[K]>>): void {
  for (const observer of observers) (observer[method] as ((...args: unknown[]) => void) | undefined)?.(...args)
}
