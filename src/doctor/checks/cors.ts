import { isStream } from '../measure'
import { preflightHeaders } from '../probes'
import type { Finding, Observed } from '../types'
import { answerOf } from './answer'

const CHECKLIST = 'docs/server.md#the-checklist'
const SIMPLE_METHODS = ['GET', 'HEAD', 'POST']

const allows = (headers: Headers | undefined, origin: string) => {
  const allowed = headers?.get('access-control-allow-origin')
  return allowed === '*' || allowed === origin
}

/** The comma-separated names of a header, lower-cased. */
const listOf = (value: string | null | undefined) =>
  (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)

/** `Access-Control-Allow-Origin` on the stream, for a page on `--origin`. */
export function checkCors(observed: Observed): Finding {
  const { origin } = observed.options
  if (!origin)
    return {
      check: 'cors',
      verdict: 'skip',
      detail: "pass --origin <your app's origin> to check CORS as the browser will.",
    }
  const answer = answerOf(observed)
  if (!isStream(answer)) return { check: 'cors', verdict: 'skip', detail: 'not a stream.' }
  if (allows(answer.headers, origin)) return { check: 'cors', verdict: 'ok', detail: `the stream allows ${origin}.` }
  return {
    check: 'cors',
    verdict: 'fail',
    detail: `no Access-Control-Allow-Origin for ${origin} on the stream: the browser refuses it.`,
    fix: `Send Access-Control-Allow-Origin: ${origin} (or *) on every answer.`,
    docs: CHECKLIST,
  }
}

/** The preflight the hook's own requests need: Last-Event-ID on reconnects, Content-Type with a body, your headers. */
export function checkPreflight(observed: Observed): Finding | undefined {
  const { options, preflight } = observed
  const { origin, method } = options
  if (!origin) return undefined
  if (!isStream(answerOf(observed))) return { check: 'preflight', verdict: 'skip', detail: 'not a stream.' }
  const wanted = preflightHeaders(options)
  if (!preflight) return { check: 'preflight', verdict: 'skip', detail: 'the OPTIONS request failed or timed out.' }
  const allowedHeaders = listOf(preflight.headers.get('access-control-allow-headers'))
  const allowedMethods = listOf(preflight.headers.get('access-control-allow-methods'))
  const missing = allowedHeaders.includes('*') ? [] : wanted.filter((name) => !allowedHeaders.includes(name))
  const problems = [
    preflight.status >= 300 && `answered ${preflight.status}`,
    !allows(preflight.headers, origin) && `does not allow ${origin}`,
    missing.length > 0 && `does not allow the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    !SIMPLE_METHODS.includes(method) &&
      !allowedMethods.includes('*') &&
      !allowedMethods.includes(method.toLowerCase()) &&
      `does not allow ${method}`,
  ].filter((problem): problem is string => typeof problem === 'string')
  if (!problems.length)
    return { check: 'preflight', verdict: 'ok', detail: `OPTIONS allows ${origin} with ${wanted.join(', ')}.` }
  return {
    check: 'preflight',
    verdict: 'fail',
    detail: `the preflight (OPTIONS) ${problems.join(', ')}: the hook's reconnects, which send Last-Event-ID, fail.`,
    fix: `Answer OPTIONS with Access-Control-Allow-Origin and Access-Control-Allow-Headers: ${wanted.join(', ')}.`,
    docs: CHECKLIST,
  }
}

/** CORS headers on an error answer, or the page sees only "failed" instead of the status. */
export function checkCorsOnErrors(observed: Observed): Finding | undefined {
  const { origin } = observed.options
  if (!origin) return undefined
  const own = answerOf(observed)
  const answer =
    own.status !== undefined && own.status >= 400 ? { status: own.status, headers: own.headers } : observed.errorAnswer
  if (!answer || answer.status < 400)
    return {
      check: 'cors-errors',
      verdict: 'skip',
      detail: 'no error answer to look at (the server answered every path).',
    }
  if (allows(answer.headers, origin))
    return {
      check: 'cors-errors',
      verdict: 'ok',
      detail: `a ${answer.status} answer allows ${origin} too, so the page sees it.`,
    }
  return {
    check: 'cors-errors',
    verdict: 'fail',
    detail: `a ${answer.status} answer has no Access-Control-Allow-Origin: the page sees only "failed", not the ${answer.status}.`,
    fix: 'Send the CORS headers on every answer, error pages and 404s included.',
    docs: CHECKLIST,
  }
}
