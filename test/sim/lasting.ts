/** How long a state that transitions excuse may last, in ms of simulated time. */
export const SETTLE = 10_000

/**
 * Conditions that may hold for a while (two connections during a handover, `open` just before a silent socket is
 * noticed) but not for longer than `SETTLE`. Each step names the conditions it looked at; a condition not looked at
 * in a step (a hook of a frozen tab, or one that left) starts afresh the next time.
 */
export class Lasting {
  private since = new Map<string, number>()
  private seen = new Set<string>()

  /** Whether `key` has held for longer than `SETTLE` at `now` (then it starts afresh, so that it is told once). */
  tooLong(key: string, holds: boolean, now: number): boolean {
    this.seen.add(key)
    const since = this.since.get(key)
    if (!holds) this.since.delete(key)
    else if (since === undefined) this.since.set(key, now)
    else if (now - since > SETTLE) {
      this.since.delete(key)
      return true
    }
    return false
  }

  /** The end of a step: the conditions it did not look at are forgotten. */
  sweep(): void {
    for (const key of this.since.keys()) if (!this.seen.has(key)) this.since.delete(key)
    this.seen.clear()
  }
}
