import type { Owner, SimClock } from './clock'
import { trace } from './trace'

/** How a room's server behaves. */
export interface RoomConfig {
  /** Sets ids and honours `Last-Event-ID` (a replay buffer of `REPLAY` events). */
  ids: boolean
  /** A request without `Last-Event-ID` first gets the latest event again, marked as a snapshot. */
  snapshot: boolean
  /** The `retry:` field sent on connect, in ms (0: none). */
  retry: number
  /** One event every `interval` ms. */
  interval: number
  /** A comment every second on every stream (for hooks with an `idleTimeout`). */
  heartbeat: boolean
  /** Hooks ask with a POST: each request is an answer of `ANSWER` events, then the end (an LLM's, say). */
  post: boolean
}

/** What new requests get: a stream, or an answer that is not one. */
export type Answer = 'stream' | 204 | 401 | 500

/** A tab as the network sees it. */
export interface Client {
  owner: Owner
  name: string
  online: boolean
}

/** What a transport hears of its request, each a task of its tab (`NETWORK` ms after the server said it). */
export interface Sink {
  open(): void
  status(code: number): void
  event(data: string, id: string | undefined): void
  retry(ms: number): void
  comment(): void
  end(): void
  /** The network failed: no answer, or the connection broke. */
  fail(): void
}

export interface RequestRecord {
  room: string
  tab: string
  at: number
  via: string
  lastEventId: string
}

export interface Stream {
  room: string
  client: Client
  sink: Sink
  silent: boolean
  /** When the server answered it. */
  at: number
}

export const REPLAY = 1000
/** Events per room at most, so that no tab is ever away for more than the replay window. */
export const MAX_EVENTS = 900
export const NETWORK = 2
/** Events in the answer to a POST. */
export const ANSWER = 5

/** The simulated SSE server: rooms of numbered events, a replay buffer, answers and faults set by the schedule. */
export class SimServer {
  readonly requests: RequestRecord[] = []
  /** The failures the server saw or caused: an answer that is not a stream, a broken or ended one, a silent one. */
  readonly failures: { room: string; tab: string; at: number }[] = []
  /** Told of every request (the checker). */
  onRequest: (request: RequestRecord) => void = () => {}
  readonly latest = new Map<string, number>()
  private streams = new Set<Stream>()
  private answers = new Map<string, Answer>()
  private downUntil = -1

  constructor(
    private clock: SimClock,
    readonly rooms: ReadonlyMap<string, RoomConfig>,
  ) {
    for (const [room, config] of rooms) {
      this.latest.set(room, 0)
      const tick = () => {
        this.publish(room)
        if ((this.latest.get(room) ?? 0) < MAX_EVENTS) clock.schedule(config.interval, tick)
      }
      if (!config.post) clock.schedule(config.interval, tick)
      if (config.heartbeat) {
        const beat = () => {
          for (const stream of this.live(room)) this.tell(stream, (sink) => sink.comment())
          clock.schedule(1000, beat)
        }
        clock.schedule(1000, beat)
      }
    }
  }

  /** A request for `room`: returns the function that closes it (the client aborts). */
  request(client: Client, room: string, lastEventId: string, via: string, sink: Sink): () => void {
    const record = { room, tab: client.name, at: this.clock.now, via, lastEventId }
    this.requests.push(record)
    this.onRequest(record)
    trace(this.clock.now, `${client.name} asks for room ${room} (${via}, Last-Event-ID ${lastEventId || 'none'})`)
    const config = this.rooms.get(room)
    const answer = this.answers.get(room) ?? 'stream'
    const stream: Stream = { room, client, sink, silent: false, at: this.clock.now }
    if (!config || !client.online || this.clock.now < this.downUntil) {
      this.failed(stream)
      this.tell(stream, (sink) => sink.fail())
      return () => {}
    }
    if (answer !== 'stream') {
      this.failed(stream)
      this.tell(stream, (sink) => sink.status(answer))
      return () => {}
    }
    this.streams.add(stream)
    this.tell(stream, (sink) => sink.open())
    if (config.retry) this.tell(stream, (sink) => sink.retry(config.retry))
    if (config.post) return this.answerWith(stream, config.interval)
    const latest = this.latest.get(room) ?? 0
    const from = Number(lastEventId)
    if (config.ids && lastEventId && Number.isInteger(from)) {
      for (let n = Math.max(from + 1, latest - REPLAY + 1); n <= latest; n++) this.send(stream, n)
    } else if (config.snapshot && latest > 0) this.send(stream, latest, true)
    return () => {
      // A silent stream the client gives up on failed, though nobody said so.
      if (this.streams.delete(stream) && stream.silent) this.failed(stream)
    }
  }

  /** What new requests for the room get from now on. */
  answer(room: string, answer: Answer): void {
    this.answers.set(room, answer)
  }

  /** The server ends every response of the room (a deploy, a proxy's timeout). */
  end(room: string): void {
    for (const stream of this.live(room)) this.close(stream, (sink) => sink.end())
  }

  /** Every connection of the room breaks. */
  drop(room: string): void {
    for (const stream of this.live(room)) this.close(stream, (sink) => sink.fail())
  }

  /** The room's connections go silent without a word (a half-open socket): nothing more reaches them. */
  halfOpen(room: string): void {
    for (const stream of this.live(room)) stream.silent = true
  }

  /** The server restarts: every connection breaks, requests fail for `downMs`; the event log survives. */
  restart(downMs: number): void {
    for (const stream of [...this.streams]) this.close(stream, (sink) => sink.fail())
    this.downUntil = this.clock.now + downMs
  }

  /** A tab's connections break (it went offline, or into the back/forward cache); `quietly` when it is gone. */
  cut(owner: Owner, quietly = false): void {
    for (const stream of [...this.streams]) {
      if (stream.client.owner !== owner) continue
      if (quietly) this.streams.delete(stream)
      else this.close(stream, (sink) => sink.fail())
    }
  }

  /** Streams of the room (or of all rooms) that data can reach. */
  live(room?: string): Stream[] {
    return [...this.streams].filter((stream) => !stream.silent && (room === undefined || stream.room === room))
  }

  /** Every open stream of the room, silent or not. */
  open(room: string): Stream[] {
    return [...this.streams].filter((stream) => stream.room === room)
  }

  /** Every open stream, silent or not, of a tab. */
  openFor(owner: Owner): number {
    return [...this.streams].filter((stream) => stream.client.owner === owner).length
  }

  private publish(room: string): void {
    const n = (this.latest.get(room) ?? 0) + 1
    this.latest.set(room, n)
    for (const stream of this.live(room)) this.send(stream, n)
  }

  private send(stream: Stream, n: number, snapshot = false): void {
    const ids = this.rooms.get(stream.room)?.ids
    const data = JSON.stringify(snapshot ? { room: stream.room, n, snapshot } : { room: stream.room, n })
    this.tell(stream, (sink) => sink.event(data, ids ? String(n) : undefined))
  }

  /** The answer to a POST: its events one by one, then the end; closed by the client, it stops. */
  private answerWith(stream: Stream, interval: number): () => void {
    for (let n = 1; n <= ANSWER; n++) {
      this.clock.schedule(interval * n, () => {
        if (!this.streams.has(stream) || stream.silent) return
        this.tell(stream, (sink) => sink.event(JSON.stringify({ room: stream.room, n, answer: true }), undefined))
        if (n === ANSWER) this.close(stream, (sink) => sink.end(), false)
      })
    }
    return () => {
      if (this.streams.delete(stream) && stream.silent) this.failed(stream)
    }
  }

  private failed({ room, client }: Stream): void {
    this.failures.push({ room, tab: client.name, at: this.clock.now })
  }

  private close(stream: Stream, last: (sink: Sink) => void, failure = true): void {
    if (failure) this.failed(stream)
    this.streams.delete(stream)
    this.tell(stream, last)
  }

  private tell(stream: Stream, what: (sink: Sink) => void): void {
    this.clock.schedule(NETWORK, () => what(stream.sink), stream.client.owner)
  }
}
