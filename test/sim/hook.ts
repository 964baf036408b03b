import type { EventSourceStatus, UseEventSourceOptions } from '../../src/core/types'
import type { SimTab } from './tab'

/** How the hooks of a room are set up. */
export interface HookSetup {
  crossTab: boolean
  /** Through fetch from the first attempt (else the browser's EventSource first, as by default). */
  fetch: boolean
  /** An `idleTimeout`, for a room whose server beats its heart (else the stream's own cadence). */
  idleTimeout: number | undefined
  /** A POST with a body: an answer, asked again only when the user says so. */
  post: boolean
  /** `pauseWhenHidden`: let the stream go once the page (every tab with a hook, across tabs) is hidden that long. */
  pauseWhenHidden: number | undefined
}

/** What a hook reports to the invariants checker. */
export interface HookWatcher {
  /** The hook subscribed (mounted, or shown again). */
  joined(hook: SimHook): void
  /** The user asked for the stream: mounted a hook on it, or called `reconnect()` (`again`). */
  asked(hook: SimHook, again?: boolean): void
  message(hook: SimHook, raw: string): void
  error(hook: SimHook): void
}

let hooks = 0

/**
 * One `useEventSource(url, options)` of a tab, driven as React drives it, without React: the library's own view
 * (`createView`) over the connection the registry gives for its key; `subscribe` and its cleanup are the
 * `useSyncExternalStore` subscription (mount, `<Activity>` shown), `hide` is `<Activity mode="hidden">`.
 */
export class SimHook {
  readonly name = `h${++hooks}`
  /** Subscribed: mounted and not hidden. */
  subscribed = false
  mounted = true
  /** The event numbers this hook received, in order. */
  readonly received: number[] = []
  readonly hookState
  private view
  private leave: (() => void) | undefined

  constructor(
    readonly tab: SimTab,
    readonly room: string,
    setup: HookSetup,
    private watcher: HookWatcher,
  ) {
    const { library } = tab
    const url = `https://app.test/rooms/${room}`
    const options: UseEventSourceOptions<unknown, unknown> = {
      crossTab: setup.crossTab,
      transport: setup.fetch ? 'fetch' : undefined,
      idleTimeout: setup.idleTimeout,
      pauseWhenHidden: setup.pauseWhenHidden,
      ...(setup.post && { method: 'POST', body: { question: 42 } }),
      throttle: false,
      onMessage: ({ raw }) => watcher.message(this, raw),
      onError: () => watcher.error(this),
    }
    const key = library.createConnectionKey()(url, options) as string
    this.hookState = library.createHookState()
    this.view = library.createView((previous) => library.acquireConnection(key, url, previous), options, this.hookState)
    watcher.asked(this)
    this.show()
  }

  status(): EventSourceStatus {
    return this.view.getSnapshot().status
  }

  /** Mounted, or shown again by `<Activity>`. */
  show(): void {
    if (this.subscribed || !this.mounted) return
    this.subscribed = true
    this.watcher.joined(this)
    this.leave = this.view.subscribe(() => {})
  }

  /** Hidden by `<Activity>`: unsubscribed, its state kept. */
  hide(): void {
    if (!this.subscribed) return
    this.subscribed = false
    this.leave?.()
  }

  unmount(): void {
    this.hide()
    this.mounted = false
  }

  /** After `close()`, the hook rejoins its stream where it is now (a join point). */
  reconnect(): void {
    if (!this.subscribed) return
    if (this.status() === 'closed') this.watcher.joined(this)
    this.watcher.asked(this, true)
    this.hookState.reconnect()
  }

  close(): void {
    if (this.subscribed) this.hookState.close()
  }
}
