import type { ConnectionState } from '../core/connectionTypes'
import { environment } from '../core/environment'
import { EventSourceError, type EventSourceErrorKind } from '../core/EventSourceError'
import { now } from '../core/timers'

/** An event as it crosses tabs. */
export interface Relayed {
  type: string
  data: string
  id: string
}

/** A state as it crosses tabs: an Error does not survive structured cloning with its fields, nor a time another page's clock. */
export interface SentState {
  status: ConnectionState['status']
  /** `id` names the failure: a state sent again (a welcome, a new leader) carries the same one, told once. */
  error: { id: string; kind: EventSourceErrorKind; message: string; status?: number | undefined } | null
  attempt: number
  /** Milliseconds until the leader's pending retry; 0 when none is. */
  retryIn: number
}

/** What the tabs of one stream tell one another over its BroadcastChannel. */
export type Note =
  /**
   * To the leader: a tab joined (or rejoined, or answers a new leader) at its position, listening to `types`; `ask`
   * names this hello (only its own welcome is applied); `log`: the tab keeps no events yet, and asks for the leader's;
   * `visible`: its page is shown (for `pauseWhenHidden`).
   */
  | { kind: 'hello'; tab: string; ask: string; from: string; types: string[]; log: boolean; visible: boolean }
  /** To the leader: a tab's page was shown or hidden (`pauseWhenHidden`), or its hooks left (`visible: false`). */
  | { kind: 'seen'; tab: string; visible: boolean }
  /** To the leader: a tab listens to one more event type. */
  | { kind: 'listen'; type: string }
  /** To the leader: a follower's `reconnect()`. */
  | { kind: 'reconnect' }
  /** From a new leader (`epoch` names its turn). */
  | { kind: 'lead'; epoch: string }
  /** From the leader, the stream as it goes. */
  | { kind: 'event'; epoch: string; event: Relayed }
  /** `leaving`: the leader lets go of the stream, in this state. */
  | { kind: 'state'; epoch: string; state: SentState; leaving?: true }
  /** To one tab that said hello (`ask`): the state, the events after its position, and the leader's log if asked. */
  | { kind: 'welcome'; epoch: string; to: string; ask: string; state: SentState; events: Relayed[]; log?: Relayed[] }

/** What a tab does with each kind of note it hears. */
export type Handlers = { [K in Note['kind']]?: (note: Extract<Note, { kind: K }>) => void }

/** A name no other tab picks: for a tab, a turn of leading, a hello, a failure. */
export const newId = (): string => `${environment.Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

/**
 * The name each failure crosses tabs with, and the failures this tab knows by name (the last few): the same failure,
 * relayed, sent again or sent to this tab when it rejoins, is the same object here, so that hooks are told it once.
 */
const failures = new WeakMap<EventSourceError, string>()
const known = new Map<string, EventSourceError>()
const KNOWN_FAILURES = 16

function remember(id: string, error: EventSourceError): EventSourceError {
  failures.set(error, id)
  known.delete(id)
  known.set(id, error)
  for (const old of known.keys()) if (known.size > KNOWN_FAILURES) known.delete(old)
  return error
}

function named(error: EventSourceError): string {
  const id = failures.get(error) ?? newId()
  if (known.get(id) !== error) remember(id, error)
  return id
}

/** A connection's state, as it is sent to the other tabs. */
export const send = ({ status, error, attempt, retryAt }: ConnectionState): SentState => ({
  status,
  error: error && { id: named(error), kind: error.kind, message: error.message, status: error.status },
  attempt,
  retryIn: retryAt && Math.max(0, retryAt - now()),
})

/** A state another tab sent, as this tab's connection takes it (a failure it knows by name is the same object). */
export const receive = ({ status, error, attempt, retryIn }: SentState): ConnectionState => ({
  status,
  error:
    error &&
    (known.get(error.id) ??
      remember(error.id, new EventSourceError(error.kind, error.message, { status: error.status }))),
  attempt,
  retryAt: retryIn && now() + retryIn,
})
