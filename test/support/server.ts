import { inject } from 'vitest'
import type { KeyStats } from './sseServer'

let keys = 0

/** A url on the test server with a key of its own, so that each test reads only its own stats. */
export function streamUrl(params: Record<string, string | number> = {}): { url: string; key: string } {
  const key = `k${Date.now().toString(36)}-${++keys}`
  const query = new URLSearchParams({ key, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) })
  return { url: `${inject('sseUrl')}/sse?${query}`, key }
}

/** What the server saw for a key. */
export async function serverStats(key: string): Promise<KeyStats> {
  const response = await fetch(`${inject('sseUrl')}/stats?key=${key}`)
  return (await response.json()) as KeyStats
}
