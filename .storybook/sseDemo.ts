import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Connect, Plugin } from 'vite'
import { format, openSseResponse, readSseRequest } from '../test/support/sse.ts'
import { routes } from './demoStreams.ts'

/**
 * The demo's SSE endpoints, served by Storybook's own Vite server: no second
 * process. This is ordinary Node server code, the same in any framework.
 */

/** Streams open now per `key` query value, for the story that shows how many connections its widgets use. */
const openConnections = new Map<string, number>()

async function serve(req: IncomingMessage, res: ServerResponse, route: (typeof routes)[string], query: URLSearchParams) {
  const abort = new AbortController()
  res.on('close', () => abort.abort()) // the client went away (the request's own 'close' fires once its body is read)
  const { lastEventId, body } = await readSseRequest(req, query)
  const response = route({ query, body, lastEventId, authorization: req.headers.authorization, signal: abort.signal })
  if ('status' in response) {
    res.writeHead(response.status, { 'Content-Type': 'text/plain' }).end(response.body)
    return
  }
  openSseResponse(res, { retry: response.retry })
  const key = query.get('key')
  if (key) openConnections.set(key, (openConnections.get(key) ?? 0) + 1)
  try {
    for await (const event of response.events) res.write(format(event))
  } finally {
    if (key) openConnections.set(key, (openConnections.get(key) ?? 1) - 1)
    res.end()
  }
}

const middleware: Connect.NextHandleFunction = (req, res, next) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/sse/connections') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' })
    res.end(JSON.stringify({ open: openConnections.get(url.searchParams.get('key') ?? '') ?? 0 }))
    return
  }
  const route = routes[url.pathname]
  if (route) void serve(req, res, route, url.searchParams)
  else next()
}

/** Adds the demo endpoints to the dev server (`storybook dev`, the story tests) and the preview server. */
export function sseDemo(): Plugin {
  return {
    name: 'use-event-source:sse-demo',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  }
}
