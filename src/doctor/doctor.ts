import { checkAnswer, checkCache, checkCompression } from './checks/answer'
import { checkCors, checkCorsOnErrors, checkPreflight } from './checks/cors'
import { checkIds, checkResume } from './checks/ids'
import { checkHttp, checkPost } from './checks/transport'
import { checkBuffering, checkHeartbeat } from './checks/timing'
import { idsOf } from './measure'
import { fetchErrorAnswer, negotiateProtocol, sendPreflight } from './probes'
import { tryResume } from './resume'
import type { DoctorOptions, Finding, Observed } from './types'
import { type Watch, type WatchRequest, watchStream } from './watch'

/** What the command is doing now, for the progress line. */
export interface Progress {
  /** ms left to watch */
  left: number
  events: number
  waitingFor: string
}

/** What a browser's EventSource (or the hook's fetch transport) sends, with the user's headers. */
function requestOf(options: DoctorOptions, encoding: string): WatchRequest {
  return {
    url: options.url,
    method: options.method,
    body: options.body,
    headers: {
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
      'Accept-Encoding': encoding,
      ...(options.body !== undefined && { 'Content-Type': 'application/json' }),
      ...(options.origin && { Origin: options.origin }),
      ...options.headers,
    },
  }
}

function waitingFor(watch: Watch, resumed: boolean): string {
  const { headersAt, events } = watch.recording
  if (headersAt === undefined) return 'the headers'
  if (!events.length) return 'the first event'
  if (new Set(idsOf(watch.recording)).size < 2 && !resumed) return 'a second id, to try resuming'
  return resumed ? 'the heartbeat cadence' : 'the resumed stream'
}

/**
 * Watches the stream for `options.duration` (a browser-like request, an uncompressed one for GET, and a resumed one
 * once two ids came) while probing CORS and the protocol, then judges what it saw. Ends by the duration at most.
 */
export async function runDoctor(options: DoctorOptions, onProgress?: (progress: Progress) => void): Promise<Finding[]> {
  const signal = AbortSignal.timeout(options.duration)
  const started = performance.now()
  const main = watchStream(requestOf(options, 'gzip, deflate, br'), signal)
  // A POST (an LLM answer, say) is sent once, and resumed once: the uncompressed request is a GET's only.
  const plain = options.method === 'GET' ? watchStream(requestOf(options, 'identity'), signal) : main
  let resumed = false
  const resume = tryResume(plain, requestOf(options, 'identity'), signal).finally(() => {
    resumed = true
  })
  const { origin, url } = options
  const report = () =>
    onProgress?.({
      left: Math.max(0, options.duration - (performance.now() - started)),
      events: plain.recording.events.length,
      waitingFor: waitingFor(plain, resumed),
    })
  const ticker = setInterval(report, 250)
  report()
  try {
    const [mainRecording, plainRecording, resumeTrial, preflight, errorAnswer, protocol] = await Promise.all([
      main.done,
      plain.done,
      resume,
      origin ? sendPreflight(options, origin, signal) : undefined,
      origin ? fetchErrorAnswer(options, origin, signal) : undefined,
      url.protocol === 'https:' ? negotiateProtocol(url, signal) : undefined,
    ])
    const observed: Observed = {
      options,
      main: mainRecording,
      plain: plainRecording,
      resume: resumeTrial,
      preflight,
      errorAnswer,
      protocol,
    }
    const buffering = checkBuffering(observed)
    return [
      checkAnswer(observed),
      checkCache(observed),
      checkCompression(observed),
      buffering,
      checkHeartbeat(observed, buffering),
      checkIds(observed),
      checkResume(observed),
      checkCors(observed),
      checkPreflight(observed),
      checkCorsOnErrors(observed),
      checkHttp(observed),
      checkPost(observed),
    ].filter((finding): finding is Finding => finding !== undefined)
  } finally {
    clearInterval(ticker)
  }
}
