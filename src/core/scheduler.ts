import { after, nextFrame, now } from './timers'

/** The length of an animation frame at 60 Hz, in ms. */
const FRAME = 16

/** Each view with data pending, and the time (`now()`) before which it may not be told. */
const pending = new Map<() => void, number>()
/** The one wake-up (a frame, or a timer until a throttled view is due), and its time. */
let cancelWake: (() => void) | undefined
let wakeAt = 0
let flushedAt = -Infinity

/**
 * Tells every view that is due, all in one callback: React batches what they
 * set into one commit, and hooks on one stream show the same event in every
 * frame.
 */
function flush() {
  cancelWake = undefined
  flushedAt = now()
  for (const [task, notBefore] of pending) {
    if (notBefore > flushedAt) continue
    pending.delete(task)
    task()
  }
  wake(flushedAt)
}

/**
 * Arms the one wake-up for the earliest view due. After a quiet spell the
 * flush comes right after the current task (so the events dispatched with it
 * render with it); within a frame of the last flush it waits for the next
 * frame (about a second while the page is hidden: see `nextFrame`). Frames
 * and timers are looked up when used, so fake timers drive it in tests.
 */
function wake(time = now()) {
  if (!pending.size) return
  // A clock that starts again (a test's fake one) must not hold renders back.
  if (flushedAt > time) flushedAt = -Infinity
  const due = Math.max(Math.min(...pending.values()), flushedAt + FRAME)
  if (cancelWake && wakeAt <= due) return
  cancelWake?.()
  wakeAt = due
  if (due <= time) cancelWake = after(0, flush)
  else if (due - time <= FRAME) cancelWake = nextFrame(flush)
  else {
    // A throttled view: a timer until a frame before it is due, then that frame.
    cancelWake = after(due - time - FRAME, () => {
      cancelWake = nextFrame(flush)
    })
  }
}

/**
 * The page's render clock. `task` (a view telling React of new data) runs at
 * the first flush at or after `notBefore`, together with every other view due
 * then: one React commit per frame for any number of hooks on any number of
 * streams. Returns the function that takes it back.
 */
export function schedule(task: () => void, notBefore = 0): () => void {
  pending.set(task, notBefore)
  wake()
  return () => {
    pending.delete(task)
    if (pending.size) return
    cancelWake?.()
    cancelWake = undefined
  }
}
