import type { Connection, ConnectionListener, Controls, Input, Tabs } from './connectionTypes'
import { development } from './development'
import type { Liveness } from './liveness'
import { observers, tell } from './observers'
import { delivered } from './parseOnce'
import { isGet } from './policy'
import { createRunner } from './runner'
import { IDLE, transition } from './transition'
import type { ConnectionOptions } from './types'

/** What the devtools call the transport of a tab that mirrors another tab's stream. */
const FOLLOWER = 'cross-tab follower'

/** The cross-tab chunk, as the layer above hands it to a shared connection (see `registry.ts`). */
export type ShareLoader = () => Promise<{ shareAcrossTabs(controls: Controls, passive: boolean): Tabs | undefined }>

/** How a connection is created: shared connections have a key, are forgotten when they stop, and may cross tabs. */
export interface ConnectionSetup {
  /** The stream's identity (url and connection options), for a connection the registry shares. */
  key?: string
  /** Called once the connection has stopped: its last hook left, after the grace period. */
  onDispose?: () => void
  /** Loads the cross-tab chunk, for a shared connection whose options ask for `crossTab`. */
  share?: ShareLoader
}

/**
 * One stream, fanned out to any number of hooks: its status machine, its
 * position (the last event id, which outlives its hooks so that a hook shown
 * again resumes from it), and, while this tab runs the stream, its attempts
 * (`createRunner`, with the one reconnect policy). The options are those
 * of the longest-subscribed hook, read at every attempt, so that a headers
 * function or a delay function is always a live hook's latest one. Chunks
 * drive it through its `Controls` once they load: its liveness clock, and,
 * with `crossTab`, the other tabs, which decide whether this tab runs the
 * stream (the leader) or mirrors another tab's (a follower, which never
 * retries on its own). Creating a connection has no side effects.
 */
export function createConnection(url: string | URL, { key = '', onDispose, share }: ConnectionSetup = {}): Connection {
  development()
  const listeners = new Map<ConnectionListener, () => ConnectionOptions>()
  const getOptions = (): ConnectionOptions => listeners.values().next().value?.() ?? {}
  const types = new Set<string>()
  let state = IDLE
  /** Loaded when the stream starts (a chunk of its own): the open stream's liveness clock and the page's wake-ups. */
  let liveness: Liveness | undefined
  let lastEventId = ''
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

  /** The attempts, while this tab runs the stream. */
  const runner = createRunner({
    url,
    options: getOptions,
    types,
    lastEventId: () => lastEventId,
    moveTo(id) {
      lastEventId = id
    },
    state: () => state,
    dispatch,
    deliver,
    liveness: () => liveness,
  })

  /** Begins an attempt now, if this tab runs the stream (else it only drops what it ran). */
  function connect() {
    if (leading) runner.begin()
    else runner.stop()
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
    runner.restart()
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
    runner.stop()
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
          else onDispose?.()
        })
      }
    },
    getState: () => state,
    listen(type) {
      if (types.has(type)) return
      types.add(type)
      runner.listen(type)
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
      runner.finish()
    },
    inspect: () => ({
      options: getOptions(),
      hooks: listeners.size,
      types,
      transport: runner.via,
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
    stop: runner.stop,
    retry: runner.retry,
    waitingSince: runner.waitingSince,
    retrying: runner.retrying,
    lead() {
      leading = true
      runner.via = undefined
      runner.restart() // a tab that takes over resumes from its own position
    },
    follow() {
      leading = false
      runner.via = FOLLOWER
      runner.stop()
    },
  }
  return connection
}
