import { EventSourceError } from './EventSourceError'
import { probe } from './probe'
import { RECONNECTION_TIME, reconnectDelay } from './reconnectDelay'
import { after, now } from './timers'
import { chooseTransport, isGet } from './transports/chooseTransport'
import type { Transport, TransportHandle, TransportHandlers } from './transports/types'
import type { ConnectionOptions, EventSourceStatus } from './types'

export interface ConnectionState {
  readonly status: EventSourceStatus
  readonly error: EventSourceError | null
}

/** Told of each event (`type`, data, id), and of each change of state (`type: null`; read it with `getState()`). */
export type ConnectionListener = (type: string | null, data: string, id: string) => void

export interface Connection {
  /**
   * Adds a listener with its hook's options; the first one opens the stream (resuming after `lastEventId`, the
   * hook's own, when it has one), the last one to leave closes it after a grace period. Joining a stream that
   * gave up leaves it so (no request per mount); `reconnect()` restarts it.
   */
  subscribe(listener: ConnectionListener, getOptions: () => ConnectionOptions, lastEventId?: string): () => void
  getState(): ConnectionState
  /** Receives events of this type from now on. */
  listen(type: string): void
  /** Drops the current attempt and pending retry and connects again at once. */
  reconnect(): void
  /** What the connection keeps to itself, for the devtools; development builds only. */
  inspect?(): ConnectionInternals
}

/** A connection's inner state, as the devtools show it. */
export interface ConnectionInternals {
  /** The url as the hooks gave it. */
  url: string | URL
  /** The options of the longest-subscribed hook: those the next attempt uses. */
  options: ConnectionOptions
  /** How many hooks are subscribed. */
  hooks: number
  /** The event types the stream listens to: those its hooks asked for (a type stays once asked for). */
  types: ReadonlySet<string>
  /** The transport of the current (or last) attempt, `undefined` until one began. */
  transport: Transport | undefined
  /** The last event id, sent when the library reconnects. */
  lastEventId: string
  /** The library's retries since the stream last opened, the pending one included (the browser's own reconnects are not counted). */
  attempt: number
  /** When the library's pending retry is due (`performance.now()`); 0 when none is (the browser's own retry has no known time). */
  retryAt: number
  /** Stops the stream for every hook on it, as a 204 would (status `closed`); `reconnect()` starts it again. Without hooks, nothing. */
  close(): void
}

const IDLE: ConnectionState = { status: 'idle', error: null }

/** Failures that retrying cannot fix: another content type (the spec fails the connection), a 4xx but 408 and 429. */
const isFatal = ({ kind, status = 0 }: EventSourceError) =>
  kind === 'content-type' || (status >= 400 && status < 500 && status !== 408 && status !== 429)

function resolveUrl(url: string | URL): URL | EventSourceError {
  try {
    const resolved = new URL(url, globalThis.location?.href)
    if (/^https?:$/.test(resolved.protocol)) return resolved
  } catch {}
  return new EventSourceError('url', 'not an http(s) url') // never shown: it may carry a token
}

/**
 * One stream with its status machine and reconnect policy, fanned out to any
 * number of listeners. The options are those of the longest-subscribed
 * listener, read at every connect and retry, so that a headers function or a
 * delay function is always a live hook's latest one. Creating a connection
 * has no side effects.
 */
export function createConnection(url: string | URL, onDispose?: () => void): Connection {
  const listeners = new Map<ConnectionListener, () => ConnectionOptions>()
  const getOptions = (): ConnectionOptions => listeners.values().next().value?.() ?? {}
  const types = new Set<string>()
  let state = IDLE
  let transport: TransportHandle | undefined
  /** For the devtools (development builds): the transport of the current attempt, and when the pending retry is due. */
  let via: Transport | undefined
  let retryAt = 0
  /** Bumped whenever the transport is dropped, so that a superseded one can never reach the listeners. */
  let generation = 0
  /** The retry timer while waiting, the idle watchdog while connected: never both. */
  let cancelTimer: (() => void) | undefined
  let attempt = 0
  let lastEventId = ''
  let lastActivity = 0
  /** The server's `retry:` value, where the transport reports it: no retry is sooner. */
  let serverRetry = 0
  /** The current attempt opened: its end is a reconnection, not a failure, so it waits the reconnection time. */
  let opened = false
  /** Resolved once, as EventSource does: a retry after a client-side navigation goes to the same place. */
  let resolved: URL | EventSourceError | undefined
  /**
   * Whether a plain GET stream's next attempt is the native EventSource's. The first is, unless there is an
   * id to resume from. Every attempt the library makes itself goes through fetch, which sends the last event
   * id (as its UTF-8 bytes, as browsers do) and learns the HTTP status that the native EventSource hides (a
   * 204, a 401 and a 502 look alike there), so that the policy stops on a 204 or a 4xx. After a fetch attempt
   * that failed with neither an answer nor an open stream (a network failure, or a cross-origin server that
   * refuses the preflight a Last-Event-ID header needs), the next is native again.
   */
  let native = true

  function setState(status: EventSourceStatus, error: EventSourceError | null) {
    state = { status, error }
    for (const listener of listeners.keys()) listener(null, '', '')
    if (process.env.NODE_ENV !== 'production') probe.watcher?.told(connection, null, '', '')
  }

  function stop() {
    generation += 1
    if (process.env.NODE_ENV !== 'production') retryAt = 0
    transport?.close()
    cancelTimer?.()
    transport = cancelTimer = undefined
  }

  /** Stopped for good, as asked: a 204, or the complete answer to a POST. */
  function finish() {
    stop()
    setState('closed', null)
  }

  /** The idle watchdog. Per event only the time is noted; the timer is re-armed when it fires early. */
  function watch(idleTimeout = getOptions().idleTimeout, wait = idleTimeout) {
    if (!idleTimeout) return
    cancelTimer = after(wait as number, () => {
      const quiet = now() - lastActivity
      if (quiet < idleTimeout) watch(idleTimeout, idleTimeout - quiet)
      else retry(new EventSourceError('network', `No event for ${idleTimeout} ms`))
    })
  }

  function connect() {
    stop()
    opened = false
    resolved ??= resolveUrl(url)
    if (resolved instanceof EventSourceError) return setState('error', resolved)
    const href = new URL(resolved)
    const options = getOptions()
    const { headers, lastEventIdParam } = options
    if (lastEventIdParam && lastEventId) href.searchParams.set(lastEventIdParam, lastEventId)
    const current = generation
    const live = () => current === generation
    const handlers: TransportHandlers = {
      open() {
        if (!live()) return
        attempt = 0
        opened = true
        lastActivity = now()
        setState('open', null)
      },
      message(type, data, id) {
        if (!live()) return
        lastEventId = id
        lastActivity = now()
        for (const listener of listeners.keys()) listener(type, data, id)
        if (process.env.NODE_ENV !== 'production') probe.watcher?.told(connection, type, data, id)
      },
      id(id) {
        if (live()) lastEventId = id // only fetch reports ids on their own
      },
      retry(ms) {
        if (live()) serverRetry = ms // the server's wish, whichever of its responses said it
      },
      error(error, closed) {
        if (!live()) return
        // The transport retries by itself, unless headers come from a function (asked afresh here).
        if (!closed && typeof headers !== 'function') setState('reconnecting', error)
        else if (error.status === 204) finish()
        else retry(error)
      },
      end() {
        // The answer to a POST (an LLM's) is complete: sending it again would ask again. A GET stream resumes.
        if (live()) isGet(options) ? retry(new EventSourceError('network', 'the stream ended')) : finish()
      },
    }
    /** A headers function or a constructor that throws, or a chunk that fails to load, is a failed attempt: the policy applies. */
    const fail = (cause: unknown) => retry(new EventSourceError('network', String(cause), { cause }))
    const begin = (chosen: Transport) => {
      if (!live()) return
      try {
        // Headers are asked for right before the request, so that a token is as fresh as can be.
        const request = {
          ...options,
          url: href.href,
          lastEventId,
          headers: typeof headers === 'function' ? headers() : headers,
        }
        transport = chosen(request, handlers)
        if (process.env.NODE_ENV !== 'production') via = chosen
      } catch (cause) {
        return fail(cause)
      }
      for (const type of types) transport.listen(type)
    }
    lastActivity = now()
    watch()
    const chosen = chooseTransport(options, native)
    // A chunk that failed to load may fail for good (a deploy removed it): the next attempt does without it.
    if (chosen instanceof Promise) chosen.then(begin, (cause) => live() && fail(cause))
    else begin(chosen)
  }

  /** The transport gave up (or went quiet): apply the policy. */
  function retry(error: EventSourceError) {
    stop()
    // See `native`: only a fetch attempt that got no answer at all (status) and never opened is followed by a native one.
    native = !native && error.status === undefined && !opened
    const options = getOptions()
    // A stream whose request is not a GET is an answer: it is asked for again only when the user says so.
    const { reconnect = isGet(options) } = options
    const { retries = Infinity, delay } = typeof reconnect === 'object' ? reconnect : {}
    if (!reconnect || isFatal(error) || attempt >= retries) return setState('error', error)
    attempt += 1
    // A stream that was open and ended is reopened after the reconnection time, as browsers do (plus jitter, so
    // that the clients of a restarted server do not come back together); failures back off.
    const ms =
      typeof delay === 'function'
        ? delay(attempt)
        : (delay ?? (opened ? RECONNECTION_TIME : 0) + reconnectDelay(attempt))
    const wait = Math.max(serverRetry, ms)
    const cancelRetry = after(wait, connect)
    if (process.env.NODE_ENV !== 'production') retryAt = now() + wait
    // Back online: the pending attempt need not wait for its timer.
    globalThis.addEventListener?.('online', connect)
    cancelTimer = () => {
      cancelRetry()
      globalThis.removeEventListener?.('online', connect)
    }
    // Last: a listener told of this (onError) may call reconnect() or close, which must find the retry in place.
    setState('reconnecting', error)
  }

  function start() {
    attempt = 0
    native = !lastEventId
    setState('connecting', state.error) // the last failure stays until the stream opens
    connect()
  }

  const connection: Connection = {
    subscribe(listener, options, resumeFrom) {
      listeners.set(listener, options)
      if (state === IDLE) {
        lastEventId = resumeFrom || lastEventId
        if (process.env.NODE_ENV !== 'production') probe.connections.add(connection)
        start()
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return
        // The grace period: StrictMode's unmount and remount, and an unmount and mount in one commit, happen
        // before this microtask runs, so they keep the open stream instead of opening a second one.
        queueMicrotask(() => {
          if (listeners.size > 0 || state === IDLE) return
          stop()
          state = IDLE
          if (process.env.NODE_ENV !== 'production') {
            probe.connections.delete(connection)
            probe.watcher?.told(connection, null, '', '')
          }
          onDispose?.()
        })
      }
    },
    getState: () => state,
    listen(type) {
      if (types.has(type)) return
      types.add(type)
      transport?.listen(type)
    },
    reconnect() {
      if (listeners.size > 0) start()
    },
  }
  if (process.env.NODE_ENV !== 'production') {
    connection.inspect = () => ({
      url,
      options: getOptions(),
      hooks: listeners.size,
      types,
      transport: via,
      lastEventId,
      attempt,
      retryAt,
      close: () => listeners.size > 0 && finish(),
    })
  }
  return connection
}
