import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'

/**
 * Server-Sent Events on a Node response, for the test suite's scenario server
 * (sseServer.ts) and the Storybook demo endpoints (.storybook/sseDemo.ts).
 * Types only from Node: `format` also runs in the page (the static Storybook build).
 */

export interface SseEvent {
  event?: string
  id?: number
  data: unknown
}

/** One event in the wire format: `event:`, `id:` and `data:` lines, ended by a blank line. Data that is not a string is sent as JSON. */
export const format = ({ event, id, data }: SseEvent) =>
  `${event ? `event: ${event}\n` : ''}${id !== undefined ? `id: ${id}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`

/** Where the client resumes: the Last-Event-ID header (or `lastEventId` query parameter) as a number, 0 when none; and the request body (POST), as text, '' when none. */
export async function readSseRequest(
  req: IncomingMessage,
  query: URLSearchParams,
): Promise<{ lastEventId: number; body: string }> {
  const lastEventId = Number(req.headers['last-event-id'] ?? query.get('lastEventId') ?? 0) || 0
  let body = ''
  for await (const chunk of req) body += chunk
  return { lastEventId, body }
}

/**
 * Starts an event stream: status 200 with the stream headers (and `headers`), an opening comment,
 * the `retry:` line if given, and a heartbeat comment every 15 s until the response closes.
 * Then write `format(event)` for each event.
 */
export function openSseResponse(
  res: ServerResponse,
  { headers, retry }: { headers?: OutgoingHttpHeaders; retry?: number } = {},
): void {
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no', // nginx and similar proxies would buffer the stream otherwise
  })
  res.write(': connected\n\n')
  if (retry) res.write(`retry: ${retry}\n\n`)
  // A comment line now and then keeps proxies and load balancers from closing a quiet stream.
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000)
  res.on('close', () => clearInterval(heartbeat))
}

/**
 * Writes the events `next()` returns (until it returns undefined), one per network write, at a steady `rate` per second;
 * returns a function that stops. Event k is due k / rate seconds after the start, by the high-resolution clock. Node's
 * timers fire every ~1 ms at best, so a timer tick sends every event due by then, but each from a macrotask of its own
 * (setImmediate): Node's http corks the socket until the end of the tick, which would merge the writes of one tick.
 * noDelay (the http server's default, set again here) keeps Nagle's algorithm from merging them on the wire.
 */
export function writePaced(res: ServerResponse, rate: number, next: () => string | undefined): () => void {
  res.socket?.setNoDelay(true)
  const start = performance.now()
  let sent = 0
  let stopped = false
  const tick = () => {
    if (stopped) return
    if (sent > ((performance.now() - start) * rate) / 1000) {
      setTimeout(tick, 1) // nothing due yet
      return
    }
    const chunk = next()
    if (chunk === undefined) return
    res.write(chunk)
    sent += 1
    setImmediate(tick)
  }
  setImmediate(tick) // not in this tick: the response's opening lines are still corked
  return () => {
    stopped = true
  }
}
