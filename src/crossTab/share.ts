import type { ConnectionState, TabSide, Tabs } from '../core/connection'
import { EventSourceError, type EventSourceErrorKind } from '../core/EventSourceError'
import { observe } from '../core/observers'
import { after, now } from '../core/timers'

/** A state as it crosses tabs: an Error does not survive structured cloning with its fields, nor a time another page's clock. */
interface SentState {
  status: ConnectionState['status']
  error: { kind: EventSourceErrorKind; message: string; status?: number | undefined } | null
  attempt: number
  /** Milliseconds until the leader's pending retry; 0 when none is. */
  retryIn: number
}

type Relayed = [type: string, data: string, id: string]

/** What the tabs of one stream tell one another over its BroadcastChannel. */
type Note =
  /** To the leader: a tab joined (or rejoined, or answers a new leader) at its position, listening to `types`. */
  | { kind: 'hello'; tab: string; from: string; types: string[] }
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
  /** To one tab that said hello: the state, and the events after its position. */
  | { kind: 'welcome'; epoch: string; to: string; state: SentState; events: Relayed[] }

/** How many of the last events each tab keeps to replay to a tab that rejoins. */
export const REPLAY_LOG = 1000
/** How long a tab granted the stream waits to hear how the last leader left it (a 401 must not be asked again). */
export const HANDOVER = 250

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

/**
 * The stream's identity as a name other scripts of the origin may list (`navigator.locks.query()`): a digest, so
 * that no header value and no query string shows. Two FNV-1a hashes of 32 bits over its UTF-8 bytes: computed at
 * once, so that tabs ask for the lock in the order they joined.
 */
export function digest(key: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (const byte of new TextEncoder().encode(key)) {
    a = Math.imul(a ^ byte, 0x01000193)
    b = Math.imul(b ^ byte, 0x811c9dc5)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}

const send = ({ status, error, attempt, retryAt }: ConnectionState): SentState => ({
  status,
  error: error && { kind: error.kind, message: error.message, status: error.status },
  attempt,
  retryIn: retryAt && Math.max(0, retryAt - now()),
})

const receive = ({ status, error, attempt, retryIn }: SentState): ConnectionState => ({
  status,
  error: error && new EventSourceError(error.kind, error.message, { status: error.status }),
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
 * BroadcastChannel the tab runs the stream on its own.
 */
export function shareAcrossTabs(side: TabSide): Tabs {
  const locks = globalThis.navigator?.locks
  if (!locks || typeof BroadcastChannel === 'undefined') {
    side.lead(true)
    return { listen() {}, reconnect() {}, close() {} }
  }
  const tab = newId()
  const name = `use-event-source:${digest(side.key)}`
  const channel = new BroadcastChannel(name)
  channel.onmessage = ({ data }: MessageEvent<Note>) => hear(data)
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
  let log: Relayed[] = []
  /**
   * Between a hello and its welcome: the events relayed meanwhile, held so that what the leader sends again comes
   * first, in order (`undefined` when no welcome is awaited).
   */
  let held: Relayed[] | undefined
  let state: SentState | undefined

  const post = (note: Note) => {
    if (!closed) channel.postMessage(note)
  }
  const keep = (event: Relayed) => {
    if (log.push(event) >= 2 * REPLAY_LOG) log = log.slice(-REPLAY_LOG)
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
    waiting = new AbortController()
    const granted = () =>
      new Promise<void>((resolve) => {
        waiting = undefined
        release = resolve
        take()
      })
    locks.request(name, { signal: waiting.signal }, granted).catch((error: unknown) => {
      // Taken back while waiting (an abort), or refused (an opaque origin): then this tab runs the stream alone.
      if ((error as Error)?.name !== 'AbortError' && !closed) side.lead(true)
    })
  }

  /** Granted: lead, at once if no leader was heard of, else once the last one's leaving state is known. */
  function take() {
    if (closed) return release?.()
    const lead = () => {
      releaseHeld() // no welcome will come: this tab leads
      cancelHandover?.()
      leading = true
      if (epoch) former.add(epoch)
      epoch = newId()
      post({ kind: 'lead', epoch })
      const last = leftAs ?? side.connection.getState()
      state = send(last)
      side.lead(last.status !== 'error' && last.status !== 'closed')
    }
    if (!epoch || leftAs) lead()
    else cancelHandover = after(HANDOVER, lead)
  }

  /** A page about to be frozen (or put in the back/forward cache) runs nothing: it lets the stream go. */
  function stepDown() {
    waiting?.abort()
    waiting = undefined
    if (!leading) return
    if (state) post({ kind: 'state', epoch, state, leaving: true })
    leading = false
    side.follow()
    release?.()
  }

  function stepUp() {
    if (leading || waiting || closed) return
    request()
    hello()
  }

  /** Says where this tab stands; until the leader's welcome, relayed events are held. */
  function hello() {
    held ??= []
    post({ kind: 'hello', tab, from: side.lastEventId(), types: [...side.types()] })
  }

  /** Delivers what was held (nothing is awaited any more: a welcome came, or this tab leads). */
  function releaseHeld(after: Relayed[] = []) {
    const events = held ?? []
    held = undefined
    // What the welcome sent again is delivered once: only the held events after its last one.
    const last = after.at(-1)?.[2]
    const newer = last ? (since(events, last) ?? events) : events
    for (const event of [...after, ...newer]) side.deliver(event[0], event[1], event[2])
  }

  function hear(note: Note) {
    if (closed) return
    if (leading) {
      if (note.kind === 'hello') {
        for (const type of note.types) side.connection.listen(type)
        const events = since(log, note.from) ?? []
        if (state) post({ kind: 'welcome', epoch, to: note.tab, state, events })
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
    if (note.kind === 'welcome' && note.to !== tab) return
    epoch = note.epoch // a turn that began before this tab listened is followed from its first note
    if (note.kind === 'event') {
      if (held) held.push(note.event)
      else side.deliver(note.event[0], note.event[1], note.event[2])
    } else if (note.kind === 'state') {
      side.mirror(receive(note.state))
      if (note.leaving) {
        leftAs = receive(note.state)
        former.add(note.epoch)
        if (cancelHandover) take()
      }
    } else if (note.kind === 'welcome') {
      side.mirror(receive(note.state))
      // The events after this tab's position when it said hello, then those relayed since that the welcome lacks.
      releaseHeld(note.events)
    }
  }

  stepUp()
  globalThis.document?.addEventListener('freeze', stepDown)
  globalThis.addEventListener?.('pagehide', stepDown)
  globalThis.document?.addEventListener('resume', stepUp)
  globalThis.addEventListener?.('pageshow', stepUp)

  // Every event and state of this tab's connection, the leader's own or relayed to it: kept, and told to the other
  // tabs while this tab leads.
  const unobserve = observe({
    event(connection, type, data, id) {
      if (connection !== side.connection) return
      const event: Relayed = [type, data, id]
      keep(event)
      if (leading) post({ kind: 'event', epoch, event })
    },
    state(connection, next) {
      if (connection !== side.connection) return
      state = send(next)
      if (leading) post({ kind: 'state', epoch, state })
    },
  })

  return {
    listen: (type) => post({ kind: 'listen', type }),
    reconnect: () => post({ kind: 'reconnect' }),
    close() {
      stepDown()
      unobserve()
      closed = true
      cancelHandover?.()
      release?.() // granted, and waiting to hear how the last leader left: let go all the same
      channel.close()
      globalThis.document?.removeEventListener('freeze', stepDown)
      globalThis.removeEventListener?.('pagehide', stepDown)
      globalThis.document?.removeEventListener('resume', stepUp)
      globalThis.removeEventListener?.('pageshow', stepUp)
    },
  }
}
