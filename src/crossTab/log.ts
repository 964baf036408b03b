import { environment } from '../core/environment'
import type { Relayed } from './notes'

/** How many of the last events each tab keeps to replay to a tab that rejoins. */
export const REPLAY_LOG = 1000
/** How many streams' logs a tab keeps (the one used longest ago is dropped first). */
const LOGS = 8
/**
 * How long the position a leader left behind when it let the stream go (its page frozen, cached, or its hooks gone) is
 * taken up by a tab that leads afresh, in ms: about as long as a browser keeps a page in its back/forward cache.
 */
export const LEFT_BEHIND_FOR = 10 * 60_000

/** A tab's last events of a stream, oldest first: those after `after`, the position it stood at before them. */
export interface Log {
  /** `''` where not known (a log taken from the leader's). */
  after: string
  events: Relayed[]
}

/**
 * Each stream's last events in this tab, by its key, kept as its position is (see the registry): a tab whose hooks
 * left and came back still has what it relayed before, for a tab that rejoins from further back.
 */
const logs = new Map<string, Log>()

/** The stream's log in this tab, begun at `position` if it has none. */
export function logOf(key: string, position: string): Log {
  const log = logs.get(key) ?? { after: position, events: [] }
  logs.delete(key)
  logs.set(key, log)
  for (const oldest of logs.keys()) if (logs.size > LOGS) logs.delete(oldest)
  return log
}

/** Adds an event to the log, which keeps at least the last `REPLAY_LOG` (halved when full: constant time per event). */
export function keep(log: Log, event: Relayed): void {
  if (log.events.push(event) < 2 * REPLAY_LOG) return
  log.after = log.events[log.events.length - REPLAY_LOG - 1]?.id ?? ''
  log.events = log.events.slice(-REPLAY_LOG)
}

/** The events after `from`: none where there is no position, `undefined` where `from` is not among them. */
export function since(events: Relayed[], from: string): Relayed[] | undefined {
  if (!from) return []
  for (let index = events.length - 1; index >= 0; index--) {
    if (events[index]?.id === from) return events.slice(index + 1)
  }
  return undefined
}

/** What the log can send a tab that stands at `from`: none where it has no position or stands further back. */
export function replay(log: Log, from: string): Relayed[] {
  if (from && from === log.after) return log.events
  return since(log.events, from) ?? []
}

/**
 * A tab that keeps no events yet takes the leader's (`leaders`), but for those it is about to deliver, from `first`
 * on: those are kept as they are delivered.
 */
export function adopt(log: Log, leaders: Relayed[], first: string | undefined): void {
  if (log.events.length) return
  let index = leaders.length - 1
  while (first && index >= 0 && leaders[index]?.id !== first) index--
  log.events = first && index >= 0 ? leaders.slice(0, index) : [...leaders]
  log.after = ''
}

/**
 * The position a leading `tab` leaves behind as its page goes away for a while (frozen, or into the back/forward
 * cache), in the origin's storage under the stream's private name: a tab that opens meanwhile, while no tab runs the
 * stream, resumes from it, so that the tab, back, misses nothing. A tab whose hooks leave leaves nothing: a
 * component mounted afresh gets the stream as it is now. Storage may be refused (a sandboxed frame, a full quota):
 * then the tab leads from where it stands.
 */
export function leaveBehind(name: string, lastEventId: string, tab: string): void {
  try {
    if (lastEventId) environment.localStorage?.setItem(name, JSON.stringify([lastEventId, environment.Date.now(), tab]))
  } catch {}
}

/** The position the last leader left behind, if it is recent (see `LEFT_BEHIND_FOR`); `''` for none. */
export function leftBehind(name: string): string {
  try {
    const [lastEventId, at] = JSON.parse(environment.localStorage?.getItem(name) ?? '[]')
    return typeof lastEventId === 'string' && environment.Date.now() - at < LEFT_BEHIND_FOR ? lastEventId : ''
  } catch {
    return ''
  }
}

/** The `tab` that left a position behind is back: nobody needs it any more. */
export function takeBack(name: string, tab: string): void {
  try {
    if (JSON.parse(environment.localStorage?.getItem(name) ?? '[]')[2] === tab)
      environment.localStorage?.removeItem(name)
  } catch {}
}
