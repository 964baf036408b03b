/** Who a task runs for: a tab (which may be frozen or gone), or the outside world (the server, the user). */
export interface Owner {
  alive: boolean
  frozen: boolean
  /** Tasks that came due while the tab was frozen, run in order when it resumes. */
  held: Task[]
}

export interface Task {
  at: number
  seq: number
  run: () => void
  owner: Owner | undefined
  cancelled: boolean
}

/** The real event loop's check phase: by then every pending promise job (and `process.nextTick`) has run. */
const realImmediate = globalThis.setImmediate
const drain = () => new Promise<void>((resolve) => realImmediate(() => resolve()))

/**
 * The one simulated clock of the browser, the network and the server. Tasks run in the order of their time, then of
 * their scheduling; every promise job a task starts runs before the next task, as in a browser's event loop. A task
 * that comes due in a frozen tab waits for it to resume; a gone tab's tasks never run.
 *
 * (Vitest's own `advanceTimersByTimeAsync` yields a real timer between fake ones, about a millisecond each: a
 * thousand schedules of hundreds of tasks would not fit the time `npm test` has. This queue yields a check phase.)
 */
export class SimClock {
  now = 0
  private tasks: Task[] = []
  private seq = 0

  /** Runs `run` after `delay` ms of simulated time, for `owner`. */
  schedule(delay: number, run: () => void, owner?: Owner): Task {
    const task: Task = { at: this.now + Math.max(0, delay), seq: this.seq++, run, owner, cancelled: false }
    let low = 0
    let high = this.tasks.length
    while (low < high) {
      const middle = (low + high) >> 1
      const other = this.tasks[middle] as Task
      if (other.at < task.at || (other.at === task.at && other.seq < task.seq)) low = middle + 1
      else high = middle
    }
    this.tasks.splice(low, 0, task)
    return task
  }

  cancel(task: Task): void {
    task.cancelled = true
  }

  /** Runs every task due within `ms`, then moves the clock to the end of that time. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms
    await drain()
    for (let task = this.tasks[0]; task && task.at <= end; task = this.tasks[0]) {
      this.tasks.shift()
      this.now = Math.max(this.now, task.at)
      if (task.cancelled) continue
      const { owner } = task
      if (owner && !owner.alive) continue
      if (owner?.frozen) {
        owner.held.push(task)
        continue
      }
      task.run()
      await drain()
    }
    this.now = end
  }

  /** A frozen tab resumes: what came due meanwhile runs now, in its order. */
  thaw(owner: Owner): void {
    owner.frozen = false
    // The same tasks, due now and first, in their order: a clearTimeout of one still cancels it.
    const held = owner.held.splice(0)
    for (const task of held) task.at = this.now
    this.tasks.unshift(...held)
  }
}
