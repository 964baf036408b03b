import { expect, inject, vi } from 'vitest'
import type { KeyStats } from './sseServer'

// Runs in jsdom and in the browser alike: nothing here but fetch, timers and vitest.

let keys = 0

/** A url on the test server with a key of its own, so that each test reads only its own stats. */
export function streamUrl(params: Record<string, string | number> = {}): { url: string; key: string } {
  const key = `k${Date.now().toString(36)}-${++keys}`
  const query = new URLSearchParams({
    key,
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  })
  return { url: `${inject('sseUrl')}/sse?${query}`, key }
}

/** What the server saw for a key. */
export async function serverStats(key: string): Promise<KeyStats> {
  const response = await fetch(`${inject('sseUrl')}/stats?key=${key}`)
  return (await response.json()) as KeyStats
}

/** Waits until the server has no open connection for a key: it saw the close. Fails after `timeout` ms. */
export async function serverSawClose(key: string, timeout = 1000): Promise<void> {
  await vi.waitFor(async () => expect((await serverStats(key)).open).toBe(0), { timeout, interval: 20 })
}

/**
 * Lets real time pass, for what a real server must be given time to show (a request that should not come).
 * Never for code under fake timers: advance those instead.
 */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
