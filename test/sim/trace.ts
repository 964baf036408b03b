/**
 * `SIM_TRACE=1`: a failing schedule's report ends with its timeline (steps, requests, notes between tabs,
 * deliveries), from the world's start: only the last run's, the shrunk one.
 */
export const tracing = !!process.env.SIM_TRACE

const lines: string[] = []

export function trace(now: number, line: string): void {
  if (tracing) lines.push(`${String(now).padStart(7)} ms  ${line}`)
}

/** A new world: its timeline starts afresh. Returns the one before. */
export function restartTrace(): string[] {
  return lines.splice(0)
}

export const timeline = () => lines.join('\n')
