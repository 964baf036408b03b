import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { EventSourceMessage, Events } from '../src/index'
import { useEventSource } from '../src/schema'

const Price = z.object({ price: z.number() })
const News = v.object({
  title: v.string(),
  at: v.pipe(
    v.string(),
    v.transform((text) => new Date(text)),
  ),
})

describe('the schema option: types from the schemas', () => {
  it('types data from one schema’s output', () => {
    const { data } = useEventSource('/sse', { schema: Price })
    expectTypeOf(data).toEqualTypeOf<{ price: number } | undefined>()
  })

  it('narrows data by event from a schema per event (zod and valibot together), outputs not inputs', () => {
    const result = useEventSource('/feed', { schema: { price: Price, news: News } })
    if (result.event === 'price') expectTypeOf(result.data).toEqualTypeOf<{ price: number }>()
    if (result.event === 'news') expectTypeOf(result.data).toEqualTypeOf<{ title: string; at: Date }>()
    if (result.event === null) expectTypeOf(result.data).toEqualTypeOf<undefined>()
  })

  it('hands the reducer validated, discriminated messages, and types data as the fold', () => {
    const { data } = useEventSource('/feed', {
      schema: { price: Price, news: News },
      initial: [] as string[],
      reduce: (lines, message) => {
        expectTypeOf(message).toEqualTypeOf<
          EventSourceMessage<Events<{ price: { price: number }; news: { title: string; at: Date } }>>
        >()
        return [...lines, message.event === 'news' ? message.data.title : message.data.price.toFixed(2)]
      },
    })
    expectTypeOf(data).toEqualTypeOf<string[]>()
  })

  it('takes events with one schema, and not with a schema per event (their names are the events)', () => {
    useEventSource('/sse', { schema: Price, events: ['price', 'message'] })
    // @ts-expect-error: a schema per event listens to its names
    useEventSource('/feed', { schema: { price: Price }, events: ['news'] })
  })

  it('parses with parse, then validates the value it returns', () => {
    const { data } = useEventSource('/sse', { schema: z.coerce.number(), parse: (text) => text.trim() })
    expectTypeOf(data).toEqualTypeOf<number | undefined>()
  })
})
