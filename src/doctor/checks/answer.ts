import { isStream, seconds } from '../measure'
import type { Finding, Observed, Recording } from '../types'

const CHECKLIST = 'docs/server.md#the-checklist'

/** The answer the checks of headers read: the browser-like one, or the plain one when compression held it back. */
export const answerOf = ({ main, plain }: Observed): Recording => (main.headers ? main : plain)

const statusFix = (status: number) =>
  status === 401 || status === 403
    ? 'Check the credentials you passed with --header; the client stops for good on this status.'
    : status === 404
      ? 'Check the url: the client stops for good on a 404.'
      : 'Answer 200 with a stream; a 4xx other than 408 and 429 stops the client for good, a 5xx is retried.'

/** The status and `Content-Type`: anything but a 200 text/event-stream and the client stops or retries. */
export function checkAnswer(observed: Observed): Finding {
  const { status, headers, error } = answerOf(observed)
  if (status === undefined || !headers) {
    // No headers at all is what a buffering proxy does: the buffering check says so, once.
    return error
      ? { check: 'answer', verdict: 'fail', detail: `the request failed: ${error}.`, fix: 'Check the url.' }
      : {
          check: 'answer',
          verdict: 'skip',
          detail: `no headers in ${seconds(observed.options.duration)} (see buffering).`,
        }
  }
  const type = headers.get('content-type') ?? '(none)'
  if (status === 204)
    return {
      check: 'answer',
      verdict: 'warn',
      detail: '204 No Content: the client stops for good and shows `closed`.',
      fix: 'Answer 200 with a stream; keep 204 for "there will never be anything to stream".',
      docs: CHECKLIST,
    }
  if (status !== 200)
    return { check: 'answer', verdict: 'fail', detail: `${status}, Content-Type: ${type}.`, fix: statusFix(status) }
  if (!isStream(answerOf(observed)))
    return {
      check: 'answer',
      verdict: 'fail',
      detail: `200, but Content-Type: ${type}: the client gives up for good.`,
      fix: 'Answer with Content-Type: text/event-stream.',
      docs: CHECKLIST,
    }
  return { check: 'answer', verdict: 'ok', detail: `200, Content-Type: ${type}.` }
}

/** `Cache-Control: no-cache` (or `no-store`): a live stream must never come from a cache. */
export function checkCache(observed: Observed): Finding {
  const answer = answerOf(observed)
  if (!isStream(answer)) return { check: 'cache', verdict: 'skip', detail: 'not a stream.' }
  const value = answer.headers?.get('cache-control')
  if (value && /\bno-(cache|store)\b/i.test(value))
    return { check: 'cache', verdict: 'ok', detail: `Cache-Control: ${value}.` }
  return {
    check: 'cache',
    verdict: 'warn',
    detail: value ? `Cache-Control: ${value}, without no-cache.` : 'no Cache-Control header.',
    fix: 'Send Cache-Control: no-cache (and no-transform if a CDN or proxy might compress it).',
    docs: CHECKLIST,
  }
}

const firstEvent = (recording: Recording) => recording.events[0]?.at
const COMPRESSION_FIX =
  'Leave text/event-stream out of compression (Express: a compression() filter; next start: compress: false), and send Cache-Control: no-cache, no-transform.'

/** Compression on the stream: zlib holds events until its buffer fills, and CDNs may hold a compressed stream. */
export function checkCompression(observed: Observed): Finding {
  const { main, plain, options } = observed
  if (!isStream(answerOf(observed))) return { check: 'compression', verdict: 'skip', detail: 'not a stream.' }
  if (!main.headers)
    return {
      check: 'compression',
      verdict: 'fail',
      detail: `with Accept-Encoding: gzip, no answer in ${seconds(options.duration)}; without compression, the headers came after ${seconds(plain.headersAt ?? 0)}.`,
      fix: COMPRESSION_FIX,
      docs: CHECKLIST,
    }
  const encoding = main.headers.get('content-encoding')
  if (!encoding || encoding === 'identity')
    return { check: 'compression', verdict: 'ok', detail: 'none: the stream is sent as written.' }
  const compressed = firstEvent(main)
  const uncompressed = plain === main ? undefined : firstEvent(plain)
  // Held back: events came without compression and not with it, or more than a second later with it.
  const held = uncompressed !== undefined && (compressed === undefined || compressed - uncompressed > 1000)
  return {
    check: 'compression',
    verdict: held ? 'fail' : 'warn',
    detail: held
      ? `Content-Encoding: ${encoding} holds the events back: ${compressed === undefined ? 'none arrived' : `the first came after ${seconds(compressed)}`}, ${seconds(uncompressed ?? 0)} without compression.`
      : `Content-Encoding: ${encoding}: events came through here, but a CDN or proxy may hold a compressed stream.`,
    fix: COMPRESSION_FIX,
    docs: CHECKLIST,
  }
}
