import { describe, expect, it } from 'vitest'
import { reconnectDelay } from '../../src/core/policy'

const highest = () => 0.999999
const lowest = () => 0

describe('reconnectDelay', () => {
  it.each([
    // attempt, random, expected ms (defaults: 1 s base, 30 s cap)
    [1, highest, 999],
    [2, highest, 1999],
    [3, highest, 3999],
    [5, highest, 15999],
    [6, highest, 29999],
    [50, highest, 29999],
    [1, lowest, 0],
    [4, () => 0.5, 4000],
  ])('attempt %i with random %o waits %i ms', (attempt, random, expected) => {
    expect(reconnectDelay(attempt, { random })).toBe(expected)
  })

  it.each([
    [1, { base: 200 }, 199],
    [3, { base: 200 }, 799],
    [4, { base: 200, cap: 500 }, 499],
  ])('attempt %i with %o waits %i ms at most', (attempt, options, expected) => {
    expect(reconnectDelay(attempt, { ...options, random: highest })).toBe(expected)
  })

  it('spreads delays over the whole window (full jitter)', () => {
    const delays = Array.from({ length: 2000 }, () => reconnectDelay(3))
    expect(Math.min(...delays)).toBeLessThan(400)
    expect(Math.max(...delays)).toBeGreaterThan(3600)
    expect(Math.max(...delays)).toBeLessThan(4000)
  })
})
