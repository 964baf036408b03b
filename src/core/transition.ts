import type { ConnectionState, Input } from './connectionTypes'

/** A connection's state before it starts, and after it stops. */
export const IDLE: ConnectionState = { status: 'idle', error: null, attempt: 0, retryAt: 0 }

/** The one place a connection's next state is computed: always a new object, so that listeners are told. */
export function transition(state: ConnectionState, input: Input): ConnectionState {
  switch (input.type) {
    case 'started':
      return { ...IDLE, status: 'connecting', error: state.error }
    case 'opened':
      return { ...IDLE, status: 'open' }
    case 'lost':
      return { ...IDLE, status: 'reconnecting', error: input.error }
    case 'retrying':
      return { status: 'reconnecting', error: input.error, attempt: input.attempt, retryAt: input.retryAt }
    case 'gaveUp':
      return { ...IDLE, status: 'error', error: input.error }
    case 'finished':
      return { ...IDLE, status: 'closed' }
    case 'paused':
      return { ...IDLE }
    case 'mirrored':
      return { ...input.state }
  }
}
