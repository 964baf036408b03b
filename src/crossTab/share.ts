import type { ConnectionState, Controls, Tabs } from '../core/connectionTypes'
import { EventSourceError, type EventSourceErrorKind } from '../core/EventSourceError'
import { after, now } from '../core/timers'
import { digest } from './digest'

/** A state as it crosses tabs: an Error does not survive structured cloning with its fields, nor a time another page's clock. */
interface SentState {
  status: ConnectionState['status']
  /** `id` names the failure: a state sent again (a welcome, a new leader) carries the same one, told once. */
  error: { id: string; kind: EventSourceErrorKind; message: string; status?: number | undefined } | null
  attempt: number
  /** Milliseconds until the leader's pending retry; 0 when none is. */
  retryIn: number
}

type Relayed = [type: string, data: string, id: string]

/** What the tabs of one stream tell one another over its BroadcastChannel. */
type Note =
  /**
   * To the leader: a tab joined (or rejoined, or answers a new leader) at its position, listening to `types`; `ask`
   * names this hello (only its own welcome is applied); `log`: the tab keeps no events yet, and asks for the leader's.
   */
  | { kind: 'hello'; tab: string; ask: string; from: string; types: string[]; log: boolean }
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

/** How many of the last events each tab keeps to replay to a tab that rejoins. */
export const REPLAY_LOG = 1000
/**
 * How long the position a leader left behind when it let the stream go (its page frozen, cached, or its hooks gone) is
 * taken up by a tab that leads afresh, in ms: about as long as a browser keeps a page in its back/forward cache.
 */
export const LEFT_BEHIND_FOR = 10 * 60_000

/** How long a tab granted the stream waits to hear how the last leader left it (a 401 must not be asked again). */
export const HANDOVER = 250

/**
 * The position a leader leaves behind as it lets the stream go, in the origin's storage: a tab that opens while every
 * tab that knew the stream is away (frozen, in the back/forward cache) resumes from it, so that those tabs, back,
 * miss nothing. Storage may be refused (a sandboxed frame, a full quota): then the tab leads from where it stands.
 */
function leaveBehind(name: string, lastEventId: string) {
  try {
    if (lastEventId) globalThis.localStorage?.setItem(name, JSON.stringify([lastEventId, Date.now()]))
  } catch {}
}

/** The position the last leader left behind, if it is recent (see `LEFT_BEHIND_FOR`); `''` for none. */
function leftBehind(name: string): string {
  try {
    const [lastEventId, at] = JSON.parse(globalThis.localStorage?.getItem(name) ?? '[]')
    return typeof lastEventId === 'string' && Date.now() - at < LEFT_BEHIND_FOR ? lastEventId : ''
  } catch {
    return ''
  }
}

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

/**
 * The name each failure crosses tabs with, and the failures this tab knows by name (the last few): the same failure,
 * relayed, sent again or sent to this tab when it rejoins, is the same object here, so that hooks are told it once.
 */
const failures = new WeakMap<EventSourceError, string>()

/** A tab's last events of a stream, oldest first: those after `after`, the position it stood at before them. */
interface Log {
  /** `''` where not known (a log taken from the leader's). */
  after: string
  events: Relayed[]
}

/**
 * Each stream's last events in this tab, by its key, kept as its position is (see the registry): a tab whose hooks
 * left and came back still has what it relayed before, for a tab that rejoins from further back.
 */
const logs = new Map<string, Log>()
/** How many streams' logs a tab keeps (the one used longest ago is dropped first). */
const LOGS = 8
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

const send = ({ status, error, attempt, retryAt }: ConnectionState): SentState => ({
  status,
  error: error && { id: named(error), kind: error.kind, message: error.message, status: error.status },
  attempt,
  retryIn: retryAt && Math.max(0, retryAt - now()),
})

const receive = ({ status, error, attempt, retryIn }: SentState): ConnectionState => ({
  status,
  error:
    error &&
    (known.get(error.id) ??
      remember(error.id, new EventSourceError(error.kind, error.message, { status: error.status }))),
  attempt,
  retryAt: retryIn && now() + retryIn,
})

/**
 * Shares one connection's stream with the other tabs of the browser profile.
 * The tab granted the stream's Web Lock runs it (the leader: its connection,
 * its policy, its liveness) and relays every event and state over a
 * BroadcastChannel; the other tabs mirror them and never retry on their own.
 * Each tab keeps the last events; a tab that rejoins (shown again, resumed,
 * or answering a new leader) says where it stands and is sent what it
 * missed. When the leader goes (its tab closes, is frozen, or its hooks
 * leave), the next tab is granted the lock and carries on from its own
 * position, unless the stream had given up. Without Web Locks or
 * BroadcastChannel there is nothing to share: `undefined`, and the tab runs
 * the stream on its own. `passive`: the tab's hooks joined a stream that had
 * given up or was closed; it hears the tab that runs the stream, if one does,
 * and asks for the lock only when one of its hooks calls `reconnect()`.
 */
export function shareAcrossTabs(side: Controls, passive: boolean): Tabs | undefined {
  const locks = globalThis.navigator?.locks
  if (!locks || typeof BroadcastChannel === 'undefined') return undefined
  const tab = newId()
  const name = `use-event-source:${digest(side.key)}`
  /** Closed while the page is in the back/forward cache: an open channel would keep it out of the cache. */
  let channel: BroadcastChannel | undefined
  let closed = false
  let leading = false
  let release: (() => void) | undefined
  let waiting: AbortController | undefined
  /** The leader's turn: this tab's own while it leads; as a follower, the turn it follows, and those that ended. */
  let epoch = ''
  const former = new Set<string>()
  /** How the last leader left the stream, once told (its `leaving` state). */
  let leftAs: ConnectionState | undefined
  let cancelHandover: (() => void) | undefined
  const log = logs.get(side.key) ?? { after: side.lastEventId(), events: [] }
  logs.delete(side.key)
  logs.set(side.key, log)
  for (const oldest of logs.keys()) if (logs.size > LOGS) logs.delete(oldest)
  /**
   * Between a hello and its welcome: the events relayed meanwhile, held so that what the leader sends again comes
   * first, in order (`undefined` when no welcome is awaited).
   */
  let held: Relayed[] | undefined
  /** The hello whose welcome is awaited: an earlier one's welcome (a leader answers every hello) is not applied. */
  let asked = ''
  let state: SentState | undefined

  const post = (note: Note) => {
    if (!closed) channel?.postMessage(note)
  }
  const keep = (event: Relayed) => {
    if (log.events.push(event) < 2 * REPLAY_LOG) return
    log.after = log.events[log.events.length - REPLAY_LOG - 1]?.[2] ?? ''
    log.events = log.events.slice(-REPLAY_LOG)
  }
  /** The events after `from`, or none where `from` is not kept (no position, or too old). */
  const since = (events: Relayed[], from: string): Relayed[] | undefined => {
    if (!from) return []
    for (let index = events.length - 1; index >= 0; index--) {
      if (events[index]?.[2] === from) return events.slice(index + 1)
    }
    return undefined
  }

  function request() {
    const asking = new AbortController()
    waiting = asking
    // A lock granted to a request taken back (the grant was on its way) is let go at once.
    const granted = () =>
      new Promise<void>((resolve) => {
        if (waiting !== asking || closed) return resolve()
        waiting = undefined
        release = resolve
        take()
      })
    locks.request(name, { signal: asking.signal }, granted).catch((error: unknown) => {
      // Taken back while waiting (an abort), or refused (an opaque origin): then this tab runs the stream alone.
      if ((error as Error)?.name !== 'AbortError' && !closed) alone()
    })
  }

  /** Runs the stream: from its position (`resume`), or left as it is (it gave up, or was closed). */
  function lead(resume: boolean) {
    side.lead()
    const last = side.connection.getState()
    if (!resume) return side.dispatch({ type: 'mirrored', state: last }) // told to the other tabs, as it was
    // The stream this tab mirrored was open: its own attempt has yet to be answered.
    if (last.status === 'open') side.dispatch({ type: 'lost', error: null })
    side.connect()
  }

  /** Refused the lock (an opaque origin): this tab runs the stream on its own, and hears no other tab. */
  function alone() {
    leading = true
    channel?.close()
    channel = undefined
    lead(true)
  }

  /** Granted: lead, at once if no leader was heard of, else once the last one's leaving state is known. */
  function take() {
    if (closed) return release?.()
    const takeOver = () => {
      // No welcome will come. A tab with a position resumes from it, and the server sends the held events again
      // (delivered now, they would move the position past those the welcome was to bring); without, it keeps them.
      if (side.lastEventId()) held = undefined
      else releaseHeld()
      // No leader was heard, and this tab has no position: the stream resumes from the one the last leader left.
      if (!epoch && !side.lastEventId()) {
        side.resumeFrom(leftBehind(name))
        if (!log.events.length) log.after = side.lastEventId()
      }
      asked = ''
      cancelHandover?.()
      cancelHandover = undefined
      leading = true
      if (epoch) former.add(epoch)
      epoch = newId()
      post({ kind: 'lead', epoch })
      const last = leftAs ?? side.connection.getState()
      state = send(last)
      lead(last.status !== 'error' && last.status !== 'closed')
    }
    if (!epoch || leftAs) takeOver()
    else cancelHandover = after(HANDOVER, takeOver)
  }

  /**
   * A page about to be frozen (or put in the back/forward cache) runs nothing: it lets the stream go, and the lock,
   * also where it was granted and still waits to hear how the last leader left (a frozen tab that held it would keep
   * every other tab waiting behind it, their hooks mirroring a leader that is gone).
   */
  function stepDown() {
    waiting?.abort()
    waiting = undefined
    cancelHandover?.()
    cancelHandover = undefined
    if (leading) {
      leaveBehind(name, side.lastEventId())
      if (state) post({ kind: 'state', epoch, state, leaving: true })
      leading = false
      side.follow()
    }
    release?.()
    release = undefined
  }

  /** Asks for the lock (unless `passive`: this tab only hears the others), and says where it stands. */
  function stepUp() {
    if (leading || waiting || closed) return
    if (!passive) request()
    hello()
  }

  /** The page comes back from the back/forward cache: it listens again, and says where it stands. */
  function show() {
    if (closed) return
    if (!channel) {
      channel = new BroadcastChannel(name)
      channel.onmessage = ({ data }: MessageEvent<Note>) => hear(data)
    }
    stepUp()
  }

  /** The page goes (into the back/forward cache, or away): it lets the stream go, and closes its channel. */
  function hide() {
    stepDown()
    channel?.close()
    channel = undefined
  }

  /** Says where this tab stands; until the leader's welcome, relayed events are held. */
  function hello() {
    held ??= []
    asked = newId()
    post({
      kind: 'hello',
      tab,
      ask: asked,
      from: side.lastEventId(),
      types: [...side.types()],
      log: !log.events.length,
    })
  }

  /** A tab that keeps no events yet takes the leader's, but for those it is about to deliver (kept as delivered). */
  function adopt(leaders: Relayed[], events: Relayed[]) {
    if (log.events.length) return
    const first = (events[0] ?? held?.[0])?.[2]
    let index = leaders.length - 1
    while (first && index >= 0 && leaders[index]?.[2] !== first) index--
    log.events = first && index >= 0 ? leaders.slice(0, index) : [...leaders]
    log.after = ''
  }

  /** Delivers what was held (nothing is awaited any more: a welcome came, or this tab leads). */
  function releaseHeld(after: Relayed[] = []) {
    const events = held ?? []
    held = undefined
    // What the welcome sent again is delivered once: only the held events after its last one.
    const last = after.at(-1)?.[2] ?? side.lastEventId() // a welcome with nothing new: what this tab has, it keeps
    const newer = last ? (since(events, last) ?? events) : events
    for (const event of [...after, ...newer]) side.deliver(event[0], event[1], event[2])
  }

  function hear(note: Note) {
    if (closed) return
    if (leading) {
      if (note.kind === 'hello') {
        for (const type of note.types) side.connection.listen(type)
        // The events after the tab's position: none where it has none, or stands further back than this tab's log.
        const events = note.from && note.from === log.after ? log.events : (since(log.events, note.from) ?? [])
        const welcome = { kind: 'welcome', epoch, to: note.tab, ask: note.ask, events } as const
        if (state) post({ ...welcome, state, ...(note.log && { log: log.events.slice(-REPLAY_LOG) }) })
      } else if (note.kind === 'listen') side.connection.listen(note.type)
      else if (note.kind === 'reconnect') side.connection.reconnect()
      return
    }
    if (note.kind === 'lead') {
      if (epoch) former.add(epoch)
      epoch = note.epoch
      leftAs = undefined
      hello()
      return
    }
    if (!('epoch' in note) || former.has(note.epoch)) return // a former leader's notes may come late
    if (note.kind === 'welcome' && (note.to !== tab || note.ask !== asked)) return
    epoch = note.epoch // a turn that began before this tab listened is followed from its first note
    if (note.kind === 'event') {
      if (held) held.push(note.event)
      else side.deliver(note.event[0], note.event[1], note.event[2])
    } else if (note.kind === 'state') {
      side.dispatch({ type: 'mirrored', state: receive(note.state) })
      if (note.leaving) {
        leftAs = receive(note.state)
        former.add(note.epoch)
        if (cancelHandover) take()
      }
    } else if (note.kind === 'welcome') {
      asked = ''
      side.dispatch({ type: 'mirrored', state: receive(note.state) })
      if (note.log) adopt(note.log, note.events)
      // The events after this tab's position when it said hello, then those relayed since that the welcome lacks.
      releaseHeld(note.events)
    }
  }

  side.follow() // until the lock is granted
  show()
  globalThis.document?.addEventListener('freeze', stepDown)
  globalThis.addEventListener?.('pagehide', hide)
  globalThis.document?.addEventListener('resume', stepUp)
  globalThis.addEventListener?.('pageshow', show)

  return {
    // Every event and state of this tab's connection, the leader's own or relayed to it: kept, and told to the other
    // tabs while this tab leads.
    event(type, data, id) {
      const event: Relayed = [type, data, id]
      keep(event)
      if (leading) post({ kind: 'event', epoch, event })
    },
    state(next) {
      state = send(next)
      if (leading) post({ kind: 'state', epoch, state })
    },
    listen(type) {
      if (!leading) post({ kind: 'listen', type })
    },
    reconnect() {
      if (passive) {
        // A hook that joined a stream that had given up asks for it again: this tab is one of those that may run it.
        passive = false
        side.dispatch({ type: 'started' })
        stepUp()
      }
      post({ kind: 'reconnect' })
    },
    close() {
      stepDown()
      closed = true
      channel?.close()
      globalThis.document?.removeEventListener('freeze', stepDown)
      globalThis.removeEventListener?.('pagehide', hide)
      globalThis.document?.removeEventListener('resume', stepUp)
      globalThis.removeEventListener?.('pageshow', show)
    },
  }
}
