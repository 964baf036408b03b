import type { Recording } from './types'

/** Reads closer together than this are one burst: what one write of a proxy's buffer looks like. */
const SAME_BURST = 20

/** Events that arrive together after a silence: what a buffering proxy or compression makes of a paced stream. */
export interface Burst {
  at: number
  events: number
  /** ms of silence before it, since the previous read (or since the request, for the first). */
  after: number
}

/** A 200 with `Content-Type: text/event-stream`. */
export const isStream = (recording: Recording) =>
  recording.status === 200 && /^text\/event-stream\b/i.test(recording.headers?.get('content-type') ?? '')

export function bursts(recording: Recording): Burst[] {
  const found: Burst[] = []
  let last = 0
  for (const { at, events } of recording.arrivals) {
    const current = found.at(-1)
    if (current && at - last <= SAME_BURST) current.events += events
    else found.push({ at, events, after: at - last })
    last = at
  }
  return found
}

/** The longest time without a byte, from the headers to the end of the response or of the watch. */
export function longestSilence(recording: Recording): number {
  if (recording.headersAt === undefined) return 0
  let longest = 0
  let last = recording.headersAt
  for (const { at } of recording.arrivals) {
    longest = Math.max(longest, at - last)
    last = at
  }
  return Math.max(longest, (recording.endedAt ?? recording.stoppedAt) - last)
}

/** The ids of the events, in order, without the events that had none. */
export const idsOf = (recording: Recording) => recording.events.flatMap(({ id }) => (id ? [id] : []))

/** `1.2 s`, `340 ms`: durations as the report prints them. */
export const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)
