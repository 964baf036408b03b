import type { Controls } from '../core/connectionTypes'
import { isGet } from '../core/policy'
import { after } from '../core/timers'

/** `pauseWhenHidden` across tabs, as the leader keeps it. */
export interface TabsPause {
  /** A tab with hooks on the stream is `visible` or not (this one included); `false` also for a tab that left. */
  seen(tab: string, visible: boolean): void
  /** A new turn of leading: the other tabs say again whether they are visible (in their hellos). */
  restart(): void
  /** This tab no longer leads: the clock stops. */
  stop(): void
}

/**
 * `pauseWhenHidden` for a stream shared across tabs, run by the leader: the
 * stream is let go once every tab with hooks on it has been hidden for the
 * option's ms (status `idle` in every tab, the position kept), and runs again
 * from its position as soon as one of them is shown. A tab that crashed
 * while visible keeps the stream running: the safe side.
 */
export function createTabsPause(side: Controls): TabsPause {
  const visible = new Set<string>()
  let cancel: (() => void) | undefined
  let paused = false
  const status = () => side.connection.getState().status

  function pause() {
    if (status() === 'closed' || status() === 'error') return
    paused = true
    side.stop()
    side.dispatch({ type: 'paused' })
  }

  function update() {
    cancel?.()
    cancel = undefined
    const options = side.options()
    const ms = isGet(options) ? options.pauseWhenHidden : undefined
    if (ms === undefined) return
    if (!visible.size) cancel = after(ms, pause)
    else if (paused) {
      paused = false
      if (status() === 'idle') side.start() // from the stream's position (`Last-Event-ID`)
    }
  }

  return {
    seen(tab, isVisible) {
      if (isVisible) visible.add(tab)
      else visible.delete(tab)
      update()
    },
    restart() {
      visible.clear()
      paused = false
    },
    stop() {
      cancel?.()
      cancel = undefined
    },
  }
}
