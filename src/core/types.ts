import type { EventSourceError } from './EventSourceError'

/**
 * Where a stream stands. Always true at the moment it is read:
 * - `idle`: no url, not started yet, rendering on the server, or let go while the page is hidden (`pauseWhenHidden`)
 * - `connecting`: the first attempt is in progress
 * - `open`: the stream is open
 * - `reconnecting`: the stream was lost and an attempt (the browser's or ours) is pending
 * - `closed`: stopped on purpose: `close()`, the server answered 204, or it ended a stream that is not a GET (an answer is complete)
 * - `error`: gave up: retries exhausted, or a failure that retrying cannot fix (a 4xx but 408 and 429, another content type, a bad url; see `error`)
 */
export type EventSourceStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'error'

declare const eventMap: unique symbol

/**
 * Marks a type parameter as a map from event name to payload type, for a
 * discriminated result: `useEventSource<Events<{ price: Price; news: News }>>(url, { events: ['price', 'news'] })`.
 */
export interface Events<M extends Record<string, unknown>> {
  readonly [eventMap]: M
}

/** The payload type of any event the hook receives. */
export type Payload<T> = T extends Events<infer M> ? M[keyof M] : T

/** The names of the events the hook can receive. */
export type EventName<T> = T extends Events<infer M> ? keyof M & string : string

/** One received event: the pair of its name and its parsed data, discriminated on `event` for an event map. */
export type Received<T> =
  T extends Events<infer M>
    ? {
        [K in keyof M & string]: {
          /** The type of the event that produced `data` (`message` for unnamed events). @default null */
          event: K
          /** The last received event's data, parsed. @default undefined */
          data: M[K]
        }
      }[keyof M & string]
    : {
        /** The type of the event that produced `data` (`message` for unnamed events). @default null */
        event: string
        /** The last received event's data, parsed. @default undefined */
        data: T
      }

/** One event as it arrived, with its data parsed. */
export type EventSourceMessage<T> = Received<T> & {
  /** The event's id, or the last id the stream set before it (`''` when none). */
  id: string
  /** The data text as the server sent it. */
  raw: string
}

/** Anything constructed like the browser's EventSource: the polyfill, the `eventsource` package, a test double. */
export interface EventSourceConstructor {
  new (url: string, init?: EventSourceInit & Record<string, unknown>): EventSourceLike
}

/** The part of an EventSource instance the library uses. */
export interface EventSourceLike {
  readonly readyState: number
  onopen: ((event: Event) => unknown) | null
  onerror: ((event: Event) => unknown) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

export interface ReconnectOptions {
  /** How many times in a row a stream the transport gave up on is recreated before status `error`. @default Infinity */
  retries?: number
  /** Milliseconds to wait before attempt `n` (from 1): a number, or a function of `n`. @default exponential backoff with full jitter, 1 s base, 30 s cap; 3 s plus that jitter after a stream that was open */
  delay?: number | ((attempt: number) => number)
}

/**
 * How a stream is opened and kept alive. With the url they identify a stream,
 * compared by value: hooks with equal ones share a connection, and changing
 * one reconnects. Functions are not compared (a new inline one changes
 * nothing), and a hook with a headers function keeps its connection to itself.
 */
export interface ConnectionOptions {
  /** Sends cookies and HTTP auth on cross-origin requests (the server must allow credentials). @default false */
  withCredentials?: boolean
  /** An EventSource-compatible constructor for every attempt (it gets `headers` and `Last-Event-ID` in its init); hooks share a stream only with the same class name. @default the browser's EventSource, with fetch for the attempts the library makes; event-source-polyfill where there is none */
  EventSource?: EventSourceConstructor
  /** Request headers, or a function called at every connect (to refresh a token; the hook's connection is then its own, and the hook makes every reconnect itself); sent through fetch, loaded on demand. @default undefined */
  headers?: Record<string, string> | (() => Record<string, string>)
  /** Recreate a stream the transport gave up on (an HTTP error, a dropped fetch stream); `false` never does. A stream that is not a GET is an answer, retried only when this is given. @default true for GET, false otherwise */
  reconnect?: boolean | ReconnectOptions
  /** Query parameter that carries the last event id when the library recreates a native EventSource, which cannot send headers (after fetch got no answer at all). @default undefined (not sent) */
  lastEventIdParam?: string
  /**
   * Liveness: recreates a GET stream at once, resuming with `Last-Event-ID`, when nothing (no byte) arrived for this
   * many ms; ends an answer (not a GET) as an error, sent again only if `reconnect` says so. `false` turns the
   * silence check off, wake-up checks of an open stream included (an attempt with no answer is still dropped). By
   * default a GET stream's own cadence decides (after four receptions, a silence of four times the longest, at least
   * 3 s), and an answer is never ended by silence.
   * @default undefined (a GET stream's cadence; none for an answer)
   */
  idleTimeout?: number | false
  /**
   * Lets a GET stream go once the page has been hidden for this many ms (`status: 'idle'` meanwhile), and resumes it
   * with `Last-Event-ID` when the page is shown again. With `crossTab`, once every tab with hooks on the stream has
   * been hidden that long, until one is shown. Not for answers (a POST would be sent again).
   * @default undefined (the stream stays open while the page is hidden)
   */
  pauseWhenHidden?: number
  /** The HTTP method, in capitals; anything but GET streams through fetch, and is `closed` when the server ends the response. @default 'GET' ('POST' with a `body`) */
  method?: string
  /** The request body, a string as it is or anything else as JSON; streams through fetch. @default undefined */
  body?: string | object
  /** `'fetch'` streams every attempt through fetch (any method, headers and body; loaded on demand), `'eventsource'` every attempt through EventSource (the polyfill where there is none). @default chosen per attempt: EventSource for plain GET streams, fetch for a method, body, headers and the library's own reconnects */
  transport?: 'eventsource' | 'fetch'
  /**
   * Shares the stream with the other tabs of the browser: one tab connects (the leader), the others mirror its
   * status and events; a tab that rejoins gets what it missed. GET streams with a shared connection only; needs
   * Web Locks and BroadcastChannel, else each tab connects on its own. Loaded on demand.
   * @default false
   */
  crossTab?: boolean
}

export interface UseEventSourceOptions<T = unknown, S = never> extends ConnectionOptions {
  /** Event types that update `data`. Unnamed server events have the type `message`; list it to keep them. @default ['message'] */
  events?: readonly EventName<T>[]
  /** Turns an event's data text into `data`; a throw rejects that one message (see `error`). @default JSON.parse */
  parse?: (data: string, event: EventName<T>) => Payload<T>
  /** Called for every event this hook receives, in order, even when renders are coalesced. @default undefined */
  onMessage?: (message: EventSourceMessage<T>) => void
  /** Called with every failure: connection, HTTP status, unparsable data, bad url. @default undefined */
  onError?: (error: EventSourceError) => void
  /** Folds every event into `data` as it arrives, in order (for tokens or log lines: `data` is the fold, rendered at most once per frame); restarts from `initial` on a new url or connection options, carries across reconnects. @default undefined (`data` is the last event's) */
  reduce?(state: S, message: EventSourceMessage<T>): S
  /** The state `reduce` starts from, and `data` until the first event. @default undefined */
  initial?: S
  /** Renders at most once per animation frame (default; about once a second while the page is hidden), at most once per this many ms, or on every event (`false`); the first event after a quiet spell renders at once; all hooks of the page render together; `onMessage`, `reduce` and `history` still see every event. @default one render per frame */
  throttle?: number | false
  /** Keeps the last `history` events this hook received in `history`, oldest first. @default 0 (none kept) */
  history?: number
  /** Shares the connection with the other hooks on the same url and connection options; `false` opens one of its own. @default true */
  shared?: boolean
  /** Called once when the stream is given up (`status: 'error'`): retries exhausted, a 4xx, a bad url. @default undefined */
  onGiveUp?: (error: EventSourceError) => void
}

/** What `useEventSource` returns. `event` is `null` and `data` is `undefined` until the first event arrives. */
export type EventSourceResult<T = unknown> = (
  | Received<T>
  | {
      /** No event yet. */
      event: null
      /** No event yet. */
      data: undefined
    }
) &
  EventSourceControls<T>

/** What `useEventSource` returns with `reduce`: `data` is the fold of every event received, `initial` before the first. */
export type ReducedEventSourceResult<T, S> = {
  /** The type of the last event folded in (`message` for unnamed events). @default null */
  event: EventName<T> | null
  /** `initial`, folded with every event received so far. @default initial */
  data: S
} & EventSourceControls<T>

/** The fields every result has besides `event` and `data`. */
export interface EventSourceControls<T> {
  /** Where the stream stands; see `EventSourceStatus`. */
  status: EventSourceStatus
  /** The last failure of the connection, kept until the stream opens (again); a parse failure keeps `data` and the stream, and stays until the next status change. @default null */
  error: EventSourceError | null
  /** The id of the last event this hook received (`''` when none). */
  lastEventId: string
  /** The last events this hook received, oldest first, as many as the `history` option keeps. @default [] */
  history: readonly EventSourceMessage<T>[]
  /** Stops this hook's stream and keeps it stopped (`status: 'closed'`) until `reconnect()`; hooks sharing the connection keep it. */
  close: () => void
  /** Starts the stream again at once: after `close()`, an error, or to force a fresh connection. */
  reconnect: () => void
}

/** For an event map, `events` is required: without it the hook would listen to unnamed (`message`) events only. */
export type NamedEvents<T> = T extends Events<infer M> ? { events: readonly (keyof M & string)[] } : unknown

/**
 * The options argument of `useEventSource<T>`: required, with `events`, for an event map. A wrapper generic in
 * `T` takes `...options: UseEventSourceArgs<T>` and passes them on.
 */
export type UseEventSourceArgs<T> =
  T extends Events<infer _>
    ? [options: UseEventSourceOptions<T> & NamedEvents<T>]
    : [options?: UseEventSourceOptions<T>]

/** The options of a hook that folds its events: `reduce` and `initial` are both given. */
export type ReduceOptions<T, S> = UseEventSourceOptions<T, S> &
  Required<Pick<UseEventSourceOptions<T, S>, 'reduce' | 'initial'>> &
  NamedEvents<T>
