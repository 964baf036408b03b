// @vitest-environment node
import { createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createExampleServer } from '../../examples/node-http.ts'
import { main } from '../../src/doctor/main.ts'
import type { Finding } from '../../src/doctor/types.ts'
import {
  createBufferingProxy,
  createCompressedApp,
  createStreamHandler,
  type Flaws,
  listen,
  type Running,
} from './servers.ts'

const ORIGIN = 'http://localhost:5173'
/** Long enough to see a few events and heartbeats, short enough for the suite; thresholds scale with it. */
const DURATION = '3'

/** A stdout or stderr that keeps what is written, a terminal or not. */
function capture(isTTY: boolean) {
  const chunks: string[] = []
  const stream = { isTTY, columns: 100, write: (chunk: string) => chunks.push(chunk) > 0 }
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') }
}

async function doctor(args: string[], { tty = false } = {}) {
  const stdout = capture(tty)
  const stderr = capture(tty)
  const status = await main(['doctor', ...args], { stdout: stdout.stream, stderr: stderr.stream, env: {} })
  return { status, stdout: stdout.text(), stderr: stderr.text() }
}

/** The findings of a --json run, and what it flagged (⚠ and ✗) by check. */
async function diagnose(url: string, ...args: string[]) {
  const { status, stdout } = await doctor([url, '--duration', DURATION, '--json', ...args])
  const report = JSON.parse(stdout) as { findings: Finding[] }
  const { findings } = report
  const flagged = Object.fromEntries(
    findings
      .filter(({ verdict }) => verdict === 'warn' || verdict === 'fail')
      .map(({ check, verdict }) => [check, verdict]),
  )
  return { status, report, findings, flagged }
}

const running: Running[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})
async function start(server: Parameters<typeof listen>[0]) {
  const started = await listen(server)
  running.push(started)
  return started.url
}
const example = () => start(createExampleServer({ interval: 200, heartbeat: 500, tokenInterval: 80 }))
const flawed = (flaws: Flaws) => start(createServer(createStreamHandler(flaws)))

describe('use-event-source doctor', { timeout: 20_000 }, () => {
  it('passes the example server on every check', async () => {
    const { status, findings } = await diagnose(`${await example()}/sse`, '--origin', ORIGIN)
    expect(findings.map(({ check, verdict }) => `${check} ${verdict}`)).toEqual(
      [
        'answer',
        'cache',
        'compression',
        'buffering',
        'heartbeat',
        'ids',
        'resume',
        'cors',
        'preflight',
        'cors-errors',
        'http',
      ].map((check) => `${check} ok`),
    )
    expect(status).toBe(0)
  })

  it('prints --json in the shape docs/doctor.md documents', async () => {
    const { report, findings } = await diagnose(`${await flawed({ noIds: true })}/sse`, '--duration', '1')
    expect(Object.keys(report)).toEqual(['url', 'method', 'watchedMs', 'ok', 'summary', 'findings'])
    expect(report).toMatchObject({ method: 'GET', ok: false, summary: { ok: 6, warn: 0, fail: 1, skip: 2 } })
    expect(Object.keys(findings.find(({ check }) => check === 'ids') ?? {})).toEqual([
      'check',
      'verdict',
      'detail',
      'fix',
      'docs',
    ])
  })

  it('passes the example server’s POST stream, answered event by event', async () => {
    const { status, findings, flagged } = await diagnose(`${await example()}/llm`, '--body', '{"prompt":"hello"}')
    expect(flagged).toEqual({})
    expect(findings.find(({ check }) => check === 'post')?.verdict).toBe('ok')
    expect(findings.find(({ check }) => check === 'resume')?.verdict).toBe('ok')
    expect(status).toBe(0)
  })

  it('flags compression() on an event stream, and nothing else', async () => {
    const { status, flagged } = await diagnose(`${await start(createServer(createCompressedApp()))}/sse`)
    expect(flagged).toEqual({ compression: 'fail' })
    expect(status).toBe(1)
  })

  it('flags a proxy that buffers like nginx, and nothing else', async () => {
    const upstream = await start(createExampleServer({ interval: 20 }))
    const proxy = await start(createBufferingProxy(upstream))
    const { flagged, findings } = await diagnose(`${proxy}/sse`, '--duration', '4')
    expect(flagged).toEqual({ buffering: 'fail' })
    expect(findings.find(({ check }) => check === 'buffering')?.detail).toMatch(/events arrived at once after/)
  })

  it('flags a stream that goes quiet without heartbeats, and nothing else', async () => {
    const { flagged } = await diagnose(`${await flawed({ noHeartbeat: true })}/sse`)
    expect(flagged).toEqual({ heartbeat: 'warn' })
  })

  it('flags events without ids, and nothing else', async () => {
    const { flagged, findings } = await diagnose(`${await flawed({ noIds: true })}/sse`)
    expect(flagged).toEqual({ ids: 'fail' })
    expect(findings.find(({ check }) => check === 'resume')?.verdict).toBe('skip')
  })

  it('flags a server that ignores Last-Event-ID, and nothing else', async () => {
    const { flagged, findings } = await diagnose(`${await flawed({ ignoreLastEventId: true })}/sse`)
    expect(flagged).toEqual({ resume: 'fail' })
    expect(findings.find(({ check }) => check === 'resume')?.detail).toMatch(/starts over/)
  })

  it('flags a preflight that does not allow last-event-id, and nothing else', async () => {
    const url = await flawed({ allowHeaders: 'content-type, authorization' })
    const { flagged, findings } = await diagnose(`${url}/sse`, '--origin', ORIGIN)
    expect(flagged).toEqual({ preflight: 'fail' })
    expect(findings.find(({ check }) => check === 'preflight')?.detail).toMatch(
      /does not allow the header last-event-id/,
    )
  })

  it('flags a 404 without CORS headers, and nothing else', async () => {
    const { status, flagged } = await diagnose(`${await flawed({ notFound: true })}/sse`, '--origin', ORIGIN)
    expect(flagged).toEqual({ answer: 'fail', 'cors-errors': 'fail' })
    expect(status).toBe(1)
  })

  it('flags a POST answered as one whole body, and nothing else', async () => {
    const { flagged } = await diagnose(`${await flawed({ wholeBody: true })}/sse`, '--body', '{}')
    expect(flagged).toEqual({ post: 'fail' })
  })

  it('shows progress and colour on a terminal, and ends within its duration plus 5 s', async () => {
    const url = `${await example()}/sse`
    const started = performance.now()
    const { stdout, stderr } = await doctor([url, '--duration', DURATION], { tty: true })
    expect(performance.now() - started).toBeLessThan(Number(DURATION) * 1000 + 5000)
    expect(stderr).toMatch(/watching: \d+ s left, \d+ events? so far, waiting for /)
    expect(stdout).toContain('\x1b[32m✓\x1b[0m answer')
    expect(stdout).toMatch(/0 problems, 0 warnings, 8 passed, 1 not checked$/m)
  })

  it('prints neither progress, colour nor the values of --header off a terminal', async () => {
    const url = `${await example()}/sse?token=query-secret`
    const { stdout, stderr } = await doctor([url, '--duration', '1', '--header', 'Authorization: Bearer header-secret'])
    expect(stderr).toBe('')
    expect(stdout).not.toContain('\x1b[')
    expect(stdout).not.toMatch(/header-secret|query-secret/)
    expect(stdout).toContain('/sse?token=…')
  })

  it('answers --help with an example, and a usage mistake with status 1', async () => {
    const help = await doctor(['--help'])
    expect(help.stdout).toMatch(/Usage: use-event-source doctor <url>[\s\S]*Example:\n {2}npx use-event-source doctor/)
    expect(help.status).toBe(0)
    const wrong = await main(['check', 'http://127.0.0.1:1/sse'], {
      stdout: capture(false).stream,
      stderr: capture(false).stream,
      env: {},
    })
    expect(wrong).toBe(1)
  })
})
