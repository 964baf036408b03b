/** One tab's candidacy for a stream's Web Lock: the tab granted it runs the stream. */
export interface Election {
  /** Asks for the lock; `false` where this tab holds it or waits for it already (or stepped down for good). */
  stand(): boolean
  /** Lets go of the lock, or of the wait for it. */
  stepDown(): void
  /** Lets go for good: a grant on its way is let go at once. */
  close(): void
}

/**
 * Stands for the lock `name` (a tab-election: the lock is held by a promise
 * that only stepping down resolves, so a tab holds it until it lets go or
 * its page goes). `granted` is called when this tab is granted it;
 * `refused` when the browser refuses the request (an opaque origin).
 */
export function createElection(locks: LockManager, name: string, granted: () => void, refused: () => void): Election {
  let waiting: AbortController | undefined
  let release: (() => void) | undefined
  let closed = false

  function stepDown() {
    waiting?.abort()
    waiting = undefined
    release?.()
    release = undefined
  }

  return {
    stand() {
      if (waiting || release || closed) return false
      const asking = new AbortController()
      waiting = asking
      const hold = () =>
        new Promise<void>((resolve) => {
          // A grant on its way to a request taken back, or to a closed tab, is let go at once.
          if (waiting !== asking || closed) return resolve()
          waiting = undefined
          release = resolve
          granted()
        })
      locks.request(name, { signal: asking.signal }, hold).catch((error: unknown) => {
        // Taken back while waiting (an abort), or refused.
        if ((error as Error)?.name !== 'AbortError' && !closed) refused()
      })
      return true
    },
    stepDown,
    close() {
      closed = true
      stepDown()
    },
  }
}
