import { callSafely } from './callSafely'
import type { Connection, ConnectionListener } from './connectionTypes'
import { EventSourceError } from './EventSourceError'
import { tell } from './observers'
import { parseJson } from './parseOnce'
import { schedule } from './scheduler'
import { now } from './timers'
import type {
  EventName,
  EventSourceMessage,
  EventSourceResult,
  EventSourceStatus,
  Payload,
  UseEventSourceOptions,
} from './types'

export interface View<T> {
  /** For useSyncExternalStore (one subscriber, the hook's component): attaches to the connection, and detaches. */
  subscribe(onChange: () => void): () => void
  /** The current snapshot; before the first subscriber (on the server, while hydrating) the idle one. */
  getSnapshot(): EventSourceResult<T>
  /** Takes the latest options: callbacks, parser, events, throttle and history here; policy and headers function for the connection. */
  setOptions(options: Options<T>): void
}

const NO_HISTORY: readonly never[] = []

/** What a hook keeps across the views of its successive streams. */
export interface HookState {
  /** `close()` was called: a new url or connection options open nothing until `reconnect()`. */
  closed: boolean
  /** The view subscribed now: the hook's `close` and `reconnect` act on it, whichever render they came from. */
  view?: Pick<EventSourceResult<unknown>, 'close' | 'reconnect'>
  close(): void
  reconnect(): void
}

/** A hook's state, with the `close` and `reconnect` it returns for its whole life. */
export function createHookState(): HookState {
  const hook: HookState = { closed: false, close: () => hook.view?.close(), reconnect: () => hook.view?.reconnect() }
  return hook
}

/** A hook's options, whatever the type of its fold (the view only passes the state along). */
type Options<T> = UseEventSourceOptions<T, unknown>

/**
 * One hook's window on a connection: which events it takes, how it parses
 * (and folds) them, and the immutable snapshot React renders. `acquire` gets
 * the connection, which reads the view's latest options while the view is
 * subscribed; it is `null` for a `null` url. Creating a view has no side
 * effects.
 *
 * Per event the work is constant: parse, fold, store the fields, and mark the
 * view pending with the page's scheduler. The snapshot is published when
 * React is told: at once for a change of status, at the page's next flush for
 * data, so that every hook on a stream shows the same event in a frame.
 */
export function createView<T>(
  acquire: ((previous?: Connection) => Connection) | null,
  initialOptions: Options<T>,
  hook: HookState,
): View<T> {
  type Result = EventSourceResult<T>
  type Message = EventSourceMessage<T>
  let options = initialOptions
  let events: ReadonlySet<string>
  let onChange: (() => void) | undefined
  let connection: Connection | undefined
  /** The connection this hook last subscribed to, kept while it is detached (hidden by <Activity>). */
  let held: Connection | undefined
  let detachConnection: (() => void) | undefined
  let unschedule: (() => void) | undefined
  /** When React was last told of new data. */
  let toldAt = -Infinity
  let connectionError: EventSourceError | null = null
  /** The failures this hook's onError was told of. */
  const told = new WeakSet<EventSourceError>()

  // The live fields; `snapshot` is built from them when React is told.
  let status: EventSourceStatus = hook.closed ? 'closed' : 'idle'
  let error: EventSourceError | null = null
  let event: string | null = null
  let data = options.initial as Result['data']
  let lastEventId = ''
  /** The last messages, up to twice `options.history` of them: halved when full, so that each message costs constant time. */
  let kept: Message[] = []

  const close = () => {
    hook.closed = true
    detach()
    status = 'closed'
    notify()
  }
  const reconnect = () => {
    // Closed by the user, or a stream that ended for good while hidden (<Activity>): start over.
    if (!connection) {
      hook.closed = false
      status = 'idle' // until the connection tells; it stays so for a null url
      notify()
      attach()
      const now = status as EventSourceStatus // set by attach()
      if (now === 'open' || now === 'connecting') return // rejoining a live stream is enough
    }
    connection?.reconnect()
  }
  const build = () =>
    ({
      status,
      error,
      event,
      data,
      lastEventId,
      history: options.history ? kept.slice(-options.history) : NO_HISTORY,
      close: hook.close,
      reconnect: hook.reconnect,
    }) as Result
  let snapshot = build()

  /** Publishes the snapshot and tells React. */
  function notify() {
    unschedule?.()
    unschedule = undefined
    snapshot = build()
    onChange?.()
    if (connection) tell('rendered', connection)
  }

  /** New data: told at the page's next flush (not before `throttle` ms after the last time), or at once with `throttle: false`. */
  function received() {
    const { throttle } = options
    if (throttle === false) return notify()
    unschedule ??= schedule(
      () => {
        if (throttle) toldAt = now() // the clock is read only for a throttle in ms
        notify() // which clears `unschedule`
      },
      toldAt + (throttle || 0),
    )
  }

  /** One event failed to parse: shown with the next flush, as data is (a stream of them must not render each). */
  function fail(failure: EventSourceError) {
    error = failure
    if (connection) tell('rejected', connection, failure)
    received()
    callSafely(() => options.onError?.(failure))
  }

  const listener: ConnectionListener = {
    state({ status: next, error: failure }) {
      // The connection's error is the hook's (a parse error lasts until the status changes); a new one is reported.
      const gaveUp = next === 'error' && status !== 'error'
      // A failure told before (the stream restarted in between, and another tab tells it again) is not new.
      const isNew = failure !== connectionError && !!failure && !told.has(failure)
      status = next
      error = connectionError = failure
      notify()
      if (failure && isNew) {
        told.add(failure)
        callSafely(() => options.onError?.(failure))
      }
      if (gaveUp) callSafely(() => options.onGiveUp?.(failure as EventSourceError))
    },
    event(type, raw, id) {
      if (!events.has(type)) return
      let value: Payload<T>
      try {
        value = options.parse ? options.parse(raw, type as EventName<T>) : (parseJson(raw) as Payload<T>)
      } catch (cause) {
        return fail(new EventSourceError('parse', String(cause), { raw, cause }))
      }
      event = type
      lastEventId = id
      const { history: size, onMessage, reduce } = options
      // A plain hook (no history, reduce or onMessage) needs no message object: its data is the value.
      const message = size || onMessage || reduce ? ({ event: type, data: value, id, raw } as unknown as Message) : null
      if (size && message && kept.push(message) >= 2 * size) kept = kept.slice(-size)
      // A reducer that throws leaves the state as it was.
      if (reduce) callSafely(() => (data = reduce(data, message as Message) as Result['data']))
      else data = value as Result['data']
      received()
      if (onMessage) callSafely(() => onMessage(message as Message))
    },
  }

  function attach() {
    // Stopped by the user: nothing is asked again until reconnect().
    if (!acquire || !onChange || connection || hook.closed) return
    // The connection this hook held before (shown again after <Activity mode="hidden">) comes back with its position.
    const joined = acquire(held)
    held = connection = joined
    for (const type of events) joined.listen(type)
    // A hook whose stream was closed by the server or gave up (while hidden) does not start it again (no completed
    // answer sent twice, no 401 hammered), but it rejoins a stream that another hook has started again.
    const leave = joined.subscribe(listener, () => options, status !== 'closed' && status !== 'error')
    // An onError told of a failure while subscribing (a bad url) may have closed the hook already.
    if (connection !== joined) return leave()
    detachConnection = leave
    // What happened before this hook joined is shown, not reported again to its callbacks.
    const current = joined.getState()
    if (current.status !== 'idle') ({ status, error: connectionError } = current)
    listener.state({ ...current, status, error: connectionError })
  }

  function detach() {
    detachConnection?.()
    detachConnection = connection = undefined
    unschedule?.()
    unschedule = undefined
  }

  function setOptions(next: Options<T>) {
    options = next
    if (!next.history) kept = [] // turned off: turned on again, it starts afresh
    events = new Set(next.events ?? ['message'])
    for (const type of events) connection?.listen(type)
  }
  setOptions(options)

  return {
    subscribe(listener) {
      onChange = listener
      hook.view = { close, reconnect }
      attach()
      return () => {
        onChange = undefined
        detach()
      }
    },
    getSnapshot: () => snapshot,
    setOptions,
  }
}
