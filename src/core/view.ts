import type { Connection, ConnectionListener } from './connection'
import { EventSourceError } from './EventSourceError'
import { after, nextFrame } from './timers'
import type {
  EventName,
  EventSourceMessage,
  EventSourceResult,
  EventSourceStatus,
  UseEventSourceOptions,
} from './types'

export interface View<T> {
  /** For useSyncExternalStore (one subscriber, the hook's component): attaches to the connection, and detaches. */
  subscribe(onChange: () => void): () => void
  /** The current snapshot; before the first subscriber (on the server, while hydrating) the idle one. */
  getSnapshot(): EventSourceResult<T>
  /** Takes the latest options: callbacks, parser, events, throttle and history here; policy and headers function for the connection. */
  setOptions(options: UseEventSourceOptions<T>): void
}

const NO_HISTORY: readonly never[] = []
/** The length of an animation frame at 60 Hz, in ms. */
const FRAME = 16

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
 * connection, which reads the view's latest options while the view is
 * subscribed; it is `null` for a `null` url. Creating a view has no side
 * effects.
 *
 * Per event the work is constant: parse, store the fields, mark the snapshot
 * stale. React is told at most once per frame (or `throttle` ms), and the
 * snapshot object is built only when React reads it.
 */
export function createView<T>(
  acquire: (() => Connection) | null,
  initialOptions: UseEventSourceOptions<T>,
): View<T> {
  type Result = EventSourceResult<T>
  type Message = EventSourceMessage<T>
  let options = initialOptions
  let events: ReadonlySet<string>
  let onChange: (() => void) | undefined
  let connection: Connection | undefined
  let detachConnection: (() => void) | undefined
  let cancelFlush: (() => void) | undefined
  /** When React was last told of a change. */
  let toldAt = 0
  let closedByUser = false
  let connectionError: EventSourceError | null = null

  // The live fields; `snapshot` is rebuilt from them only when read after a change.
  let status: EventSourceStatus = 'idle'
  let error: EventSourceError | null = null
  let event: string | null = null
  let data: Result['data']
  let lastEventId = ''
  /** The last messages, up to twice `options.history` of them: halved when full, so that each message costs constant time. */
  let kept: Message[] = []
  let stale = false

  const close = () => {
    closedByUser = true
    detach()
    status = 'closed'
    changed(true)
  }
  const reconnect = () => {
    if (closedByUser) {
      closedByUser = false
      status = 'idle' // until the connection tells; it stays so for a null url
      changed(true)
      attach()
      const now = status as EventSourceStatus // set by attach()
      if (now !== 'error' && now !== 'closed') return // rejoining a live stream is enough
    }
    connection?.reconnect()
  }
  const build = () =>
    ({ status, error, event, data, lastEventId, history: options.history ? kept.slice(-options.history) : NO_HISTORY, close, reconnect }) as Result
  let snapshot = build()

  function notify() {
    cancelFlush?.()
    cancelFlush = undefined
    toldAt = Date.now()
    onChange?.()
  }

  /**
   * Status and errors are told at once. Data after a quiet spell is told right after the current task (the events
   * dispatched with it render with it); data within a frame (or `throttle` ms) of the last render waits for the
   * next frame (or the rest of `throttle`): one render for any number of events.
   */
  function changed(urgent?: boolean) {
    stale = true
    const { throttle } = options
    if (urgent || throttle === false) return notify()
    if (cancelFlush) return
    const since = Date.now() - toldAt
    if (since >= (throttle ?? FRAME)) cancelFlush = after(0, notify)
    else cancelFlush = throttle === undefined ? nextFrame(notify) : after(throttle - since, notify)
  }

  function fail(failure: EventSourceError) {
    error = failure
    changed(true)
    callSafely(options.onError, failure)
  }

  const listener: ConnectionListener = (type, raw, id) => {
    if (type === null) {
      // The connection's status changed, and its error is the hook's (a parse error lasts until then); a new one is reported.
      const { status: next, error: failure } = (connection as Connection).getState()
      const gaveUp = next === 'error' && status !== 'error'
      const isNew = failure !== connectionError
      status = next
      error = connectionError = failure
      changed(true)
      if (failure && isNew) callSafely(options.onError, failure)
      if (gaveUp) callSafely(options.onGiveUp, failure as EventSourceError)
      return
    }
    if (!events.has(type)) return
    let value: Result['data']
    try {
      value = options.parse ? options.parse(raw, type as EventName<T>) : JSON.parse(raw)
    } catch (cause) {
      return fail(new EventSourceError('parse', `Unparsable "${type}" event: ${cause}`, { raw, cause }))
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
  }

  function attach() {
    if (!acquire || !onChange || closedByUser || connection) return
    const joined = acquire()
    connection = joined
    for (const type of events) joined.listen(type)
    const leave = joined.subscribe(listener, () => options)
    // An onError told of a failure while subscribing (a bad url) may have closed the hook already.
    if (connection !== joined) return leave()
    detachConnection = leave
    // What happened before this hook joined is shown, not reported again to its callbacks.
    ;({ status, error: connectionError } = joined.getState())
    listener(null, '', '')
  }

  function detach() {
    detachConnection?.()
    detachConnection = connection = undefined
    cancelFlush?.()
    cancelFlush = undefined
  }

  function setOptions(next: UseEventSourceOptions<T>) {
    options = next
    if (!next.history) kept = [] // turned off: turned on again, it starts afresh
    events = new Set(next.events ?? ['message'])
    for (const type of events) connection?.listen(type)
  }
  setOptions(options)

  return {
    subscribe(listener) {
      onChange = listener
      attach()
      return () => {
        onChange = undefined
        detach()
      }
    },
    getSnapshot() {
      if (stale) {
        stale = false
        snapshot = build()
      }
      return snapshot
    },
    setOptions,
  }
}
