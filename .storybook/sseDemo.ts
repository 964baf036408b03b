import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Connect, Plugin } from 'vite'
import { format, openSseResponse, readSseRequest } from '../test/support/sse.ts'
import { type ConnectionCount, connectionCounter, routes } from './demoStreams.ts'

/**
 * The demo's SSE endpoints, served by Storybook's own Vite server: no second
 * process. This is ordinary Node server code, the same in any framework.
 */

/** Streams open now per `key` query value, for the stories that show how many connections their hooks use. */
const connections = connectionCounter()

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  route: (typeof routes)[string],
  query: URLSearchParams,
) {
  const abort = new AbortController()
  res.on('close', () => abort.abort()) // the client went away (the request's own 'close' fires once its body is read)
  const { lastEventId, body } = await readSseRequest(req, query)
  const response = route({ query, body, lastEventId, authorization: req.headers.authorization, signal: abort.signal })
  if ('status' in response) {
    res.writeHead(response.status, { 'Content-Type': 'text/plain' }).end(response.body)
    return
  }
  openSseResponse(res, { retry: response.retry })
  const uncount = connections.add(query.get('key'))
  try {
    for await (const event of response.events) res.write(format(event))
  } finally {
    uncount()
    res.end()
  }
}

const middleware: Connect.NextHandleFunction = (req, res, next) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/sse/connections') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' })
    res.end(
      JSON.stringify({
        open: connections.count(url.searchParams.get('key')),
        counter: 'server',
      } satisfies ConnectionCount),
    )
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
