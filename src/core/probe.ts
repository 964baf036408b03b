import type { Connection } from './connection'
import type { Transport } from './transports/types'

/** What the devtools are told while they watch (see `probe`). */
export interface Watcher {
  /** `connection` told its hooks of an event (`type`), or of a change of state (`type: null`), or it closed and left `probe.connections`. */
  told(connection: Connection, type: string | null, data: string, id: string): void
  /** One of the hooks on `connection` told React of new data: a flush tells all of a page's hooks in one task. */
  rendered(connection: Connection): void
}

/**
 * Where the devtools (`use-event-source/devtools`) look into the core, in
 * development builds only: the connections that hooks hold, and the one
 * watcher, set only while the devtools watch. Without a watcher it costs a
 * check per event and per render.
 */
export const probe: {
  readonly connections: Set<Connection>
  /** What the devtools call a transport, set by the fetch and polyfill chunks when they load (an EventSource class is named by itself). */
  readonly labels: WeakMap<Transport, string>
  watcher?: Watcher | undefined
} = { connections: new Set(), labels: new WeakMap() }
