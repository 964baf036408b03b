import { type Attempt, beginAttempt, createTransportMemory, type Failure } from './attempt'
import { EventSourceError } from './EventSourceError'
import { development } from './development'
import { environment } from './environment'
import type { Liveness } from './liveness'
import { observers, tell } from './observers'
import { delivered } from './parseOnce'
import { decide, isGet, RECONNECTION_TIME } from './policy'
import { after, now } from './timers'
import type { TransportHandlers } from './transports/types'
import type { Connection, ConnectionListener, Controls, Input, Tabs } from './connectionTypes'
import { IDLE, transition } from './transition'
import type { ConnectionOptions } from './types'

/** What the devtools call the transport of a tab that mirrors another tab's stream. */
const FOLLOWER = 'cross-tab follower'

/** The cross-tab chunk, as the layer above hands it to a shared connection (see `registry.ts`). */
export type ShareLoader = () => Promise<{ shareAcrossTabs(controls: Controls, passive: boolean): Tabs | undefined }>

function resolveUrl(url: string | URL): URL | EventSourceError {
  try {
    const resolved = new URL(url, environment.location?.href)
    if (/^https?:$/.test(resolved.protocol)) return resolved
  } catch {}
  return new EventSourceError('url', 'not an http(s) url') // never shown: it may carry a token
}

/** How a connection is created: shared connections have a key, are forgotten when they stop, and may cross tabs. */
export interface ConnectionSetup {
  /** The stream's identity (url and connection options), for a connection the registry shares. */
  key?: string
  /** The stream's position when it last stopped: its first attempt resumes from it. */
  from?: string
  /** Called once the connection has stopped (its last hook left, after the grace period), with its position. */
  onDispose?: (lastEventId: string) => void
  /** Loads the cross-tab chunk, for a shared connection whose options ask for `crossTab`. */
  share?: ShareLoader
}

/**
 * One stream, fanned out to any number of hooks: its status machine, its
 * position (the last event id, which outlives its hooks so that a hook shown
 * again resumes from it), and the one reconnect policy. The options are those
 * of the longest-subscribed hook, read at every attempt, so that a headers
 * function or a delay function is always a live hook's latest one. Chunks
 * drive it through its `Controls` once they load: its liveness clock, and,
 * with `crossTab`, the other tabs, which decide whether this tab runs the
 * stream (the leader) or mirrors another tab's (a follower, which never
 * retries on its own). Creating a connection has no side effects.
 */
export function createConnection(
  url: string | URL,
  { key = '', from = '', onDispose, share }: ConnectionSetup = {},
): Connection {
  development()
  const listeners = new Map<ConnectionListener, () => ConnectionOptions>()
  const getOptions = (): ConnectionOptions => listeners.values().next().value?.() ?? {}
  const types = new Set<string>()
  let state = IDLE
  let current: Attempt | undefined
  let via: string | undefined
  let cancelRetry: (() => void) | undefined
  /** Loaded when the stream starts (a chunk of its own): the open stream's liveness clock and the page's wake-ups. */
  let liveness: Liveness | undefined
  let lastEventId = from
  /** The server's `retry:` value, where the transport reports it. */
  let serverRetry = 0
  /** The current attempt opened: its end is a reconnection, not a failure, so it waits the reconnection time. */
  let opened = false
  /** When the current attempt began (`now()`). */
  let began = 0
  /** The current attempt waits for an answer: its first, or one of the browser's own retries within it. */
  let waiting = false
  /** Resolved once, as EventSource does: a retry after a client-side navigation goes to the same place. */
  let resolved: URL | EventSourceError | undefined
  /** Which transport the next attempt takes (see `createTransportMemory`). */
  const next = createTransportMemory()
  /** Across tabs: the chunk, once loaded, and whether this tab runs the stream. */
  let tabs: Tabs | undefined
  let leading = true
  /** Bumped when the connection stops, so that a chunk that loads later finds it stopped. */
  let run = 0

  /** Every change of state goes through here: the transition, then the listeners, the other tabs and observers. */
  function dispatch(input: Input) {
    state = transition(state, input)
    for (const listener of listeners.keys()) listener.state(state)
    tabs?.state(state)
    if (observers.size) tell('state', connection, state)
  }

  function deliver(type: string, data: string, id: string) {
    lastEventId = id
    delivered()
    for (const listener of listeners.keys()) listener.event(type, data, id)
    tabs?.event(type, data, id)
    if (observers.size) tell('event', connection, type, data, id)
  }

  /** Drops the attempt, the pending retry and the liveness clock. */
  function stop() {
    current?.close()
    cancelRetry?.()
    liveness?.stop()
    current = cancelRetry = undefined
    waiting = false
  }

  /** Stopped for good, as asked: a 204, the complete answer to a POST, or `close()`. */
  function finish() {
    stop()
    dispatch({ type: 'finished' })
  }

  function connect() {
    stop()
    if (!leading) return
    opened = false
    waiting = true
    began = now()
    resolved ??= resolveUrl(url)
    if (resolved instanceof EventSourceError) return dispatch({ type: 'gaveUp', error: resolved })
    const href = new URL(resolved)
    const options = getOptions()
    const { headers, lastEventIdParam } = options
    if (lastEventIdParam && lastEventId) href.searchParams.set(lastEventIdParam, lastEventId)
    const handlers: TransportHandlers = {
      open() {
        opened = true
        waiting = false
        next.answered(current)
        liveness?.start()
        dispatch({ type: 'opened' })
      },
      message(type, data, id) {
        liveness?.heard()
        deliver(type, data, id)
      },
      id(id) {
        lastEventId = id // only fetch reports ids on their own
      },
      retry(ms) {
        serverRetry = ms // the server's wish, whichever of its responses said it
      },
      bytes: () => liveness?.heard(),
      error(error, gaveUp) {
        if (error.status !== undefined) next.answered(current)
        // The transport retries by itself, unless headers come from a function (asked afresh at each attempt).
        if (!gaveUp && typeof headers !== 'function') {
          waiting = true
          // The browser retries after its reconnection time; the answer may not come (a dead socket).
          liveness?.awaitAnswer(serverRetry || RECONNECTION_TIME)
          dispatch({ type: 'lost', error })
        } else if (error.status === 204) finish()
        else if (current?.via === 'native' && !opened && error.status === undefined && options.reconnect !== false)
          diagnose(error)
        else retry(error)
      },
      end() {
        // The answer to a POST (an LLM's) is complete: sending it again would ask again. A GET stream resumes.
        if (isGet(options)) retry(new EventSourceError('network', 'the stream ended'))
        else finish()
      },
    }
    // Headers are asked for right before the request, so that a token is as fresh as can be.
    const request = () => ({
      ...options,
      url: href.href,
      lastEventId,
      headers: typeof headers === 'function' ? headers() : headers,
    })
    current = beginAttempt(options, next.native(lastEventId), request, types, handlers)
    via = current.via
    // A GET stream's attempt that gets no answer in time is presumed to wait on a dead socket (see `answerWithin`).
    liveness?.awaitAnswer()
  }

  /** What the failure of the current attempt tells of the next one. */
  function failure(opened: boolean, { status }: EventSourceError): Failure {
    const sameOrigin = resolved instanceof URL && resolved.origin === environment.location?.origin
    return { opened, status, lastEventId, sameOrigin }
  }

  /** The attempt failed, the stream ended, went silent, or got no answer in time: the policy decides. */
  function retry(error: EventSourceError, { silent = false, waited = 0 } = {}) {
    if (waited) opened = false // this attempt (or the browser's retry within it) never opened
    next.failed(current, failure(opened, error))
    stop() // an attempt with no answer drops its socket: the browser must not reuse it
    const attempt = opened ? 0 : state.attempt
    const delay = decide(error, getOptions(), { attempt, opened, serverRetry, silent, waited })
    if (delay === undefined) return dispatch({ type: 'gaveUp', error })
    cancelRetry = after(delay, connect)
    // Last: a listener told of this (onError) may call reconnect() or close, which must find the retry in place.
    dispatch({ type: 'retrying', error, attempt: attempt + 1, retryAt: now() + delay })
  }

  /**
   * The browser's EventSource refused a stream without saying why (a 404, a 401, a page served instead, a server
   * down all look alike there): fetch asks at once and learns why, so that the first failure the hooks see is its
   * diagnosis, not a "failed" that a retry later explains. The policy decides on what fetch learns.
   */
  function diagnose(error: EventSourceError) {
    next.failed(current, failure(false, error))
    connect()
  }

  /**
   * The cross-tab chunk could not load, or found no Web Locks: this tab runs the stream on its own, unless it only
   * meant to hear the other tabs (`passive`).
   */
  function alone(passive: boolean) {
    leading = true
    if (!passive) connect()
  }

  function start() {
    next.restart()
    dispatch({ type: 'started' })
    const turn = run
    import('./watch').then(
      ({ watchConnection }) => {
        if (turn !== run || liveness) return
        liveness = watchConnection(controls)
        if (state.status === 'open' && leading) liveness.start()
        else liveness.awaitAnswer()
      },
      () => {}, // without its chunk (a deploy removed it), the stream goes on without liveness
    )
    if (!acrossTabs()) return connect()
    if (tabs) return leading ? connect() : tabs.reconnect()
    if (leading) shareAcrossTabs(false) // else the chunk is on its way, and will say whether this tab leads
  }

  /** Only a shared GET stream that asks for it is shared across tabs: a hook's own connection is its own. */
  function acrossTabs() {
    const options = getOptions()
    return !!share && !!options.crossTab && isGet(options)
  }

  /**
   * Loads the cross-tab chunk; nothing runs until it says whether this tab leads. `passive`: a hook whose stream
   * gave up or was closed joins the tab that runs it, if one does, without asking for the stream.
   */
  function shareAcrossTabs(passive: boolean) {
    const turn = run
    leading = false
    share?.().then(
      ({ shareAcrossTabs }) => {
        if (turn !== run) return
        tabs = shareAcrossTabs(controls, passive)
        if (!tabs) alone(passive)
      },
      () => turn === run && alone(passive),
    )
  }

  function dispose() {
    run += 1
    stop()
    tabs?.close()
    liveness?.dispose()
    tabs = liveness = undefined
    leading = true
    state = IDLE
    if (observers.size) tell('stopped', connection)
    onDispose?.(lastEventId)
  }

  const connection: Connection = {
    url,
    subscribe(listener, options, shouldStart = true) {
      listeners.set(listener, options)
      if (state === IDLE && shouldStart) {
        if (observers.size) tell('started', connection)
        start()
      } else if (state === IDLE && leading && !tabs && acrossTabs()) shareAcrossTabs(true)
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return
        // The grace period: StrictMode's unmount and remount, and an unmount and mount in one commit, happen
        // before this microtask runs, so they keep the open stream instead of opening a second one.
        queueMicrotask(() => {
          if (listeners.size > 0) return
          // Its hooks joined a stream that had given up, and never started it: nothing to stop, unless they hear
          // the other tabs (or the chunk that will is on its way).
          if (state !== IDLE || !leading || tabs) dispose()
          else onDispose?.(lastEventId)
        })
      }
    },
    getState: () => state,
    listen(type) {
      if (types.has(type)) return
      types.add(type)
      current?.listen(type)
      tabs?.listen(type)
    },
    reconnect() {
      if (!listeners.size) return
      if (leading || !tabs) start()
      else tabs.reconnect()
    },
    close() {
      if (!listeners.size) return
      // A follower stops hearing the other tabs too; reconnect() joins them again.
      if (!leading) {
        tabs?.close()
        tabs = undefined
        leading = true
      }
      finish()
    },
    inspect: () => ({
      options: getOptions(),
      hooks: listeners.size,
      types,
      transport: via,
      lastEventId,
      silentFor: liveness?.silentFor() ?? 0,
    }),
  }

  const controls: Controls = {
    key,
    connection,
    options: getOptions,
    lastEventId: () => lastEventId,
    resumeFrom(id) {
      lastEventId = id
    },
    types: () => types,
    dispatch,
    deliver,
    start,
    connect,
    stop,
    retry,
    waitingSince: () => (current && waiting ? began : undefined),
    retrying: () => !!cancelRetry,
    lead() {
      leading = true
      via = undefined
      next.restart() // a tab that takes over resumes from its own position
    },
    follow() {
      leading = false
      via = FOLLOWER
      stop()
    },
  }
  return connection
}
