import { createParser } from 'eventsource-parser'
import { byteString } from '../byteString'
import { environment } from '../environment'
import { EventSourceError } from '../EventSourceError'
import { after } from '../timers'
import type { Transport } from './types'

/** How much of a refused answer's body goes into the error message. */
const EXCERPT_LENGTH = 200
/** How long a refused answer's body may take to come before the status is reported without it, in ms. */
const EXCERPT_WAIT = 300

/**
 * fetch with a streamed body, parsed by eventsource-parser: for the requests
 * EventSource cannot make (POST, headers, a body, a Last-Event-ID of the
 * library's choosing, an answer's HTTP status). A chunk of its own, loaded
 * on demand. It never retries by itself: every failure is reported as
 * `closed`, and the end of the response as `end`; the connection decides.
 *
 * Spec fidelity, around the parser: the body is decoded with the BOM kept, so
 * that the parser strips exactly one (a decoder would strip another); the
 * last event id persists across events and reconnects (the parser reports
 * only each block's own id); an event with no `event:` field, or an empty
 * one, has the type `message`.
 *
 * Headers merge by name in any case: the defaults, then the user's (a value
 * that is not a byte string fails the attempt in fetch), then `Last-Event-ID`.
 */
export const fetchTransport: Transport = ({ url, withCredentials, headers, lastEventId, method, body }, handlers) => {
  const abort = new AbortController()
  /** Once closed, nothing more is said: not the rest of a chunk whose event made a listener close the stream. */
  const live = () => !abort.signal.aborted
  const json = body !== undefined && typeof body !== 'string'
  let id = lastEventId
  const fail = (
    kind: 'http' | 'content-type' | 'network',
    reason: string,
    details: { status?: number; cause?: unknown } = {},
  ) => live() && handlers.error(new EventSourceError(kind, reason, details), true)

  async function run() {
    // A plain object with the names as written (what fetch and the tests see), set as a Headers object would.
    const sent: Record<string, string> = {}
    const set = (name: string, value: string) => {
      for (const key in sent) if (key.toLowerCase() === name.toLowerCase()) delete sent[key]
      sent[name] = value
    }
    set('Accept', 'text/event-stream')
    if (json) set('Content-Type', 'application/json')
    for (const name in headers) set(name, headers[name] as string)
    if (id) set('Last-Event-ID', byteString(id))
    const { fetch } = environment
    const response = await fetch(url, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      body: json ? JSON.stringify(body) : body,
      headers: sent,
      credentials: withCredentials ? 'include' : 'same-origin',
      cache: 'no-store',
      signal: abort.signal,
    })
    answered = true
    const { status } = response
    if (status < 200 || status > 299 || status === 204) {
      // Only the first chunk of the body, and only if it comes promptly: an error page may be long, or itself a
      // stream that never ends, or never come at all. The status is what matters; it is reported either way.
      const reader = response.body?.getReader()
      let cancelWait: (() => void) | undefined
      const late = new Promise<undefined>((resolve) => {
        cancelWait = after(EXCERPT_WAIT, () => resolve(undefined))
      })
      const first = await Promise.race([reader?.read().catch(() => undefined), late])
      cancelWait?.()
      reader?.cancel().catch(() => {}) // the body may fail right after its first chunk: nothing more to tell
      const excerpt = new TextDecoder().decode(first?.value).slice(0, EXCERPT_LENGTH).trim()
      return fail('http', `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, { status })
    }
    const type = response.headers.get('Content-Type') ?? 'none'
    if (!/^text\/event-stream\b/i.test(type) || !response.body) {
      await response.body?.cancel()
      return fail(
        'content-type',
        `${type} is not text/event-stream (a page served instead of the stream? check the url and the proxy)`,
        { status },
      )
    }
    if (!live()) return
    handlers.open()
    const parser = createParser({
      onId: (value) => {
        id = value
        if (live()) handlers.id(value)
      },
      onEvent: ({ event, data }) => live() && handlers.message(event || 'message', data, id),
      onRetry: (ms) => live() && handlers.retry(ms),
    })
    const reader = response.body.pipeThrough(new TextDecoderStream('utf-8', { ignoreBOM: true })).getReader()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (!live()) return
      handlers.bytes() // every chunk is life, though it ends no event (a large one, trickling in)
      parser.feed(chunk.value)
    }
    // The server ended the response. An event without its final blank line is dropped, as the spec says.
    if (live()) handlers.end()
  }

  // No answer at all: the server is down, the network, or a cross-origin server that refused the preflight the headers
  // (Last-Event-ID among them) need. fetch cannot tell which; the development console's advice says what each means.
  let answered = false
  run().catch((cause: unknown) => {
    // fetch's own messages may quote the url ("…a URL that includes credentials: https://user:pass@…"): never shown.
    const reason = String((cause as Error)?.message ?? cause).replace(/\b[a-z][\w+.-]*:\/\/\S*/gi, '(the url)')
    fail('network', answered ? reason : `${reason} (no answer)`, { cause })
  })
  // The parser delivers every event type; the connection's listeners filter them.
  return { listen() {}, close: () => abort.abort() }
}
