import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { Connection } from './core/connectionTypes'
import { acquireConnection, createConnectionKey, ownConnection } from './core/registry'
import type {
  EventSourceResult,
  ReducedEventSourceResult,
  ReduceOptions,
  UseEventSourceArgs,
  UseEventSourceOptions,
} from './core/types'
import { createHookState, createView } from './core/view'

/** How a view gets its connection: none for a `null` url, one of its own, or the shared one for its key. */
function connectionFor(url: string | URL | null, own: boolean, key: string | null | undefined) {
  if (url === null) return null
  if (own) return ownConnection(url)
  return (previous?: Connection) => acquireConnection(key as string, url, previous)
}

/**
 * Subscribes a component to a Server-Sent Events stream. The stream opens in
 * an effect, closes on unmount, and is shared with the other hooks on the
 * same url and connection options. `url: null` keeps the hook idle. With
 * `reduce` and `initial`, `data` is the fold of every event.
 */
export function useEventSource<T = unknown, S = unknown>(
  url: string | URL | null,
  options: ReduceOptions<T, S>,
): ReducedEventSourceResult<T, S>
export function useEventSource<T = unknown>(
  url: string | URL | null,
  ...options: UseEventSourceArgs<T>
): EventSourceResult<T>
export function useEventSource<T>(url: string | URL | null, options: UseEventSourceOptions<T, unknown> = {}) {
  // Kept across the hook's streams: after close(), a new url or new options open nothing until reconnect().
  const [hook] = useState(createHookState)
  const [connectionKey] = useState(createConnectionKey)
  const key = url === null ? null : connectionKey(url, options)
  // A hook that must not share gets a connection of its own, by identity: a headers function's result is not known
  // before connecting (no hook may receive a stream opened with another's credentials), and options that cannot
  // be written as a key (a body with a cycle) cannot be compared.
  const own = key === undefined || options.shared === false || typeof options.headers === 'function'
  // A new view only when the stream's identity changes: inline options objects never reconnect.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for url and connection options; the rest is read live
  const view = useMemo(() => createView<T>(connectionFor(url, own, key), options, hook), [key ?? String(url), own])
  useEffect(() => view.setOptions(options))
  // On the server nothing ever subscribes, so the view's snapshot stays the idle one.
  return useSyncExternalStore(view.subscribe, view.getSnapshot, view.getSnapshot)
}
