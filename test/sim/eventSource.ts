import type { SimClock, Task } from './clock'
import { roomOf } from './fetch'
import type { Client, SimServer, Sink } from './server'

type Listener = (event: { type: string; data?: string; lastEventId?: string }) => void

/**
 * The browser's EventSource for one tab, over the simulated server: it reconnects by itself after a network failure
 * or the end of the response (after its reconnection time, 3 s or the server's `retry:`, sending `Last-Event-ID`),
 * and fails for good on an answer that is not a stream, telling nothing of its status. Comments are not seen.
 */
export function simEventSource(server: SimServer, client: Client, clock: SimClock) {
  return class EventSource {
    static readonly CONNECTING = 0
    static readonly OPEN = 1
    static readonly CLOSED = 2
    readyState = 0
    onopen: Listener | null = null
    onerror: Listener | null = null
    private listeners = new Map<string, Set<Listener>>()
    private lastEventId = ''
    private reconnectionTime = 3000
    private abort = () => {}
    private timer: Task | undefined

    constructor(readonly url: string) {
      this.connect()
    }

    addEventListener(type: string, listener: Listener) {
      const listeners = this.listeners.get(type) ?? new Set()
      this.listeners.set(type, listeners.add(listener))
    }

    removeEventListener(type: string, listener: Listener) {
      this.listeners.get(type)?.delete(listener)
    }

    close() {
      this.readyState = 2
      this.abort()
      if (this.timer) clock.cancel(this.timer)
    }

    private connect() {
      let over = false
      const live = () => !over && this.readyState !== 2
      const sink: Sink = {
        open: () => {
          if (!live()) return
          this.readyState = 1
          this.onopen?.({ type: 'open' })
        },
        status: () => {
          if (!live()) return
          this.readyState = 2
          this.onerror?.({ type: 'error' })
        },
        event: (data, id) => {
          if (!live() || this.readyState !== 1) return
          if (id !== undefined) this.lastEventId = id
          const event = { type: 'message', data, lastEventId: this.lastEventId }
          for (const listener of this.listeners.get('message') ?? []) listener(event)
        },
        retry: (ms) => {
          this.reconnectionTime = ms
        },
        comment: () => {},
        end: () => live() && this.lost(),
        fail: () => live() && this.lost(),
      }
      const close = server.request(client, roomOf(this.url), this.lastEventId, 'native', sink)
      this.abort = () => {
        over = true
        close()
      }
    }

    private lost() {
      this.abort()
      this.readyState = 0
      this.onerror?.({ type: 'error' })
      if (this.readyState !== 0) return
      this.timer = clock.schedule(this.reconnectionTime, () => this.readyState === 0 && this.connect(), client.owner)
    }
  }
}
