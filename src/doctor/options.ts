import { parseArgs } from 'node:util'
import type { DoctorOptions } from './types'

export const HELP = `Usage: use-event-source doctor <url> [options]

Checks a Server-Sent Events endpoint and the proxies in front of it: status and headers, compression, buffering,
heartbeats, ids and resume, CORS, the HTTP version, and POST streams.

Options:
  --header "Name: value"  a request header, such as Authorization (repeatable; values are never printed)
  --origin <origin>       your app's origin, to check CORS as the browser will (e.g. https://app.example.com)
  --method <method>       the request's method (default GET; POST for an LLM answer)
  --body <text>           the request's body (implies POST unless --method says otherwise)
  --duration <seconds>    how long to watch the stream (default 30; "500ms" and "2s" work too)
  --json                  print the findings as JSON, for CI
  -h, --help              this help

Exit status: 0 when nothing failed (warnings included), 1 when a check failed or the command could not run.

Example:
  npx use-event-source doctor https://api.example.com/sse --origin https://app.example.com \\
    --header "Authorization: Bearer $TOKEN" --duration 60
`

/** A usage mistake: the message says what to write instead. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export type Command = { help: true } | { help: false; json: boolean; options: DoctorOptions }

/** Seconds as a number, or with a unit: `30`, `2.5s`, `500ms`. */
function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim())
  if (!match) throw new UsageError(`--duration takes seconds, such as 30, 2.5s or 500ms (got "${text}")`)
  const ms = Number(match[1]) * (match[2] === 'ms' ? 1 : 1000)
  if (ms < 100) throw new UsageError('--duration must be at least 100ms')
  return ms
}

/** `Name: value` pairs; a message without the value when one is malformed, since it may be a secret. */
function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim()
    if (colon < 1 || !/^[!#$%&'*+.^`|~\w-]+$/.test(name))
      throw new UsageError('--header takes "Name: value", such as --header "Authorization: Bearer …"')
    headers[name] = line.slice(colon + 1).trim()
  }
  return headers
}

function parseOrigin(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  try {
    const { origin } = new URL(text)
    if (origin !== 'null') return origin
  } catch {}
  throw new UsageError(`--origin takes an origin such as https://app.example.com (got "${text}")`)
}

/** The command line (without `node` and the script) as a command to run, or a UsageError. */
export function parseCommand(args: string[]): Command {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      header: { type: 'string', multiple: true },
      origin: { type: 'string' },
      method: { type: 'string' },
      body: { type: 'string' },
      duration: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const [command, target, ...rest] = positionals
  if (command !== 'doctor') throw new UsageError('The command is "doctor": use-event-source doctor <url>')
  if (!target || rest.length) throw new UsageError('Give one url: use-event-source doctor <url>')
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw new UsageError('The url must be absolute, such as https://api.example.com/sse')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('The url must be http: or https:')
  if (url.username || url.password)
    throw new UsageError('Put credentials in a header instead of the url: --header "Authorization: Basic …"')
  const method = (values.method ?? (values.body === undefined ? 'GET' : 'POST')).toUpperCase()
  if (values.body !== undefined && (method === 'GET' || method === 'HEAD'))
    throw new UsageError(`A ${method} request cannot have a body: leave out --method, or pass --method POST`)
  return {
    help: false,
    json: values.json ?? false,
    options: {
      url,
      headers: parseHeaders(values.header ?? []),
      origin: parseOrigin(values.origin),
      method,
      body: values.body,
      duration: parseDuration(values.duration ?? '30'),
    },
  }
}
