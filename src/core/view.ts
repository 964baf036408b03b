import type { Connection, ConnectionListener, ConnectionState } from './connection'
import { EventSourceError } from './EventSourceError'
import type { ConnectionOptions, EventName, EventSourceResult, EventSourceStatus, UseEventSourceOptions } from './types'


export interface View<T> {
  /** For useSyncExternalStore: the first listener attaches to the connection, the last one detaches. */
  subscribe(onChange: () => void): () => void
  getSnapshot(): EventSourceResult<T>
  getServerSnapshot(): EventSourceResult<T>
  /** Takes the latest options: callbacks, parser and event list here, policy and headers function for the connection. */
  setOptions(options: UseEventSourceOptions<T>): void
}

const DEFAULT_EVENTS = ['message']

/** A user callback that throws must not stop the stream or the other hooks: report it as an uncaught error, then go on. */
function report(error: unknown) {
  if (typeof reportError === 'function') reportError(error)
  else
    setTimeout(() => {
      throw error
    })
}

/**
 * One hook's window on a connection: which events it takes, how it parses
 * them, and the immutable snapshot React renders. `acquire` gets the
 * connection (it reads the view's latest options); it is `null` for a `null`
 * url. Creating a view has no side effects.
 */
export function createView<T>(
  acquire: ((getOptions: () => ConnectionOptions) => Connection) | null,
  initialOptions: UseEventSourceOptions<T>): View<T> {
  type Data = EventSourceResult<T>['data']
  let options = initialOptions
  let events = new Set<string>(options.events ?? DEFAULT_EVENTS)
  const reactListeners = new Set<() => void>()
  let connection: Connection | undefined
  let detachConnection: (() => void) | undefined
  let closedByUser = false
  let connectionError: EventSourceError | null = null

  // The live fields; `snapshot` is rebuilt from them only when read after a change.
  let status: EventSourceStatus = 'idle'
  let error: EventSourceError | null = null
  let event: string | null = null
  let data: Data
  let lastEventId = ''
  let stale = false

  const close = () => {
    closedByUser = true
    detach()
    status = 'closed'
    changed()
  }
  const reconnect = () => {
    if (closedByUser) {
      closedByUser = false
      if (reactListeners.size > 0) attach()
    } else {
      connection?.reconnect()
    }
  }
  const build = () => ({ status, error, event, data, lastEventId, close, reconnect }) as EventSourceResult<T>
  let snapshot = build()
  const serverSnapshot = snapshot

  function changed() {
    stale = true
    for (const onChange of reactListeners) onChange()
  }

  function syncState(state: ConnectionState) {
    if (status === state.status && connectionError === state.error) return
    if (state.status === 'error' && status !== 'error') callSafely(options.onGiveUp, state.error as EventSourceError)
    status = state.status
    if (state.error !== connectionError) {
      connectionError = error = state.error
      if (state.error) callSafely(options.onError, state.error)
    }
    changed()
  }

  function fail(failure: EventSourceError) {
    error = failure
    changed()
    callSafely(options.onError, failure)
  }

  const listener: ConnectionListener = {
    state: syncState,
    message(type, raw, id) {
      if (!events.has(type)) return
      let value: Data
      try {
        value = (options.parse ? options.parse(raw, type as EventName<T>) : JSON.parse(raw)) as Data
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause)
        return fail(new EventSourceError('parse', `The data of a "${type}" event could not be parsed: ${reason}`, { raw, cause }))
      }
      event = type
      data = value
      lastEventId = id
      changed()
      if (options.onMessage) callSafely(options.onMessage, { event: type, data: value, id, raw } as never)
    },
  }

  function attach() {
    if (!acquire || closedByUser || detachConnection) return
    connection = acquire(() => options)
    for (const type of events) connection.listen(type)
    detachConnection = connection.subscribe(listener)
    syncState(connection.getState())
  }

  function detach() {
    detachConnection?.()
    detachConnection = connection = undefined
  }

  return {
    subscribe(onChange) {
      reactListeners.add(onChange)
      if (reactListeners.size === 1) attach()
      return () => {
        reactListeners.delete(onChange)
        if (reactListeners.size === 0) detach()
      }
    },
    getSnapshot() {
      if (stale) {
        stale = false
        snapshot = build()
      }
      return snapshot
    },
    getServerSnapshot: () => serverSnapshot,
    setOptions(next) {
      options = next
      const types = next.events ?? DEFAULT_EVENTS
      if (types.length === events.size && types.every((type) => events.has(type))) return
      events = new Set(types)
      for (const type of events) connection?.listen(type)
    },
  }
}

function callSafely<A>(callback: ((arg: A) => void) | undefined, arg: A) {
  try {
    callback?.(arg)
  } catch (error) {
    report(error)
  }
}
