import { connect } from 'node:tls'
import type { DoctorOptions, ProbeAnswer } from './types'

/** The request headers a browser's preflight names for the hook's requests: its reconnects send Last-Event-ID. */
export const preflightHeaders = ({ headers }: DoctorOptions) =>
  [...new Set(['last-event-id', 'content-type', ...Object.keys(headers).map((name) => name.toLowerCase())])].sort()

async function probe(url: URL, init: RequestInit, signal: AbortSignal): Promise<ProbeAnswer> {
  try {
    const response = await fetch(url, { ...init, signal })
    await response.body?.cancel()
    return { status: response.status, headers: response.headers }
  } catch {
    return undefined
  }
}

/** The CORS preflight a browser on `origin` sends before the hook's fetch requests (Last-Event-ID, a JSON body). */
export function sendPreflight(options: DoctorOptions, origin: string, signal: AbortSignal): Promise<ProbeAnswer> {
  return probe(
    options.url,
    {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': options.method,
        'Access-Control-Request-Headers': preflightHeaders(options).join(', '),
      },
    },
    signal,
  )
}

/** An error answer from the same server (a path that surely does not exist), to see whether it carries CORS headers. */
export function fetchErrorAnswer(options: DoctorOptions, origin: string, signal: AbortSignal): Promise<ProbeAnswer> {
  return probe(
    new URL('/use-event-source-doctor-not-found', options.url),
    { headers: { ...options.headers, Origin: origin } },
    signal,
  )
}

/** The protocol an https server offers a browser (`h2` or `http/1.1`), by ALPN; undefined when it cannot tell. */
export function negotiateProtocol(url: URL, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 443),
      servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
      ALPNProtocols: ['h2', 'http/1.1'],
    })
    const done = (protocol: string | undefined) => {
      signal.removeEventListener('abort', abort)
      socket.destroy()
      resolve(protocol)
    }
    const abort = () => done(undefined)
    signal.addEventListener('abort', abort)
    socket.once('secureConnect', () => done(socket.alpnProtocol || 'http/1.1'))
    socket.once('error', () => done(undefined))
  })
}
