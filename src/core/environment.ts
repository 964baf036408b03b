import type { EventSourceConstructor } from './types'

/** What the library listens to on the page: its lifecycle events. */
export type PageTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>

/** What `setTimeout` returns: a number in a browser, an object that converts to one in Node. */
export type TimerId = number | { [Symbol.toPrimitive](): number }

/**
 * Everything the library takes from the page (see `environment`). Each member is named as the page's global it
 * stands for, and defaults to it, looked up when used; `locks()` alone is not a global. Members that are functions
 * are called as plain functions, with no `this`: the page's own throw in a browser when called on another object, so
 * the library takes them out first (`const { fetch } = environment`, never `environment.fetch(…)`, which jsdom and
 * Node let pass; test/core/environment.test.ts reads the sources for it).
 */
export interface Environment {
  /** The clock that never goes back (the wall clock may: NTP, a resumed laptop): `now()` in ms. @default performance */
  readonly performance: Pick<Performance, 'now'>
  /** The wall clock, which keeps counting while the machine sleeps: `now()` in ms since the epoch. @default Date */
  readonly Date: Pick<DateConstructor, 'now'>
  /** Runs `callback` after `ms`; returns what `clearTimeout` takes. @default setTimeout */
  setTimeout(this: void, callback: () => void, ms: number): TimerId
  /** Cancels what `setTimeout` returned. @default clearTimeout */
  clearTimeout(this: void, id: TimerId): void
  /** Runs `callback` before the next paint; none where there are no frames (a timer stands in). @default requestAnimationFrame */
  readonly requestAnimationFrame: ((this: void, callback: () => void) => number) | undefined
  /** Cancels what `requestAnimationFrame` returned. @default cancelAnimationFrame */
  cancelAnimationFrame(this: void, id: number): void
  /** Makes the fetch transport's requests. @default fetch */
  fetch(this: void, url: string, init: RequestInit): Promise<Response>
  /** Opens plain GET streams; none where the page has none (then the polyfill). @default EventSource */
  readonly EventSource: EventSourceConstructor | undefined
  /** Web Locks, for cross-tab leadership; none where there are none (each tab connects on its own). @default () => navigator.locks */
  locks(this: void): LockManager | undefined
  /** Carries the cross-tab notes; none where there is none (each tab connects on its own). @default BroadcastChannel */
  readonly BroadcastChannel: typeof BroadcastChannel | undefined
  /** Keeps a cross-tab stream's position for the next tab. @default localStorage */
  readonly localStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined
  /** What urls resolve against, and the page's own origin. @default location */
  readonly location: Pick<Location, 'href' | 'origin'> | undefined
  /** Its `visibilityState`, and its `visibilitychange`, `freeze` and `resume` events. @default document */
  readonly document: (PageTarget & { readonly visibilityState: DocumentVisibilityState }) | undefined
  /** Its `pageshow`, `pagehide` and `online` events. @default window */
  readonly window: PageTarget | undefined
}

/**
 * The one place the library touches the page: tests, and hosts that are not a browser page, swap its members with
 * `setEnvironment` (from `use-event-source/testing`, which shares this module with the main entry). Nothing is
 * captured: a member not swapped is the page's global of its name, read when used, so fake timers and stubbed
 * globals work. That fallback is one line for every member, where a getter or a wrapper per member cost the core
 * nearly three times as much (152 B against 55 B, gzipped).
 */
export const environment = new Proxy({ locks: () => globalThis.navigator?.locks } as Record<string | symbol, unknown>, {
  get: (members, name) => (name in members ? members[name] : globalThis[name as 'window']),
}) as unknown as Environment

/**
 * Swaps members of the environment (for tests, and for hosts that are not a browser page); returns the function that
 * puts the previous ones back.
 */
export function setEnvironment(members: Partial<Environment>): () => void {
  const previous = Object.getOwnPropertyDescriptors(environment)
  Object.defineProperties(environment, Object.getOwnPropertyDescriptors(members))
  return () => {
    for (const name in members) {
      const descriptor = previous[name as keyof Environment]
      if (descriptor) Object.defineProperty(environment, name, descriptor)
      else Reflect.deleteProperty(environment, name)
    }
  }
}
