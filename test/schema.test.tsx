import { act, render, screen } from '@testing-library/react'
import * as v from 'valibot'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { EventSourceError } from '../src/index'
import { SchemaError, type StandardSchemaV1, useEventSource } from '../src/schema'
import { MockEventSource } from '../src/testing'
import { latest, withMockStreams } from './support/mockStreams'

const nextFrame = () => act(() => vi.advanceTimersToNextFrame())
const text = (name: string) => screen.getByTestId(name).textContent

withMockStreams()

const Price = z.object({ price: z.number().positive() })
const News = v.object({ title: v.pipe(v.string(), v.nonEmpty('no title')) })

describe('the schema option', () => {
  it('validates each event: a rejected one is a parse error with the issues, and the stream and the last good data stay (zod)', () => {
    const errors: EventSourceError[] = []
    function Ticker() {
      const { data, error, status } = useEventSource('/sse', {
        EventSource: MockEventSource,
        schema: Price,
        onError: (failure) => errors.push(failure),
      })
      return <p data-testid="ticker">{`${status} ${data?.price ?? '-'} ${error?.kind ?? ''}`}</p>
    }
    render(<Ticker />)
    act(() => latest().open().emit({ price: 10 }))
    nextFrame()
    act(() => latest().emit({ price: -1 }))
    nextFrame()
    expect(text('ticker')).toBe('open 10 parse')
    expect(errors).toHaveLength(1)
    const [failure] = errors as [EventSourceError]
    expect(failure.raw).toBe('{"price":-1}')
    expect(failure.cause).toBeInstanceOf(SchemaError)
    expect((failure.cause as SchemaError).issues).toEqual([expect.objectContaining({ path: ['price'] })])
    expect(failure.message).toMatch(/^SchemaError: price: /)
    expect(latest().closed).toBe(false)
    act(() => latest().emit({ price: 11 }))
    nextFrame()
    expect(text('ticker')).toBe('open 11 parse') // the parse error stays until the next status change, as for JSON
  })

  it('listens to the events a schema per name names, and validates each with its own (zod and valibot)', () => {
    function Feed() {
      const result = useEventSource('/feed', { EventSource: MockEventSource, schema: { price: Price, news: News } })
      const shown = result.event === 'price' ? result.data.price : result.event === 'news' ? result.data.title : '-'
      return <p data-testid="feed">{`${result.event} ${shown} ${result.error?.message ?? ''}`}</p>
    }
    render(<Feed />)
    expect(latest().listenedTypes).toEqual(expect.arrayContaining(['price', 'news']))
    act(() => latest().open().emit({ price: 3 }, { event: 'price' }))
    nextFrame()
    expect(text('feed')).toBe('price 3 ')
    act(() => latest().emit({ title: 'Rates held' }, { event: 'news' }))
    nextFrame()
    expect(text('feed')).toBe('news Rates held ')
    act(() => latest().emit({ title: '' }, { event: 'news' }).emit({ price: 3 }, { event: 'message' }))
    nextFrame()
    expect(text('feed')).toBe('news Rates held SchemaError: title: no title') // the unnamed event is not listened to
  })

  it('parses with parse first, then validates; the reducer gets the validated output', () => {
    const seen: unknown[] = []
    function Sum() {
      const { data } = useEventSource('/sse', {
        EventSource: MockEventSource,
        schema: z.coerce.number().int(),
        parse: (raw) => raw.trim(),
        initial: 0,
        reduce: (sum, message) => {
          seen.push(message.data)
          return sum + message.data
        },
      })
      return <p data-testid="sum">{data}</p>
    }
    render(<Sum />)
    act(() => latest().open().emit(' 2 ').emit('1.5').emit('3'))
    nextFrame()
    expect(text('sum')).toBe('5')
    expect(seen).toEqual([2, 3])
  })

  it('refuses a schema that validates asynchronously, with a clear error and no unhandled rejection', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const slow: StandardSchemaV1<unknown, number> = {
      '~standard': { version: 1, vendor: 'test', validate: () => Promise.reject(new Error('async schema said no')) },
    }
    function Slow() {
      const { data, error } = useEventSource('/sse', { EventSource: MockEventSource, schema: slow })
      return <p data-testid="slow">{`${data ?? '-'} ${error?.message ?? ''}`}</p>
    }
    render(<Slow />)
    act(() => latest().open().emit(1))
    nextFrame()
    expect(text('slow')).toMatch(/^- TypeError: the schema validates asynchronously/)
    await act(async () => {
      await Promise.resolve()
    })
    await vi.advanceTimersByTimeAsync(0)
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
  })
})
