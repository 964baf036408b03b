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

/** What changes a connection's state, each by its name; `transition` (transition.ts) computes the state that follows. */
export type Input =
  /** A start: the first attempt is under way. The last failure stays until the stream opens. */
  | { type: 'started' }
  | { type: 'opened' }
  /** The transport lost the stream and retries by itself; or this tab takes over a stream another tab had open. */
  | { type: 'lost'; error: EventSourceError | null }
  /** The policy's retry is due at `retryAt` (`performance.now()`). */
  | { type: 'retrying'; error: EventSourceError; attempt: number; retryAt: number }
  | { type: 'gaveUp'; error: EventSourceError }
  /** Stopped on purpose: `close()`, a 204, or the end of an answer. */
  | { type: 'finished' }
  /** Let go while the page is hidden (`pauseWhenHidden`). */
  | { type: 'paused' }
  /** The state of the tab that runs the stream (or this tab's own, told again to the others). */
  | { type: 'mirrored'; state: ConnectionState }

/**
 * A connection's inner controls, for the chunks that drive it once they load: its liveness clock (`watch.ts`) and,
 * with `crossTab`, the other tabs (`crossTab/share.ts`). Hooks never see them.
 */
export interface Controls {
  /** The stream's identity (url and connection options); `''` for a hook's own connection. */
  readonly key: string
  readonly connection: Connection
  /** The options of the longest-subscribed hook, the ones the next attempt uses. */
  options(): ConnectionOptions
  /** The stream's position: the last event id. */
  lastEventId(): string
  /** Moves the stream's position to one another tab left behind: the next attempt resumes from it. */
  resumeFrom(lastEventId: string): void
  types(): ReadonlySet<string>
  /** Changes the state (see `Input`) and tells the hooks and the chunks once. */
  dispatch(input: Input): void
  /** Tells the hooks and the chunks of an event, and moves the position to its id. */
  deliver(type: string, data: string, id: string): void
  /** Starts the stream as a hook's first subscription does: the first attempt, a fresh choice of transport. */
  start(): void
  /** Begins an attempt now, dropping the current one and any pending retry; nothing while another tab runs the stream. */
  connect(): void
  /** Drops the attempt, the pending retry and the liveness clock. */
  stop(): void
  /**
   * The attempt failed, the open stream went `silent`, or the attempt `waited` that long (ms) for an answer that never
   * came (it never opened): the policy decides whether and when to try again.
   */
  retry(error: EventSourceError, how?: { silent?: boolean; waited?: number }): void
  /** When (`now()`) the current attempt began, while it waits for its answer; `undefined` when none waits. */
  waitingSince(): number | undefined
  /** Whether one of the policy's retries is pending. */
  retrying(): boolean
  /** This tab runs the stream from now on, from its own position (the next attempt's transport is chosen afresh). */
  lead(): void
  /** Another tab runs the stream from now on: this one drops its attempt. */
  follow(): void
}

/**
 * What the cross-tab chunk does for a connection once it loads. It is told of every event and state of its own
 * connection (after the hooks), to keep them and, while this tab leads, to relay them.
 */
export interface Tabs extends ConnectionListener {
  /** A hook listens to one more event type. */
  listen(type: string): void
  /** A follower's hook asks for `reconnect()`: the leader's tab does it. */
  reconnect(): void
  close(): void
}
