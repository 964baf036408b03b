import type { Client, SimServer, Sink } from './server'

/** The room a url names: `https://app.test/rooms/<room>`. */
export const roomOf = (url: string) => new URL(url).pathname.split('/').pop() ?? ''

const bodyOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text))
      controller.close()
    },
  })

/** `fetch` for one tab, answered by the simulated server: a streamed body for a stream, a status otherwise. */
export function simFetch(server: SimServer, client: Client) {
  return (url: string, init: RequestInit = {}) =>
    new Promise((resolve, reject) => {
      const headers = (init.headers ?? {}) as Record<string, string>
      const idHeader = Object.keys(headers).find((name) => name.toLowerCase() === 'last-event-id')
      const encoder = new TextEncoder()
      let controller: ReadableStreamDefaultController<Uint8Array> | undefined
      let done = false
      const push = (text: string) => {
        if (!done) controller?.enqueue(encoder.encode(text))
      }
      const finish = (error?: unknown) => {
        if (done) return
        done = true
        if (!controller) reject(error)
        else if (error) controller.error(error)
        else controller.close()
      }
      const sink: Sink = {
        open() {
          if (done) return
          const body = new ReadableStream<Uint8Array>({
            start(opened) {
              controller = opened
            },
          })
          resolve({ status: 200, headers: new Headers({ 'Content-Type': 'text/event-stream' }), body })
        },
        status(code) {
          if (done) return
          done = true
          resolve({ status: code, headers: new Headers(), body: code === 204 ? null : bodyOf('refused') })
        },
        event: (data, id) => push(`${id === undefined ? '' : `id: ${id}\n`}data: ${data}\n\n`),
        retry: (ms) => push(`retry: ${ms}\n\n`),
        comment: () => push(': beat\n\n'),
        end: () => finish(),
        fail: () => finish(new TypeError('Failed to fetch')),
      }
      const via = init.method === 'POST' ? 'fetch POST' : 'fetch'
      const close = server.request(client, roomOf(url), idHeader ? (headers[idHeader] ?? '') : '', via, sink)
      init.signal?.addEventListener('abort', () => {
        close()
        finish(new DOMException('The operation was aborted.', 'AbortError'))
      })
    })
}
