import { EventSourceError } from './EventSourceError'
import { reconnectDelay } from './reconnectDelay'
import { after } from './timers'
import { chooseTransport } from './transports/chooseTransport'
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
   * Adds a listener with its hook's options; the first one opens the stream, the last one to leave closes it
   * after a grace period. Joining a stream that gave up leaves it so (no request per mount); `reconnect()` restarts it.
   */
  subscribe(listener: ConnectionListener, getOptions: () => ConnectionOptions): () => void
  getState(): ConnectionState
  /** Receives events of this type from now on. */
  listen(type: string): void
  /** Drops the current attempt and pending retry and connects again at once. */
  reconnect(): void
}

const IDLE: ConnectionState = { status: 'idle', error: null }

/** 4xx answers that retrying cannot fix; 408 and 429 are worth another try. */
const isFatal = ({ status = 0 }: EventSourceError) => status >= 400 && status < 500 && status !== 408 && status !== 429

function resolveUrl(url: string | URL): URL | EventSourceError {
  try {
    const resolved = new URL(url, globalThis.location?.href)
    if (/^https?:$/.test(resolved.protocol)) return resolved
  } catch {}
  return new EventSourceError('url', `${url} is not a valid http(s) url`)
}

/** How long to wait before reopening a stream that was open and ended, as browsers do (the spec's reconnection time). */
const RECONNECTION_TIME = 3000

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
  /**
   * The native EventSource gives up without saying why: a 204, a 401 and a 502 look alike. The attempts
   * after such a failure go through the polyfill, which reports the HTTP status, so that the policy can
   * stop on a 204 or 4xx instead of retrying forever. Should the polyfill fail without a status too
   * (CORS, network: it would retry by itself), that attempt ends and the next is native again; an open
   * stream starts over with native.
   */
  let diagnose = false

  function setState(status: EventSourceStatus, error: EventSourceError | null) {
    state = { status, error }
    for (const listener of listeners.keys()) listener(null, '', '')
  }

  function stop() {
    generation += 1
    transport?.close()
    cancelTimer?.()
    transport = cancelTimer = undefined
  }

  /** The idle watchdog. Per event only the time is noted; the timer is re-armed when it fires early. */
  function watch(idleTimeout = getOptions().idleTimeout, wait = idleTimeout) {
    if (!idleTimeout) return
    cancelTimer = after(wait as number, () => {
      const quiet = Date.now() - lastActivity
      if (quiet < idleTimeout) watch(idleTimeout, idleTimeout - quiet)
      else retry(new EventSourceError('network', `No event for ${idleTimeout} ms`))
    })
  }

  function connect() {
    stop()
    opened = false
    const resolved = resolveUrl(url)
    if (resolved instanceof EventSourceError) return setState('error', resolved)
    const options = getOptions()
    const { headers, lastEventIdParam } = options
    if (lastEventIdParam && lastEventId) resolved.searchParams.set(lastEventIdParam, lastEventId)
    const current = generation
    const live = () => current === generation
    const handlers: TransportHandlers = {
      open() {
        if (!live()) return
        attempt = 0
        opened = true
        diagnose = false
        lastActivity = Date.now()
        setState('open', null)
      },
      message(type, data, id) {
        if (!live()) return
        lastEventId = id
        lastActivity = Date.now()
        for (const listener of listeners.keys()) listener(type, data, id)
      },
      id(id) {
        if (live()) lastEventId = id // only fetch reports ids on their own
      },
      retry(ms) {
        if (live()) serverRetry = ms // the server's wish, whichever of its responses said it
      },
      error(error, closed) {
        if (!live()) return
        // The transport retries by itself, unless it is the diagnosis, or headers come from a function (asked afresh here).
        if (!closed && !diagnose && typeof headers !== 'function') return setState('reconnecting', error)
        if (error.status === undefined && !options.EventSource && !headers) diagnose = !diagnose // native, or the diagnosis
        if (error.status !== 204) return retry(error)
        stop()
        setState('closed', null)
      },
    }
    /** A headers function or a constructor that throws, or a chunk that fails to load, is a failed attempt: the policy applies. */
    const fail = (cause: unknown) => retry(new EventSourceError('network', String(cause), { cause }))
    const begin = (chosen: Transport) => {
      if (!live()) return
      try {
        // Headers are asked for right before the request, so that a token is as fresh as can be.
        const request = { ...options, url: resolved.href, lastEventId, headers: typeof headers === 'function' ? headers() : headers }
        transport = chosen(request, handlers)
      } catch (cause) {
        return fail(cause)
      }
      for (const type of types) transport.listen(type)
    }
    lastActivity = Date.now()
    watch()
    const chosen = chooseTransport(options, diagnose)
    if (chosen instanceof Promise) {
      // A chunk that failed to load may fail for good (a deploy removed it): the next attempt does without it.
      chosen.then(begin, (cause) => {
        diagnose = false
        if (live()) fail(cause)
      })
    } else begin(chosen)
  }

  /** The transport gave up (or went quiet): apply the policy. */
  function retry(error: EventSourceError) {
    stop()
    const { reconnect = true } = getOptions()
    const { retries = Infinity, delay } = typeof reconnect === 'object' ? reconnect : {}
    if (!reconnect || isFatal(error) || attempt >= retries) return setState('error', error)
    attempt += 1
    // A stream that was open and ended is reopened after the reconnection time, as browsers do (plus jitter, so
    // that the clients of a restarted server do not come back together); failures back off.
    const ms = typeof delay === 'function' ? delay(attempt) : (delay ?? (opened ? RECONNECTION_TIME : 0) + reconnectDelay(attempt))
    const cancelRetry = after(Math.max(serverRetry, ms), connect)
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
    setState('connecting', null)
    connect()
  }

  return {
    subscribe(listener, options) {
      listeners.set(listener, options)
      if (state === IDLE) start()
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return
        // The grace period: StrictMode's unmount and remount, and an unmount and mount in one commit, happen
        // before this microtask runs, so they keep the open stream instead of opening a second one.
        queueMicrotask(() => {
          if (listeners.size > 0 || state === IDLE) return
          stop()
          state = IDLE
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
}
