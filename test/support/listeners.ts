import { vi } from 'vitest'
import type { ConnectionListener, ConnectionState } from '../../src/core/connectionTypes'

/** A new connection listener that hears nothing (each subscription needs a listener of its own). */
export const quiet = (): ConnectionListener => ({ event() {}, state() {} })

/** A connection listener from whichever of its two methods a test needs. */
export const listener = (methods: {
  event?: (type: string, data: string, id: string) => void
  state?: (state: ConnectionState) => void
}): ConnectionListener => ({ ...quiet(), ...methods })

/** Transport handlers that are all spies, for a test of a transport alone. */
export const spyHandlers = () => ({
  open: vi.fn(),
  message: vi.fn(),
  id: vi.fn(),
  retry: vi.fn(),
  bytes: vi.fn(),
  end: vi.fn(),
  error: vi.fn(),
})
