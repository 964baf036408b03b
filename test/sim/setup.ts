import fc from 'fast-check'
import type { RoomSpec } from './checker'
import type { Setup } from './world'

/** A room: mostly a well-behaved server that sets ids; sometimes one without, with snapshots, `retry:`, heartbeats. */
const room = (name: string) =>
  fc
    .record({
      crossTab: fc.boolean(),
      fetch: fc.boolean(),
      ids: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      snapshot: fc.boolean(),
      retry: fc.constantFrom(0, 0, 500, 5000),
      interval: fc.constantFrom(150, 400, 1000),
      heartbeat: fc.boolean(),
    })
    .map(
      ({ heartbeat, ...rest }): RoomSpec => ({ name, heartbeat, idleTimeout: heartbeat ? 4000 : undefined, ...rest }),
    )

export const setups: fc.Arbitrary<Setup> = fc.record({
  seed: fc.nat(),
  latency: fc.constantFrom(0, 1, 10, 40),
  rooms: fc.tuple(room('a'), room('b')),
  tabs: fc.integer({ min: 1, max: 3 }),
})
