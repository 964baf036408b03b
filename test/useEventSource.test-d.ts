import { describe, expectTypeOf, it } from 'vitest'
import {
  type EventSourceError,
  type EventSourceMessage,
  type Events,
  type EventSourceStatus,
  useEventSource,
} from '../src/index'

interface Price {
  bid: number
  ask: number
}

describe('useEventSource types', () => {
  it('types data as unknown by default, undefined until the first event', () => {
    const result = useEventSource('/sse')
    expectTypeOf(result.data).toEqualTypeOf<unknown>()
    expectTypeOf(result.status).toEqualTypeOf<EventSourceStatus>()
    expectTypeOf(result.error).toEqualTypeOf<EventSourceError | null>()
    expectTypeOf(result.lastEventId).toBeString()
  })

  it('types data from the type parameter', () => {
    const { data, event } = useEventSource<Price>('/sse', { events: ['price'] })
    expectTypeOf(data).toEqualTypeOf<Price | undefined>()
    expectTypeOf(event).toEqualTypeOf<string | null>()
  })

  it('infers data from the parser', () => {
    const { data } = useEventSource('/sse', { parse: (text) => text.length })
    expectTypeOf(data).toEqualTypeOf<number | undefined>()
  })

  it('discriminates data on event for an event map', () => {
    const result = useEventSource<Events<{ price: Price; news: string }>>('/sse', { events: ['price', 'news'] })
    expectTypeOf(result.event).toEqualTypeOf<'price' | 'news' | null>()
    if (result.event === 'price') expectTypeOf(result.data).toEqualTypeOf<Price>()
    if (result.event === 'news') expectTypeOf(result.data).toEqualTypeOf<string>()
    if (result.event === null) expectTypeOf(result.data).toEqualTypeOf<undefined>()
  })

  it('accepts only the map’s event names, and a parser returning its payloads', () => {
    // @ts-expect-error 'other' is not an event of the map
    useEventSource<Events<{ price: Price }>>('/sse', { events: ['other'] })
    useEventSource<Events<{ price: Price; count: number }>>('/sse', {
      events: ['price', 'count'],
      parse: (text, event) => (event === 'count' ? Number(text) : (JSON.parse(text) as Price)),
    })
  })

  it('gives onMessage the discriminated message', () => {
    useEventSource<Events<{ price: Price; count: number }>>('/sse', {
      events: ['price', 'count'],
      onMessage: (message) => {
        expectTypeOf(message.id).toBeString()
        if (message.event === 'count') expectTypeOf(message.data).toEqualTypeOf<number>()
      },
    })
  })

  it('requires events with an event map: without them the hook would listen to unnamed events only', () => {
    // @ts-expect-error no events for the map
    useEventSource<Events<{ price: Price }>>('/sse')
    // @ts-expect-error no events for the map
    useEventSource<Events<{ price: Price }>>('/sse', { throttle: 100 })
    // @ts-expect-error no events for the map
    useEventSource<Events<{ price: Price }>, number>('/sse', { initial: 0, reduce: (n) => n + 1 })
    useEventSource<Events<{ price: Price }>>('/sse', { events: ['price'] })
  })

  it('accepts null and URL objects as url', () => {
    useEventSource(null)
    useEventSource(new URL('https://example.com/sse'))
    // @ts-expect-error a number is not a url
    useEventSource(42)
  })

  it('types data as the fold with reduce, from both type parameters or from the reducer', () => {
    const explicit = useEventSource<Price, number>('/sse', { reduce: (sum, { data }) => sum + data.bid, initial: 0 })
    expectTypeOf(explicit.data).toEqualTypeOf<number>()
    expectTypeOf(explicit.event).toEqualTypeOf<string | null>()
    const inferred = useEventSource('/sse', {
      reduce: (lines: string[], message: EventSourceMessage<Price>) => [...lines, message.raw],
      initial: [] as string[],
    })
    expectTypeOf(inferred.data).toEqualTypeOf<string[]>()
    // @ts-expect-error initial must be the reducer's state
    useEventSource<Price, number>('/sse', { reduce: (sum, { data }) => sum + data.bid, initial: 'zero' })
    // @ts-expect-error reduce without initial
    useEventSource<Price, number>('/sse', { reduce: (sum: number) => sum })
  })

  it('gives reduce the discriminated message of an event map', () => {
    const { data, event } = useEventSource<Events<{ price: Price; count: number }>, number>('/sse', {
      events: ['price', 'count'],
      initial: 0,
      reduce: (total, message) => {
        if (message.event === 'count') expectTypeOf(message.data).toEqualTypeOf<number>()
        return message.event === 'count' ? total + message.data : total + message.data.bid
      },
    })
    expectTypeOf(data).toEqualTypeOf<number>()
    expectTypeOf(event).toEqualTypeOf<'price' | 'count' | null>()
  })
})
