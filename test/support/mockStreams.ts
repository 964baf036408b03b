import { act, cleanup } from '@testing-library/react'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import { MockEventSource } from '../../src/testing'

/** The newest mock stream. */
export const latest = () => MockEventSource.latest()
/** The mock streams nobody closed. */
export const live = () => MockEventSource.instances.filter((source) => !source.closed)
/** Lets the close grace period (a microtask) run out. */
export const settle = () => act(async () => {})

/**
 * For a test file on MockEventSource with fake timers: a fresh list of mocks
 * per test, and after each test everything unmounted, every timer run, and
 * no stream left open behind it.
 */
export function withMockStreams() {
  beforeEach(() => {
    vi.useFakeTimers()
    MockEventSource.reset()
  })
  afterEach(async () => {
    cleanup()
    await settle()
    vi.runOnlyPendingTimers()
    vi.useRealTimers()
    expect(live()).toEqual([])
  })
}
