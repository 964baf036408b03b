import type { ConnectionState, Controls, Tabs } from '../core/connectionTypes'
import { environment } from '../core/environment'
import { after } from '../core/timers'
import { digest } from './digest'
import { createElection } from './election'
import { createTabsPause } from './hidden'
import { adopt, keep, leaveBehind, leftBehind, logOf, REPLAY_LOG, replay, since, takeBack } from './log'
import { type Handlers, type Note, newId, type Relayed, receive, type SentState, send } from './notes'

/**
 * The version of what tabs tell one another (notes.ts), in the stream's names: during a deploy, tabs that run
 * different versions of the library do not share a stream, so none reads notes it does not know.
 */
export const PROTOCOL = 2

/** How long a tab granted the stream waits to hear how the last leader left it (a 401 must not be asked again). */
export const HANDOVER = 250

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
  const locks = environment.locks()
  const Channel = environment.BroadcastChannel
  if (!locks || !Channel) return undefined
  const openChannel = (name: string) => new Channel(name)
  const tab = newId()
  const name = `use-event-source:${PROTOCOL}:${digest(side.key)}`
  const election = createElection(locks, name, take, alone)
  /** `pauseWhenHidden`, kept by the leader from what every tab says of its page. */
  const pause = createTabsPause(side)
  const shown = () => environment.document?.visibilityState !== 'hidden'
  /** Closed while the page is in the back/forward cache: an open channel would keep it out of the cache. */
  let channel: BroadcastChannel | undefined
  let closed = false
  let leading = false
  /** The leader's turn: this tab's own while it leads; as a follower, the turn it follows, and those that ended. */
  let epoch = ''
  const former = new Set<string>()
  /** How the last leader left the stream, once told (its `leaving` state). */
  let leftAs: ConnectionState | undefined
  /** Granted the lock, this tab waits to hear how the last leader left (see `HANDOVER`). */
  let cancelHandover: (() => void) | undefined
  const log = logOf(side.key, side.lastEventId())
  /**
   * Between a hello and its welcome: the events relayed meanwhile, held so that what the leader sends again comes
   * first, in order (`undefined` when no welcome is awaited).
   */
  let held: Relayed[] | undefined
  /** The hello whose welcome is awaited: an earlier one's welcome (a leader answers every hello) is not applied. */
  let asked = ''
  /** The connection's state as last sent (or as it will be, once this tab leads). */
  let state: SentState | undefined

  const post = (note: Note) => {
    if (!closed) channel?.postMessage(note)
  }
  const deliver = ({ type, data, id }: Relayed) => side.deliver(type, data, id)

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
    if (!epoch || leftAs) takeOver()
    else cancelHandover = after(HANDOVER, takeOver)
  }

  function takeOver() {
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
    pause.restart()
    pause.seen(tab, shown())
  }

  /**
   * A page about to be frozen (or put in the back/forward cache) runs nothing: it lets the stream go, and the lock,
   * also where it was granted and still waits to hear how the last leader left (a frozen tab that held it would keep
   * every other tab waiting behind it, their hooks mirroring a leader that is gone).
   */
  function stepDown() {
    cancelHandover?.()
    cancelHandover = undefined
    if (leading) {
      pause.stop()
      if (state) post({ kind: 'state', epoch, state, leaving: true })
      leading = false
      side.follow()
    }
    election.stepDown()
  }

  /** The page is frozen, or goes into the back/forward cache: it may come back, from where it stands. */
  function goAway() {
    if (leading) leaveBehind(name, side.lastEventId(), tab)
    stepDown()
  }

  /** Asks for the lock (unless `passive`: this tab only hears the others), and says where it stands. */
  function stepUp() {
    if (leading || closed) return
    takeBack(name, tab)
    if (passive || election.stand()) hello()
  }

  /** The page comes back from the back/forward cache: it listens again, and says where it stands. */
  function show() {
    if (closed) return
    if (!channel) {
      channel = openChannel(name)
      channel.onmessage = ({ data }: MessageEvent<Note>) => hear(data)
    }
    stepUp()
  }

  /** The page goes (into the back/forward cache, or away): it lets the stream go, and closes its channel. */
  function hide() {
    goAway()
    channel?.close()
    channel = undefined
  }

  /** Says where this tab stands; until the leader's welcome, relayed events are held. */
  function hello() {
    held ??= []
    asked = newId()
    const types = [...side.types()]
    const visible = shown()
    post({ kind: 'hello', tab, ask: asked, from: side.lastEventId(), types, log: !log.events.length, visible })
  }

  /** Delivers what was held (nothing is awaited any more: a welcome came, or this tab leads). */
  function releaseHeld(sent: Relayed[] = []) {
    const events = held ?? []
    held = undefined
    // What the welcome sent again is delivered once: only the held events after its last one.
    const last = sent.at(-1)?.id ?? side.lastEventId() // a welcome with nothing new: what this tab has, it keeps
    const newer = last ? (since(events, last) ?? events) : events
    for (const event of [...sent, ...newer]) deliver(event)
  }

  /** What the leader does with the notes of the other tabs. */
  const asLeader: Handlers = {
    hello({ tab, ask, from, types, log: wantsLog, visible }) {
      pause.seen(tab, visible)
      for (const type of types) side.connection.listen(type)
      const events = replay(log, from)
      if (!state) return
      post({
        kind: 'welcome',
        epoch,
        to: tab,
        ask,
        events,
        state,
        ...(wantsLog && { log: log.events.slice(-REPLAY_LOG) }),
      })
    },
    listen: ({ type }) => side.connection.listen(type),
    seen: ({ tab, visible }) => pause.seen(tab, visible),
    reconnect: () => side.connection.reconnect(),
  }

  /** What a follower does with the leader's notes (those of the turn it follows). */
  const asFollower: Handlers = {
    lead(note) {
      if (epoch) former.add(epoch)
      epoch = note.epoch
      leftAs = undefined
      hello()
    },
    event({ event }) {
      if (held) held.push(event)
      else deliver(event)
    },
    state(note) {
      side.dispatch({ type: 'mirrored', state: receive(note.state) })
      if (!note.leaving) return
      leftAs = receive(note.state)
      former.add(note.epoch)
      if (cancelHandover) takeOver()
    },
    welcome(note) {
      asked = ''
      side.dispatch({ type: 'mirrored', state: receive(note.state) })
      if (note.log) adopt(log, note.log, (note.events[0] ?? held?.[0])?.id)
      // The events after this tab's position when it said hello, then those relayed since that the welcome lacks.
      releaseHeld(note.events)
    },
  }

  function hear(note: Note) {
    if (closed) return
    if (leading) return asLeader[note.kind]?.(note as never)
    if (note.kind === 'welcome' && (note.to !== tab || note.ask !== asked)) return // another tab's, or an earlier hello's
    if (note.kind !== 'lead') {
      if (!('epoch' in note) || former.has(note.epoch)) return // a former leader's notes may come late
      epoch = note.epoch // a turn that began before this tab listened is followed from its first note
    }
    asFollower[note.kind]?.(note as never)
  }

  /** This tab's page was shown or hidden: the leader is told (`pauseWhenHidden`). */
  function seen(visible = shown()) {
    if (leading) pause.seen(tab, visible)
    else if (side.options().pauseWhenHidden !== undefined) post({ kind: 'seen', tab, visible })
  }

  side.follow() // until the lock is granted
  show()
  const onVisibility = () => seen()
  const { document, window } = environment
  document?.addEventListener('visibilitychange', onVisibility)
  document?.addEventListener('freeze', goAway)
  window?.addEventListener('pagehide', hide)
  document?.addEventListener('resume', stepUp)
  window?.addEventListener('pageshow', show)

  return {
    // Every event and state of this tab's connection, the leader's own or relayed to it: kept, and told to the other
    // tabs while this tab leads.
    event(type, data, id) {
      const event = { type, data, id }
      keep(log, event)
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
      // Its hooks left: it no longer keeps the stream running (said whatever the options: they left with the hooks).
      if (!leading) post({ kind: 'seen', tab, visible: false })
      stepDown()
      election.close()
      closed = true
      channel?.close()
      document?.removeEventListener('visibilitychange', onVisibility)
      document?.removeEventListener('freeze', goAway)
      window?.removeEventListener('pagehide', hide)
      document?.removeEventListener('resume', stepUp)
      window?.removeEventListener('pageshow', show)
    },
  }
}
