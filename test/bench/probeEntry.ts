/** What test/bench/probe.ts bundles: the core's connection and views, without React, and the devtools' watch. */
import { createConnection } from '../../src/core/connection'
import { createHookState, createView } from '../../src/core/view'
import { MockEventSource } from '../../src/testing/MockEventSource'

export { subscribeToStreams } from '../../src/devtools/inspect'

/** One open stream with `hooks` views subscribed, as that many hooks would be; `emit` sends one event's data. */
export function openStream(hooks: number) {
  MockEventSource.reset()
  const connection = createConnection('http://127.0.0.1/bench')
  const leave = Array.from({ length: hooks }, () =>
    createView(() => connection, { EventSource: MockEventSource }, createHookState()).subscribe(() => {}),
  )
  const source = MockEventSource.latest().open()
  return {
    emit: (data: string) => source.emit(data, { id: '1' }),
    close: () => {
      for (const unsubscribe of leave) unsubscribe()
    },
  }
}
