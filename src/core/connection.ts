import { type Attempt, beginAttempt, createTransportMemory, type Failure } from './attempt'
import { EventSourceError } from './EventSourceError'
import { development } from './development'
import type { Liveness } from './liveness'
import { observers, tell } from './observers'
import { delivered } from './parseOnce'
import { decide, isGet, RECONNECTION_TIME } from './policy'
import { after, now } from './timers'
import type { TransportHandlers } from './transports/types'
import type { Connection, ConnectionListener, ConnectionState, TabSide, Tabs } from './connectionTypes'
import type { ConnectionOptions } from './types'

/** What the devtools call the transport of a tab that mirrors another tab's stream. */
const FOLLOWER = 'cross-tab follower'

/** An attempt that has waited less than this for its answer, in ms, is not one a wake-up reveals as stuck. */
const STUCK_AFTER = 1000

const IDLE: ConnectionState = { status: 'idle', error: null, attempt: 0, retryAt: 0 }

/** What changes a connection's state, each by its name; `transition` computes the state that follows. */
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

/** The one place a connection's next state is computed: always a new object, so that listeners are told. */
export function transition(state: ConnectionState, input: Input): ConnectionState {
  switch (input.type) {
    case 'started':
      return { ...IDLE, status: 'connecting', error: state.error }
    case 'opened':
      return { ...IDLE, status: 'open' }
    case 'lost':
      return { ...IDLE, status: 'reconnecting', error: input.error }
    case 'retrying':
      return { status: 'reconnecting', error: input.error, attempt: input.attempt, retryAt: input.retryAt }
    case 'gaveUp':
      return { ...IDLE, status: 'error', error: input.error }
    case 'finished':
      return { ...IDLE, status: 'closed' }
    case 'paused':
      return { ...IDLE }
    case 'mirrored':
      return { ...input.state }
  }
}

function resolveUrl(url: string | URL): URL | EventSourceError {
  try {
    const resolved = new URL(url, globalThis.location?.href)
    if (/^https?:$/.test(resolved.protocol)) return resolved
  } catch {}
  return new EventSourceError('url', 'not an http(s) url') // never shown: it may carry a token
}

/**
 * One stream, fanned out to any number of hooks: its status machine, its
 * position (the last event id, which outlives its hooks so that a hook shown
 * again resumes from it), its liveness, and the one reconnect policy. The
 * options are those of the longest-subscribed hook, read at every attempt, so
 * that a headers function or a delay function is always a live hook's latest
 * one. With `crossTab`, the cross-tab chunk decides whether this tab runs the
 * stream (the leader) or mirrors another tab's (a follower, which never
 * retries on its own). Creating a connection has no side effects.
 */
export function createConnection(url: string | URL, key = '', onDispose?: () => void): Connection {
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
  let lastEventId = ''
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
  /** Across tabs: the chunk's link while this connection shares, and whether this tab runs the stream. */
  let tabs: Tabs | undefined
  let leading = true
  /** Bumped when the connection stops, so that a chunk that loads later finds it stopped. */
  let run = 0

  /** Every change of state goes through here: the transition, then the listeners and observers, told once. */
  function dispatch(input: Input) {
    state = transition(state, input)
    for (const listener of listeners.keys()) listener.state(state)
    if (observers.size) tell('state', connection, state)
  }

  function deliver(type: string, data: string, id: string) {
    lastEventId = id
    delivered()
    for (const listener of listeners.keys()) listener.event(type, data, id)
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
    awaitAnswer()
  }

  /** What the failure of the current attempt tells of the next one. */
  function failure(opened: boolean, { status }: EventSourceError): Failure {
    const sameOrigin = resolved instanceof URL && resolved.origin === globalThis.location?.origin
    return { opened, status, lastEventId, sameOrigin }
  }

  /** The attempt failed, the stream ended, or it went silent: the policy decides. */
  function retry(error: EventSourceError, { silent = false, waited = 0 } = {}) {
    next.failed(current, failure(opened, error))
    stop()
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

  /** The open stream went silent: the connection is gone, though nobody said so. */
  function silent(silentMs: number) {
    const seconds = Math.max(1, Math.round(silentMs / 1000))
    retry(new EventSourceError('network', `no data for ${seconds} s: the connection was lost`), { silent: true })
  }

  /**
   * A GET stream's attempt that gets no answer in time is presumed to wait on a dead socket (see `answerWithin`).
   * An answer (a POST) waits as long as its server takes.
   */
  function awaitAnswer() {
    if (current && waiting && isGet(getOptions())) liveness?.awaitAnswer()
  }

  /** The attempt got no answer in time: the request went out on a dead socket, or the server hangs. */
  function unanswered(waited: number) {
    current?.close() // so that the browser drops the socket
    opened = false // this attempt (or the browser's retry within it) never opened
    const seconds = Math.round(waited / 1000)
    retry(new EventSourceError('network', `no answer in ${seconds} s`), { waited })
  }

  /**
   * The page woke up: a pending retry need not wait for its timer, an attempt of a GET stream that has no answer
   * yet may be waiting on a dead socket (it starts afresh), and an open stream must show it is alive.
   */
  function wake() {
    // An attempt begun a moment ago (as the page was shown) is not one that a wake-up reveals as stuck.
    if (cancelRetry || (current && waiting && now() - began >= STUCK_AFTER && isGet(getOptions()))) connect()
    else if (state.status === 'open') liveness?.suspect()
  }

  /** The liveness setting: an answer (not a GET) is watched only when the user set `idleTimeout` for it. */
  function idleTimeout() {
    const options = getOptions()
    return options.idleTimeout ?? (isGet(options) ? undefined : false)
  }

  /** `pauseWhenHidden`, where it applies: an answer (a POST) is never paused (it would be sent again). */
  function pauseAfter() {
    const options = getOptions()
    return isGet(options) && !options.crossTab ? options.pauseWhenHidden : undefined
  }

  /** `pauseWhenHidden`: the page has been hidden that long. A running GET stream lets go, keeping its position. */
  function pause() {
    if (!leading || state.status === 'closed' || state.status === 'error') return
    stop()
    dispatch({ type: 'paused' })
  }

  /** The page is shown again: a paused stream resumes from its position (`Last-Event-ID`). */
  function resume() {
    if (state.status === 'idle' && state !== IDLE) start()
  }

  function start() {
    next.restart()
    dispatch({ type: 'started' })
    const turn = run
    import('./liveness').then(
      ({ createLiveness }) => {
        if (turn !== run || liveness) return
        liveness = createLiveness({ setting: idleTimeout, silent, unanswered, woke: wake, pauseAfter, pause, resume })
        if (state.status === 'open' && leading) liveness.start()
        else awaitAnswer()
      },
      () => {}, // without its chunk (a deploy removed it), the stream goes on without liveness
    )
    const options = getOptions()
    // Only a shared stream (a key) is shared across tabs: a hook's own connection is its own in every way.
    if (!options.crossTab || !key || !isGet(options)) return connect()
    if (tabs) return leading ? connect() : tabs.reconnect()
    if (!leading) return // the chunk is on its way, and will say whether this tab leads
    // Across tabs: nothing runs until the chunk says whether this tab leads.
    leading = false
    import('../crossTab/share').then(
      ({ shareAcrossTabs }) => {
        if (turn === run) tabs = shareAcrossTabs(side)
      },
      () => turn === run && side.lead(true), // without the chunk, this tab connects on its own
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
    onDispose?.()
  }

  const connection: Connection = {
    url,
    subscribe(listener, options, shouldStart = true) {
      listeners.set(listener, options)
      if (state === IDLE && shouldStart) {
        if (observers.size) tell('started', connection)
        start()
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return
        // The grace period: StrictMode's unmount and remount, and an unmount and mount in one commit, happen
        // before this microtask runs, so they keep the open stream instead of opening a second one.
        queueMicrotask(() => {
          if (listeners.size > 0) return
          if (state !== IDLE) dispose()
          else onDispose?.() // its hooks joined a stream that had given up, and never started it
        })
      }
    },
    getState: () => state,
    listen(type) {
      if (types.has(type)) return
      types.add(type)
      current?.listen(type)
      if (!leading) tabs?.listen(type)
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

  const side: TabSide = {
    key,
    connection,
    lastEventId: () => lastEventId,
    types: () => types,
    lead(resume) {
      leading = true
      next.restart() // a tab that takes over resumes from its own position
      via = undefined
      if (!resume) return dispatch({ type: 'mirrored', state }) // told to the other tabs, as it was
      // The stream this tab mirrored was open: its own attempt has yet to be answered.
      if (state.status === 'open') dispatch({ type: 'lost', error: null })
      connect()
    },
    follow() {
      leading = false
      via = FOLLOWER
      stop()
    },
    deliver,
    mirror(leader) {
      if (leading) return // a note of the last leader's that came after this tab took over
      via = FOLLOWER
      dispatch({ type: 'mirrored', state: leader })
    },
  }
  return connection
}
