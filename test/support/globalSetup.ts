import type { TestProject } from 'vitest/node'
import { startSseServer } from './sseServer'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the SSE test server, e.g. http://127.0.0.1:41234 */
    sseUrl: string
    /** Origin of a proxy to it whose sockets can all go silent (`/proxy?forward=0|1` on the server) */
    proxyUrl: string
  }
}

export default async function setup(project: TestProject) {
  const server = await startSseServer()
  project.provide('sseUrl', server.url)
  project.provide('proxyUrl', server.proxyUrl)
  return server.close
}
