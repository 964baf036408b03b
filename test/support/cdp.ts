import { type ChildProcess, spawn } from 'node:child_process'
import WebSocket from 'ws'
import { chromiumArgs, chromiumPath } from './chromium'

/**
 * Chromium driven through the DevTools protocol directly, without Playwright, for what Playwright's pages cannot
 * do: a page hidden behind another tab (Playwright keeps its pages visible), which CDP can then freeze.
 */
export interface RawChromium {
  /** Opens a tab at `url` (in front of the others) and returns its session and target. */
  open(url: string): Promise<{ session: string; target: string }>
  /** Sends a protocol command, to the browser or to a tab's session. */
  send<T = unknown>(method: string, params?: object, session?: string): Promise<T>
  /** Evaluates an expression in a tab and returns its value (awaited when it is a promise). */
  evaluate<T>(session: string, expression: string): Promise<T>
  close(): void
}

export async function launchRawChromium(): Promise<RawChromium> {
  const chromium: ChildProcess = spawn(chromiumPath, [...chromiumArgs, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const endpoint = await new Promise<string>((resolve, reject) => {
    let said = ''
    chromium.stderr?.on('data', (chunk) => {
      said += chunk
      const found = /ws:\/\/\S+/.exec(said)
      if (found) resolve(found[0])
    })
    chromium.on('exit', () => reject(new Error(`Chromium exited: ${said}`)))
  })
  const socket = new WebSocket(endpoint)
  await new Promise((resolve) => socket.once('open', resolve))
  let ids = 0
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>()
  socket.on('message', (data) => {
    const message = JSON.parse(String(data))
    waiting.get(message.id)?.(message)
    waiting.delete(message.id)
  })
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = ++ids
      waiting.set(id, ({ result, error }) =>
        error ? reject(new Error(`${method}: ${error.message}`)) : resolve(result as T),
      )
      socket.send(JSON.stringify({ id, method, params, sessionId }))
    })
  return {
    send,
    async open(url) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url })
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
      return { session: sessionId, target: targetId }
    },
    async evaluate<T>(session: string, expression: string) {
      const { result } = await send<{ result: { value: T } }>(
        'Runtime.evaluate',
        { expression, awaitPromise: true, returnByValue: true },
        session,
      )
      return result.value
    },
    close() {
      socket.close()
      chromium.kill()
    },
  }
}
