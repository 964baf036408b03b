import type { Connection, ConnectionListener, ConnectionState } from './connection'
import { EventSourceError } from './EventSourceError'
import { after, nextFrame } from './timers'
import type {
  ConnectionOptions,
  EventName,
  EventSourceMessage,
  EventSourceResult,
  EventSourceStatus,
  UseEventSourceOptions,
} from './types'

export interface View<T> {
  /** For useSyncExternalStore: the first listener attaches to the connection, the last one detaches. */
  subscribe(onChange: () => void): () => void
  /** The current snapshot; before the first subscriber (on the server, while hydrating) the idle one. */
  getSnapshot(): EventSourceResult<T>
  /** Takes the latest options: callbacks, parser, events, throttle and history here; policy and headers function for the connection. */
  setOptions(options: UseEventSourceOptions<T>): void
}

const DEFAULT_EVENTS = ['message']
const NO_HISTORY: readonly never[] = []

/** A user callback that throws must not stop the stream or the other hooks: it is rethrown as an uncaught error, out of the way. */
function callSafely<A>(callback: ((arg: A) => void) | undefined, arg: A) {
  try {
    callback?.(arg)
  } catch (error) {
    setTimeout(() => {
      throw error
    })
  }
}

/**
 * One hook's window on a connection: which events it takes, how it parses
 * them, and the immutable snapshot React renders. `acquire` gets the
 * connection (it reads the view's latest options); it is `null` for a `null`
 * url. Creating a view has no side effects.
 *
 * Per event the work is constant: parse, store the fields, mark the snapshot
 * stale. React is told at most once per frame (or `throttle` ms), and the
 * snapshot object is built only when React reads it.
 */
export function createView<T>(
  acquire: ((getOptions: () => ConnectionOptions) => Connection) | null,
  initialOptions: UseEventSourceOptions<T>,
): View<T> {
  type Data = EventSourceResult<T>['data']
  type Message = EventSourceMessage<T>
  let options = initialOptions
  let events = new Set<string>(options.events ?? DEFAULT_EVENTS)
  const reactListeners = new Set<() => void>()
  let connection: Connection | undefined
  let detachConnection: (() => void) | undefined
  let cancelFlush: (() => void) | undefined
  let closedByUser = false
  let connectionError: EventSourceError | null = null

  // The live fields; `snapshot` is rebuilt from them only when read after a change.
  let status: EventSourceStatus = 'idle'
  let error: EventSourceError | null = null
  let event: string | null = null
  let data: Data
  let lastEventId = ''
  /** The last messages, up to twice `options.history` of them: halved when full, so that each message costs constant time. */
  let kept: Message[] = []
  let stale = false

  const history = (size = options.history) => (size ? kept.slice(-size) : NO_HISTORY)
  const close = () => {
    closedByUser = true
    detach()
    status = 'closed'
    changed(true)
  }
  const reconnect = () => {
    if (!closedByUser) return connection?.reconnect()
    closedByUser = false
    if (reactListeners.size > 0) attach()
  }
  const build = () => ({ status, error, event, data, lastEventId, history: history(), close, reconnect }) as EventSourceResult<T>
  let snapshot = build()

  function notify() {
    cancelFlush?.()
    cancelFlush = undefined
    for (const onChange of reactListeners) onChange()
  }

  /** Status and errors are told at once; data waits for the next frame (or `throttle`), one render for any number of events. */
  function changed(urgent?: boolean) {
    stale = true
    const { throttle } = options
    if (urgent || throttle === false) return notify()
    cancelFlush ??= throttle === undefined ? nextFrame(notify) : after(throttle, notify)
  }

  function syncState(state: ConnectionState) {
    if (status === state.status && connectionError === state.error) return
    if (state.status === 'error' && status !== 'error') callSafely(options.onGiveUp, state.error as EventSourceError)
    status = state.status
    if (state.error !== connectionError) {
      connectionError = error = state.error
      if (state.error) callSafely(options.onError, state.error)
    }
    changed(true)
  }

  function fail(failure: EventSourceError) {
    error = failure
    changed(true)
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
        return fail(new EventSourceError('parse', `Unparsable "${type}" event: ${(cause as Error)?.message ?? cause}`, { raw, cause }))
      }
      event = type
      data = value
      lastEventId = id
      changed()
      const { history: size, onMessage } = options
      if (!size && !onMessage) return // no message object needed
      const message = { event: type, data: value, id, raw } as unknown as Message
      if (size && kept.push(message) >= 2 * size) kept = kept.slice(-size)
      callSafely(onMessage, message)
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
    cancelFlush?.()
    cancelFlush = undefined
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
    setOptions(next) {
      options = next
      events = new Set(next.events ?? DEFAULT_EVENTS)
      for (const type of events) connection?.listen(type)
    },
  }
}
