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

/** An event's data, as the simulated server writes it. */
export interface Item {
  room: string
  n: number
  snapshot?: boolean
}
