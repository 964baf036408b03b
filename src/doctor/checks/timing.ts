import { bursts, isStream, longestSilence, seconds } from '../measure'
import type { Finding, Observed } from '../types'

const NGINX = 'docs/server.md#nginx-in-front'
const CHECKLIST = 'docs/server.md#the-checklist'
/** Later than this, the headers or the first byte were held (a local server answers in milliseconds). */
const LATE = 1000
/** A clump: this many events in one burst after `CLUMP_AFTER` ms of silence. A paced server sends them one by one. */
const CLUMP_EVENTS = 5
const CLUMP_AFTER = 500
/** Idle timeouts that cut quiet streams: nginx's proxy_read_timeout, and load balancers at 60–100 s. */
const IDLE_TIMEOUT = 60_000
/** Half the shortest common idle timeout: a longer silence is flagged (the docs advise a heartbeat every 15 s). */
const TOO_QUIET = 30_000
/** A stream quiet for this long at the end of a short watch, and for half of it, with no heartbeat, is flagged too. */
const QUIET_END = 2000

/** Buffering, on the uncompressed stream: headers held, or events arriving in clumps rather than as sent. */
export function checkBuffering({ plain, options }: Observed): Finding {
  if (plain.headersAt === undefined && !plain.error)
    return {
      check: 'buffering',
      verdict: 'fail',
      detail: `no headers in ${seconds(options.duration)}: something holds the whole response (nginx does until about 4 kB).`,
      fix: 'Send X-Accel-Buffering: no (nginx: proxy_buffering off;), and a comment (: connected) at once.',
      docs: NGINX,
    }
  if (!isStream(plain) || plain.headersAt === undefined)
    return { check: 'buffering', verdict: 'skip', detail: 'not a stream.' }
  const clump = bursts(plain).find((burst) => burst.events >= CLUMP_EVENTS && burst.after >= CLUMP_AFTER)
  const firstByte = plain.arrivals[0]?.at
  const firstEvent = plain.events[0]?.at
  const timing = `headers after ${seconds(plain.headersAt)}, first event after ${firstEvent === undefined ? '(none)' : seconds(firstEvent)}`
  if (clump)
    return {
      check: 'buffering',
      verdict: 'fail',
      detail: `${timing}; ${clump.events} events arrived at once after ${seconds(clump.after)} of silence: a proxy holds them back.`,
      fix: 'Send X-Accel-Buffering: no (nginx: proxy_buffering off;) and turn off buffering in every proxy in front.',
      docs: NGINX,
    }
  if (plain.headersAt > LATE)
    return {
      check: 'buffering',
      verdict: 'warn',
      detail: `${timing}: the client shows connecting until the headers come.`,
      fix: 'Send the headers and a first comment (: connected) at once, and X-Accel-Buffering: no for proxies.',
      docs: CHECKLIST,
    }
  if (firstByte === undefined ? plain.stoppedAt - plain.headersAt > LATE : firstByte - plain.headersAt > LATE)
    return {
      check: 'buffering',
      verdict: 'warn',
      detail: `${timing}, but nothing after the headers for ${seconds((firstByte ?? plain.stoppedAt) - plain.headersAt)}.`,
      fix: 'Write a comment (: connected) right after the headers, so that proxies pass them on at once.',
      docs: CHECKLIST,
    }
  return { check: 'buffering', verdict: 'ok', detail: `${timing}; events arrive as sent.` }
}

/** The longest silence measured, against the idle timeouts of proxies and load balancers. */
export function checkHeartbeat({ plain }: Observed, buffering: Finding): Finding {
  if (!isStream(plain)) return { check: 'heartbeat', verdict: 'skip', detail: 'not a stream.' }
  if (buffering.verdict === 'fail')
    return { check: 'heartbeat', verdict: 'skip', detail: 'not measurable while something buffers the stream.' }
  const silence = longestSilence(plain)
  const end = plain.endedAt ?? plain.stoppedAt
  const firstRead = plain.arrivals[0]?.at ?? Number.POSITIVE_INFINITY
  const beats = plain.comments.filter(({ at }) => at > firstRead).map(({ at }) => at)
  const cadence = beats.length >= 2 ? Math.max(...beats.slice(1).map((at, i) => at - (beats[i] ?? at))) : undefined
  const heard =
    cadence !== undefined
      ? `a heartbeat every ${seconds(cadence)}`
      : beats.length === 1
        ? 'one heartbeat comment'
        : 'no heartbeat comment'
  // A short watch cannot see a long silence: a stream that fell quiet for the last half of it, without a single
  // heartbeat, is the same finding.
  const quietAtEnd = end - (plain.arrivals.at(-1)?.at ?? plain.headersAt ?? 0)
  const fellQuiet = !beats.length && quietAtEnd >= Math.max(QUIET_END, (end - (plain.headersAt ?? 0)) / 2)
  if (silence >= TOO_QUIET || fellQuiet)
    return {
      check: 'heartbeat',
      verdict: silence >= IDLE_TIMEOUT - 5000 ? 'fail' : 'warn',
      detail: `${fellQuiet && silence < TOO_QUIET ? `quiet for the last ${seconds(quietAtEnd)}` : `quiet for ${seconds(silence)}`} with ${heard}: nginx (60 s) and load balancers (60–100 s) cut a quiet stream.`,
      fix: 'Write a comment (: heartbeat) every 15 s, whether or not there are events.',
      docs: CHECKLIST,
    }
  const watched = seconds(end - (plain.headersAt ?? 0))
  return {
    check: 'heartbeat',
    verdict: 'ok',
    detail: `never quiet for more than ${seconds(silence)} in ${watched} (${heard}): well under the 60 s idle timeouts.`,
  }
}
