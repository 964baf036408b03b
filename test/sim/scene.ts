import type { SimClock } from './clock'
import type { HookSetup, SimHook } from './hook'
import type { RoomConfig, SimServer } from './server'
import type { SimTab } from './tab'

/** A room: how its server behaves and how its hooks are set up. */
export type RoomSpec = RoomConfig & HookSetup & { name: string }

/** What the checker looks at. */
export interface Scene {
  clock: SimClock
  server: SimServer
  rooms: ReadonlyMap<string, RoomSpec>
  tabs: readonly SimTab[]
  hooks: readonly SimHook[]
  /** How long a note between tabs takes. */
  latency: number
}

/** The promises, by name: see docs/invariants.md. */
export type Rule =
  | 'own-stream'
  | 'order'
  | 'gap'
  | 'one-error'
  | 'nothing-left'
  | 'storm'
  | 'one-connection'
  | 'open-truth'
  | 'status-truth'
  | 'bfcache'
  | 'resume'
  | 'no-resend'
  | 'pause-hidden'
  | 'pause-visible'

/**
 * Where a broken rule may be left out alone (a known defect there): in a cross-tab room; after a `reconnect()`, or
 * once a tab's hooks left while it was visible (see `pause-hidden`); for a hook of a stream with `pauseWhenHidden` on a
 * hidden page.
 */
export type Scope = 'crossTab' | 'reconnect' | 'left' | 'hidden'

/** A rule left out everywhere, or (`<rule>/<scope>`) only where its scope holds. */
export type Ignored = Rule | `${Rule}/${Scope}`

/** An event's data, as the simulated server writes it. */
export interface Item {
  room: string
  n: number
  snapshot?: boolean
}
