import type { Owner, SimClock } from './clock'
import { trace } from './trace'

interface Port {
  name: string
  owner: Owner
  onmessage: ((event: { data: unknown }) => void) | null
  closed: boolean
}

/**
 * The browser profile's BroadcastChannels: a message reaches every other open channel of the same name, in any tab,
 * `latency` ms later on the simulated clock, in the order it was sent (a frozen tab gets it when it resumes).
 */
export class SimChannels {
  private ports = new Set<Port>()

  constructor(
    private clock: SimClock,
    private latency: number,
  ) {}

  /** The `BroadcastChannel` class of one tab. */
  classFor(owner: Owner) {
    const channels = this
    return class BroadcastChannel implements Port {
      onmessage: Port['onmessage'] = null
      closed = false
      owner = owner
      constructor(readonly name: string) {
        channels.ports.add(this)
      }
      postMessage(data: unknown) {
        if (this.closed) throw new DOMException('closed', 'InvalidStateError')
        channels.send(this, structuredClone(data))
      }
      close() {
        this.closed = true
        channels.ports.delete(this)
      }
    }
  }

  /** Channels a tab holds open. */
  openFor(owner: Owner): number {
    return [...this.ports].filter((port) => port.owner === owner).length
  }

  /** The tab is gone: its channels with it. */
  forget(owner: Owner): void {
    for (const port of this.ports) if (port.owner === owner) this.ports.delete(port)
  }

  private send(from: Port, data: unknown): void {
    trace(this.clock.now, `note ${JSON.stringify(data).slice(0, 160)}`)
    for (const port of this.ports) {
      if (port === from || port.name !== from.name) continue
      this.clock.schedule(
        this.latency,
        () => {
          if (this.ports.has(port)) port.onmessage?.({ data })
        },
        port.owner,
      )
    }
  }
}
