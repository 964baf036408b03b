import type { CheckId, Finding, Verdict } from './types'

/** The name each check has in the report, as short as a column allows. */
const TITLES: Record<CheckId, string> = {
  answer: 'answer',
  cache: 'cache',
  compression: 'compression',
  buffering: 'buffering',
  heartbeat: 'heartbeat',
  ids: 'ids, retry',
  resume: 'resume',
  cors: 'CORS',
  preflight: 'preflight',
  'cors-errors': 'CORS on errors',
  http: 'HTTP version',
  post: 'POST stream',
}
const MARKS: Record<Verdict, string> = { ok: '✓', warn: '⚠', fail: '✗', skip: '–' }
const COLOURS: Record<Verdict, number> = { ok: 32, warn: 33, fail: 31, skip: 2 }
const WIDTH = Math.max(...Object.values(TITLES).map((title) => title.length))

export interface Summary {
  ok: number
  warn: number
  fail: number
  skip: number
}

export const summarize = (findings: Finding[]): Summary => ({
  ok: findings.filter(({ verdict }) => verdict === 'ok').length,
  warn: findings.filter(({ verdict }) => verdict === 'warn').length,
  fail: findings.filter(({ verdict }) => verdict === 'fail').length,
  skip: findings.filter(({ verdict }) => verdict === 'skip').length,
})

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** The findings as lines for a person: a mark, the check, what was seen; the fix and the docs under ⚠ and ✗. */
export function formatText(
  target: string,
  findings: Finding[],
  { colour, watched }: { colour: boolean; watched: number },
): string {
  const paint = (verdict: Verdict, text: string) => (colour ? `\x1b[${COLOURS[verdict]}m${text}\x1b[0m` : text)
  const indent = ' '.repeat(WIDTH + 4)
  const lines = findings.flatMap(({ check, verdict, detail, fix, docs }) => [
    `${paint(verdict, MARKS[verdict])} ${TITLES[check].padEnd(WIDTH)}  ${detail}`,
    ...(fix ? [`${indent}${paint(verdict, '→')} ${fix}${docs ? ` See ${docs}` : ''}`] : []),
  ])
  const { ok, warn, fail, skip } = summarize(findings)
  const summary = [
    count(fail, 'problem'),
    count(warn, 'warning'),
    `${ok} passed`,
    ...(skip ? [`${skip} not checked`] : []),
  ].join(', ')
  const overall: Verdict = fail ? 'fail' : warn ? 'warn' : 'ok'
  return [
    `use-event-source doctor ${target} (watched ${(watched / 1000).toFixed(1)} s)`,
    '',
    ...lines,
    '',
    `${paint(overall, MARKS[overall])} ${summary}`,
  ].join('\n')
}

/** The findings for machines (`--json`): the shape docs/doctor.md documents. */
export function formatJson(target: string, method: string, findings: Finding[], watched: number): string {
  const summary = summarize(findings)
  return JSON.stringify(
    { url: target, method, watchedMs: Math.round(watched), ok: summary.fail === 0, summary, findings },
    null,
    2,
  )
}
