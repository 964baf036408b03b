import { runDoctor } from './doctor'
import { HELP, parseCommand, UsageError } from './options'
import { createProgressLine } from './progress'
import { createRedactor, displayUrl } from './redact'
import { formatJson, formatText } from './report'

export interface Io {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
}

/**
 * `use-event-source doctor <url> [options]`: prints the findings (text, or JSON with --json) on stdout, the progress
 * line on stderr when it is a terminal, and returns the exit status: 1 when a check failed or the command could not run.
 */
export async function main(args: string[], { stdout, stderr, env }: Io): Promise<number> {
  let command: ReturnType<typeof parseCommand>
  try {
    command = parseCommand(args)
  } catch (error) {
    if (!(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error
    stderr.write(`${(error as Error).message}\nRun use-event-source --help for the options and an example.\n`)
    return 1
  }
  if (command.help) {
    stdout.write(HELP)
    return 0
  }
  const { options, json } = command
  const redact = createRedactor(options.url, options.headers)
  const target = displayUrl(options.url)
  const progress = createProgressLine(stderr)
  const started = performance.now()
  try {
    const findings = await runDoctor(options, json ? undefined : progress.update)
    progress.clear()
    const watched = performance.now() - started
    const colour = stdout.isTTY === true && !env.NO_COLOR
    const output = json
      ? formatJson(target, options.method, findings, watched)
      : formatText(`${options.method === 'GET' ? '' : `${options.method} `}${target}`, findings, { colour, watched })
    stdout.write(`${redact(output)}\n`)
    return findings.some(({ verdict }) => verdict === 'fail') ? 1 : 0
  } catch (error) {
    progress.clear()
    stderr.write(`use-event-source doctor: ${redact(error instanceof Error ? error.message : String(error))}\n`)
    return 1
  }
}
