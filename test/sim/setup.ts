import fc from 'fast-check'
import type { RoomSpec } from './checker'
import type { Setup } from './world'

/**
 * A room: mostly a well-behaved server that sets ids; sometimes one without, with snapshots, `retry:`, heartbeats;
 * room b is sometimes asked with a POST (an answer). One GET room in four lets its stream go while hidden
 * (`pauseWhenHidden`, across tabs or not).
 */
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
      pauseWhenHidden: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(500, 2000) },
      ),
      post:
        name === 'b' ? fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)) : fc.constant(false),
    })
    .map(
      ({ heartbeat, post, crossTab, ids, pauseWhenHidden, ...rest }): RoomSpec => ({
        name,
        heartbeat,
        idleTimeout: heartbeat ? 4000 : undefined,
        post,
        // An answer to a POST is not shared across tabs, and numbers its own events.
        crossTab: crossTab && !post,
        ids: ids && !post,
        // Not for an answer: it would be sent again.
        pauseWhenHidden: post ? undefined : pauseWhenHidden,
        ...rest,
      }),
    )

export const setups: fc.Arbitrary<Setup> = fc.record({
  seed: fc.nat(),
  latency: fc.constantFrom(0, 1, 10, 40),
  rooms: fc.tuple(room('a'), room('b')),
  tabs: fc.integer({ min: 1, max: 3 }),
})
