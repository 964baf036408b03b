type Handler = (event: { type: string; persisted?: boolean }) => void

/** An event target that counts its listeners: what the library leaves on a page after its last hook is visible. */
export class PageTarget {
  private handlers = new Map<string, Set<Handler>>()

  addEventListener = (type: string, handler: Handler) => {
    const handlers = this.handlers.get(type) ?? new Set()
    this.handlers.set(type, handlers.add(handler))
  }

  removeEventListener = (type: string, handler: Handler) => {
    this.handlers.get(type)?.delete(handler)
  }

  dispatch(type: string, fields: { persisted?: boolean } = {}): void {
    for (const handler of [...(this.handlers.get(type) ?? [])]) handler({ type, ...fields })
  }

  /** The listeners left, as `type` per listener. */
  listening(): string[] {
    return [...this.handlers].flatMap(([type, handlers]) => [...handlers].map(() => type))
  }
}

/** A small seeded generator (mulberry32): each tab's `Math.random`, so that a schedule replays exactly. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
