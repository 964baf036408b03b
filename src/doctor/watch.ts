import { createParser } from 'eventsource-parser'
import type { Recording } from './types'

export interface WatchRequest {
  url: URL
  method: string
  headers: Record<string, string>
  body: string | undefined
}

/** A request being watched: what it showed so far, and its end. */
export interface Watch {
  recording: Recording
  /** Calls `listener` after every read of the body and at its end; returns the unsubscribe. */
  subscribe(listener: () => void): () => void
  done: Promise<Recording>
}

const failureOf = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}

/**
 * Sends the request and records when the headers and each read of the body arrive, and which events and comments
 * each carried, until the response ends, `signal` aborts, or `enough(recording)` says so.
 */
export function watchStream(
  request: WatchRequest,
  signal: AbortSignal,
  enough: (recording: Recording) => boolean = () => false,
): Watch {
  const listeners = new Set<() => void>()
  const start = performance.now()
  const now = () => performance.now() - start
  const recording: Recording = { arrivals: [], events: [], comments: [], stoppedAt: 0 }
  const changed = () => {
    for (const listener of listeners) listener()
  }
  const stop = new AbortController()
  const abort = () => stop.abort()
  signal.addEventListener('abort', abort)

  async function run() {
    let events = 0
    let comments = 0
    const parser = createParser({
      onEvent: ({ id }) => {
        events += 1
        recording.events.push({ at: now(), id })
      },
      onComment: () => {
        comments += 1
        recording.comments.push({ at: now() })
      },
      onRetry: (retry) => {
        recording.retry = retry
      },
    })
    try {
      if (signal.aborted) return
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: stop.signal,
        redirect: 'follow',
      })
      recording.status = response.status
      recording.headers = response.headers
      recording.headersAt = now()
      changed()
      if (!response.body) return
      const decoder = new TextDecoder()
      for await (const chunk of response.body) {
        events = 0
        comments = 0
        parser.feed(decoder.decode(chunk, { stream: true }))
        recording.arrivals.push({ at: now(), events, comments })
        changed()
        if (enough(recording)) return
      }
      recording.endedAt = now()
    } catch (error) {
      if (!stop.signal.aborted) recording.error = failureOf(error)
    } finally {
      recording.stoppedAt = now()
      signal.removeEventListener('abort', abort)
      stop.abort() // closes the connection when `enough` ended the watch early
      changed()
      listeners.clear()
    }
  }

  return {
    recording,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    done: run().then(() => recording),
  }
}
