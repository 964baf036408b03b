import { useEffect, useId, useMemo, useSyncExternalStore } from 'react'
import { acquireConnection, connectionKey } from './core/registry'
import type { EventSourceResult, ReducedEventSourceResult, ReduceOptions, UseEventSourceOptions } from './core/types'
import { createView } from './core/view'

/**
 * Subscribes a component to a Server-Sent Events stream. The stream opens in
 * an effect, closes on unmount, and is shared with the other hooks on the
 * same url and connection options. `url: null` keeps the hook idle. With
 * `reduce` and `initial`, `data` is the fold of every event.
 */
export function useEventSource<T = unknown, S = unknown>(url: string | URL | null, options: ReduceOptions<T, S>): ReducedEventSourceResult<T, S>
export function useEventSource<T = unknown>(url: string | URL | null, options?: UseEventSourceOptions<T>): EventSourceResult<T>
export function useEventSource<T>(url: string | URL | null, options: UseEventSourceOptions<T, unknown> = {}) {
  const id = useId()
  // A headers function's result is not known before connecting: hooks with one never share, so that no hook
  // receives a stream opened with another's credentials.
  const own = options.shared === false || typeof options.headers === 'function'
  // Options that cannot be written as a key (a body with a cycle) make a stream of the hook's own.
  const key = url === null ? null : (connectionKey(url, options) ?? id) + (own ? id : '')
  // A new view only when the stream's identity changes: inline options objects never reconnect.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for url and connection options; the rest is read live
  const view = useMemo(
    () => createView<T>(key === null ? null : () => acquireConnection(key, url as string | URL), options),
    [key],
  )
  useEffect(() => view.setOptions(options))
  // On the server nothing ever subscribes, so the view's snapshot stays the idle one.
  return useSyncExternalStore(view.subscribe, view.getSnapshot, view.getSnapshot)
}
