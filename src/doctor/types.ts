/** What `use-event-source doctor` was asked to check, from its command line. */
export interface DoctorOptions {
  url: URL
  /** Request headers, such as `Authorization`: sent, and never printed. */
  headers: Record<string, string>
  /** The page's origin, to check CORS as a browser on it would; none skips the CORS checks. */
  origin: string | undefined
  method: string
  body: string | undefined
  /** How long to watch the stream, in ms. */
  duration: number
}

/** ✓, ⚠, ✗, or not checked (and why, in `detail`). */
export type Verdict = 'ok' | 'warn' | 'fail' | 'skip'

export type CheckId =
  | 'answer'
  | 'cache'
  | 'compression'
  | 'buffering'
  | 'heartbeat'
  | 'ids'
  | 'resume'
  | 'cors'
  | 'preflight'
  | 'cors-errors'
  | 'http'
  | 'post'

export interface Finding {
  check: CheckId
  verdict: Verdict
  /** What was measured, one sentence. */
  detail: string
  /** What to do about it, one sentence; on ⚠ and ✗ only. */
  fix?: string
  /** The section of the docs that explains it, relative to the package's repository. */
  docs?: string
}

/** One read from the response body: when, and what it carried. */
export interface Arrival {
  /** ms since the request was sent */
  at: number
  events: number
  comments: number
}

/** Everything one watched request showed, times in ms since it was sent. */
export interface Recording {
  status?: number
  headers?: Headers
  headersAt?: number
  arrivals: Arrival[]
  events: { at: number; id: string | undefined }[]
  comments: { at: number }[]
  /** The last `retry:` value, if the server sent one. */
  retry?: number
  /** When the server ended the response, if it did. */
  endedAt?: number
  /** When the watch stopped, for whatever reason. */
  stoppedAt: number
  /** A network failure, redacted. */
  error?: string
}

/** The resume trial: a second request with `Last-Event-ID: after`, which should go on with `expected`. */
export interface ResumeTrial {
  after: string
  expected: string
  /** The ids the first connection saw up to `after`, and after it. */
  before: string[]
  later: string[]
  /** The id of the first event the second request brought, if one came in time. */
  got?: string
}

/** A short request's answer, or undefined when it failed or timed out. */
export type ProbeAnswer = { status: number; headers: Headers } | undefined

/** What the requests of a run showed, for the checks to judge. */
export interface Observed {
  options: DoctorOptions
  /** The stream as a browser asks for it (compression accepted). */
  main: Recording
  /** The stream without compression (GET), or the main one again (other methods: never sent twice). */
  plain: Recording
  resume: ResumeTrial | undefined
  preflight: ProbeAnswer
  errorAnswer: ProbeAnswer
  /** The protocol ALPN settled on (`h2`, `http/1.1`), for https urls. */
  protocol: string | undefined
}
