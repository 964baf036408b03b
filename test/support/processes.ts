// Child processes for the scripts that start real tools (test/apps/run.ts, test/stories/screenshot.ts): each in a
// process group of its own, bounded in time, and every one of them stopped when the script ends.
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** Every process started here and not yet exited: `stopAll()` stops them. */
const started = new Set<ChildProcess>()

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts `command` in a process group of its own, its output collected. */
export function start(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  started.add(child)
  child.on('exit', () => started.delete(child))
  const output = { stdout: '', all: '' }
  child.stdout?.on('data', (chunk) => {
    output.stdout += chunk
    output.all += chunk
  })
  child.stderr?.on('data', (chunk) => (output.all += chunk))
  return { child, output }
}

/** SIGTERM to the whole group (npm, next and storybook spawn children), SIGKILL if it is still there after 5 s. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name)
    } catch {} // already gone
  }
  signal('SIGTERM')
  if ((await Promise.race([exited, sleep(5000).then(() => 'timeout')])) === 'timeout') signal('SIGKILL')
  started.delete(child)
}

/** Stops every process started here that is still running. */
export const stopAll = () => Promise.all([...started].map(killGroup))

/** A port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts a server and waits (up to `timeoutMs`) until `url` answers; throws with its output's tail otherwise. */
export async function serve(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; url: string; timeoutMs?: number },
): Promise<ChildProcess> {
  const { url, timeoutMs = 60_000, ...spawnOptions } = options
  const { child, output } = start(command, args, spawnOptions)
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output.all.slice(-3000)}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await response.body?.cancel()
      return child
    } catch {
      await sleep(250)
    }
  }
  await killGroup(child)
  throw new Error(`server did not answer ${url} within ${timeoutMs / 1000} s:\n${output.all.slice(-3000)}`)
}
