import { bursts, isStream, seconds } from '../measure'
import type { Finding, Observed } from '../types'

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/

/** HTTP/1.1 allows 6 connections per host across all of a browser's tabs; HTTP/2 lifts the limit. */
export function checkHttp({ options, protocol }: Observed): Finding {
  const { url } = options
  if (url.protocol === 'https:' && protocol === undefined)
    return { check: 'http', verdict: 'skip', detail: 'the TLS handshake failed or timed out.' }
  if (protocol === 'h2') return { check: 'http', verdict: 'ok', detail: 'HTTP/2: no limit of 6 connections per host.' }
  if (LOOPBACK.test(url.hostname))
    return {
      check: 'http',
      verdict: 'ok',
      detail:
        'HTTP/1.1 on a development server; in production, 6 connections per host across all tabs: HTTP/2 or crossTab: true.',
    }
  return {
    check: 'http',
    verdict: 'warn',
    detail: `HTTP/1.1${url.protocol === 'http:' ? ' (browsers speak HTTP/2 over https only)' : ''}: a browser opens at most 6 connections per host across all its tabs, and the 7th stream waits.`,
    fix: 'Serve the stream over HTTP/2 (most proxies and CDNs can), or share one connection between tabs with crossTab: true.',
    docs: 'docs/cross-tab.md',
  }
}

/** A POST stream (an LLM answer) must come event by event, not as one body at the end. */
export function checkPost({ options, main }: Observed): Finding | undefined {
  if (options.method === 'GET') return undefined
  if (!isStream(main)) return { check: 'post', verdict: 'skip', detail: 'not a stream.' }
  const count = main.events.length
  if (count < 2)
    return {
      check: 'post',
      verdict: 'skip',
      detail: `${count ? 'one event' : 'no event'} in ${seconds(options.duration)}.`,
    }
  const reads = bursts(main).filter(({ events }) => events > 0)
  const length = main.headers?.get('content-length')
  if (length || reads.length < 2)
    return {
      check: 'post',
      verdict: 'fail',
      detail: `all ${count} events came at once${length ? `, in a body of Content-Length ${length}` : ''}: the answer was buffered whole.`,
      fix: 'Write each event as it is ready (flush), without Content-Length, and turn off buffering in proxies.',
      docs: 'docs/llm-post.md',
    }
  const first = main.events[0]?.at ?? 0
  const last = main.events.at(-1)?.at ?? 0
  return {
    check: 'post',
    verdict: 'ok',
    detail: `${options.method} answered as a stream: ${count} events over ${seconds(last - first)}, in ${reads.length} reads.`,
  }
}
