import type { EventSourceError } from './EventSourceError'
import type { ConnectionOptions, EventSourceStatus } from './types'

// What a connection is to the layers around it: the hooks' views, the registry, the observers (devtools, the
// development console) and the cross-tab chunk. Types only, apart from the connection itself (connection.ts), so
// that those layers depend on what a connection offers, not on the module that makes one.

export interface ConnectionState {
  readonly status: EventSourceStatus
  readonly error: EventSourceError | null
  /** The library's retries since the stream last opened, the pending one included (not the browser's own). */
  readonly attempt: number
  /** When the library's pending retry is due (`performance.now()`); 0 when none is. */
  readonly retryAt: number
}

/** What a connection tells each of its hooks. */
export interface ConnectionListener {
  /** An event of the stream: its type, data text and id (the last id the stream set). */
  event(type: string, data: string, id: string): void
  /** The stream's state changed. */
  state(state: ConnectionState): void
}

export interface Connection {
  /** The url as the hooks gave it. */
  readonly url: string | URL
  /**
   * Adds a listener with its hook's options. The first one starts the stream (resuming from the stream's
   * position), unless `start` is false: a hook whose stream gave up or was closed by the server joins without
   * asking again (no request per mount). The last one to leave stops it after a grace period.
   */
  subscribe(listener: ConnectionListener, getOptions: () => ConnectionOptions, start?: boolean): () => void
  getState(): ConnectionState
  /** Receives events of this type from now on. */
  listen(type: string): void
  /** Drops the current attempt and pending retry and connects again at once (across tabs: asks the leader to). */
  reconnect(): void
  /** Stops the stream for every hook on it, as a 204 would (status `closed`); `reconnect()` starts it again. */
  close(): void
  /** What the connection keeps to itself, for the devtools. */
  inspect(): ConnectionInternals
}

/** A connection's inner state, as the devtools show it. */
export interface ConnectionInternals {
  /** The options of the longest-subscribed hook: those the next attempt uses. */
  options: ConnectionOptions
  /** How many hooks are subscribed. */
  hooks: number
  /** The event types the stream listens to: those its hooks asked for (a type stays once asked for). */
  types: ReadonlySet<string>
  /** The transport of the current (or last) attempt (see `Choice`), or `cross-tab follower`; `undefined` before any. */
  transport: string | undefined
  /** The stream's position: the last event id, sent when it resumes. */
  lastEventId: string
  /** About how long the open stream has been silent, in ms. */
  silentFor: number
}

/**
 * What the cross-tab chunk (`src/crossTab/share.ts`) may do with a connection: make this tab run the stream
 * (`lead`) or stop running it (`follow`), and, while another tab leads, give its hooks what that tab relays.
 */
export interface TabSide {
  /** The stream's identity (url and connection options), digested into the names other scripts can list. */
  readonly key: string
  readonly connection: Connection
  lastEventId(): string
  types(): Iterable<string>
  /** Run the stream in this tab: from its position (`resume`), or left as it is (it gave up, or was closed). */
  lead(resume: boolean): void
  /** Another tab runs the stream from now on. */
  follow(): void
  /** The leader's event. */
  deliver(type: string, data: string, id: string): void
  /** The leader's state; `retryAt` on this tab's clock. */
  mirror(state: ConnectionState): void
}

/**
 * What a follower asks of the leader through the cross-tab chunk. (What the leader's connection does reaches the
 * other tabs through the observer seam: the chunk observes it.)
 */
export interface Tabs {
  listen(type: string): void
  reconnect(): void
  close(): void
}
