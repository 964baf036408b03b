import { idsOf, isStream, seconds } from '../measure'
import type { Finding, Observed, ResumeTrial } from '../types'

const CHECKLIST = 'docs/server.md#the-checklist'
/** Below this, a server restart brings every client back at once. */
const SHORT_RETRY = 1000

/** Ids long enough to be hashes are cut short in the report. */
const shortId = (id: string) => JSON.stringify(id.length > 40 ? `${id.slice(0, 37)}…` : id)

/** `id:` on every event (what a reconnect resumes from), and the `retry:` delay if the server sets one. */
export function checkIds({ plain, options }: Observed): Finding {
  if (!isStream(plain)) return { check: 'ids', verdict: 'skip', detail: 'not a stream.' }
  const count = plain.events.length
  if (!count) return { check: 'ids', verdict: 'skip', detail: `no event in ${seconds(options.duration)}.` }
  const withId = idsOf(plain).length
  const retry = plain.retry === undefined ? 'no retry: line (browsers wait about 3 s)' : `retry: ${plain.retry} ms`
  if (plain.retry !== undefined && plain.retry < SHORT_RETRY)
    return {
      check: 'ids',
      verdict: 'warn',
      detail: `${retry}: after a restart every client comes back at once.`,
      fix: 'Send retry: 3000 or more, or leave it out.',
      docs: CHECKLIST,
    }
  if (withId === count) {
    const all = count === 1 ? 'the one event has' : `all ${count} events have`
    return { check: 'ids', verdict: 'ok', detail: `${all} an id; ${retry}.` }
  }
  return {
    check: 'ids',
    verdict: withId ? 'warn' : 'fail',
    detail: withId
      ? `${count - withId} of ${count} events have no id: a reconnect after one of them resumes from an older one.`
      : `none of the ${count} events has an id: a reconnect cannot resume, it starts over.`,
    fix: 'Send an id: line with every event, and resume after the Last-Event-ID request header.',
    docs: CHECKLIST,
  }
}

/** What the server sent first after `Last-Event-ID`: the next event, a repeat, or a gap. */
function judge({
  after,
  expected,
  before,
  later,
  got,
}: ResumeTrial & { got: string }): Pick<Finding, 'verdict' | 'detail'> {
  const asked = `asked to resume after ${shortId(after)}, the server went on with ${shortId(got)}`
  if (got === expected) return { verdict: 'ok', detail: `${asked}: no repeat, no gap.` }
  const numeric = [after, expected, got].every((id) => /^\d+$/.test(id))
  if (before.includes(got) || (numeric && Number(got) <= Number(after)))
    return {
      verdict: 'fail',
      detail: `${asked}${got === before[0] ? ', the first id again: it starts over' : ', which came before: a repeat'}.`,
    }
  const skipped = later.indexOf(got)
  if (skipped > 0 || (numeric && Number(got) > Number(expected)))
    return {
      verdict: 'fail',
      detail: `${asked} instead of ${shortId(expected)}: ${skipped > 0 ? `${skipped} events are lost` : 'a gap'}.`,
    }
  return {
    verdict: 'warn',
    detail: `${asked}, an id the first connection never saw: a gap, or other ids per connection.`,
  }
}

/** Resume: a second request with the first id seen, which should go on with the event after it. */
export function checkResume({ plain, resume, options }: Observed): Finding {
  if (!isStream(plain)) return { check: 'resume', verdict: 'skip', detail: 'not a stream.' }
  if (!resume)
    return {
      check: 'resume',
      verdict: 'skip',
      detail: `fewer than two events with an id in ${seconds(options.duration)}: nothing to resume from.`,
    }
  const { got } = resume
  if (got === undefined)
    return {
      check: 'resume',
      verdict: 'skip',
      detail: `no event with an id after resuming, before the watch ended: watch longer (--duration).`,
    }
  const verdict = judge({ ...resume, got })
  return verdict.verdict === 'ok'
    ? { check: 'resume', ...verdict }
    : {
        check: 'resume',
        ...verdict,
        fix: 'Read the Last-Event-ID request header and send only what came after that id.',
        docs: CHECKLIST,
      }
}
