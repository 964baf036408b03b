import type { EventSourceResult, Events, ReducedEventSourceResult, UseEventSourceOptions } from '../core/types'
import { useEventSource as useStream } from '../useEventSource'
import type { SchemaOutput, StandardIssue, StandardSchemaV1 } from './standardSchema'

/** One schema for every event, or a schema per event name. */
export type EventSchema = StandardSchemaV1 | { readonly [event: string]: StandardSchemaV1 }

/** The data type a schema option gives: its output, or for a schema per event an event map of their outputs. */
export type SchemaData<Sc extends EventSchema> = Sc extends StandardSchemaV1
  ? SchemaOutput<Sc>
  : Events<{ [K in keyof Sc & string]: Sc[K] extends StandardSchemaV1 ? SchemaOutput<Sc[K]> : never }>

/** The options of `useEventSource` with a `schema` (`Sc`, and `S` the state `reduce` folds): those of the plain hook, `events` and `parse` as below. */
export type SchemaOptions<Sc extends EventSchema, S = never> = Omit<
  UseEventSourceOptions<SchemaData<Sc>, S>,
  'events' | 'parse'
> & {
  /** Validates every event after parsing: one Standard Schema (zod, valibot, arktype…), or one per event name, whose names are the events listened to. A failure is a `parse` error whose `cause` is a `SchemaError`. */
  schema: Sc
  /** Turns an event's data text into the value the schema validates. @default JSON.parse */
  parse?: (data: string, event: string) => unknown
  /** With one schema: the event types to take (a schema per event listens to its names). @default ['message'] */
  events?: Sc extends StandardSchemaV1 ? readonly string[] : never
}

/** A value that a schema rejected: `issues` are the schema's, the message lists them. */
export class SchemaError extends Error {
  /** The schema's issues, as its library gave them. */
  readonly issues: readonly StandardIssue[]

  constructor(issues: readonly StandardIssue[]) {
    const where = ({ path = [] }: StandardIssue) =>
      path.map((part) => String(typeof part === 'object' ? part.key : part)).join('.')
    super(issues.map((issue) => (where(issue) ? `${where(issue)}: ${issue.message}` : issue.message)).join('; '))
    this.name = 'SchemaError'
    this.issues = issues
  }
}

const isSchema = (schema: EventSchema): schema is StandardSchemaV1 => '~standard' in schema

/** Validates one value, at once: events are validated in the order they arrive. */
function validate(schema: StandardSchemaV1, value: unknown): unknown {
  const result = schema['~standard'].validate(value)
  if (result instanceof Promise) {
    result.catch(() => {}) // its outcome is not awaited: a rejection must not go unhandled
    throw new TypeError(
      'the schema validates asynchronously; use-event-source validates each event as it arrives, in order: use a synchronous schema',
    )
  }
  if (result.issues) throw new SchemaError(result.issues)
  return result.value
}

/**
 * `useEventSource` with a `schema` option: every event's data is parsed, then
 * validated by a Standard Schema, and typed by its output. A schema per event
 * name listens to those events, and types `data` discriminated on `event`. A
 * value the schema rejects is a `parse` error (`error.cause` is a
 * `SchemaError` with the issues): the stream and the last good `data` stay.
 */
export function useEventSource<Sc extends EventSchema, S>(
  url: string | URL | null,
  options: SchemaOptions<Sc, S> & Required<Pick<UseEventSourceOptions<SchemaData<Sc>, S>, 'reduce' | 'initial'>>,
): ReducedEventSourceResult<SchemaData<Sc>, S>
export function useEventSource<Sc extends EventSchema>(
  url: string | URL | null,
  options: SchemaOptions<Sc>,
): EventSourceResult<SchemaData<Sc>>
export function useEventSource(url: string | URL | null, options: SchemaOptions<EventSchema, unknown>) {
  const { schema, parse } = options
  const single = isSchema(schema)
  // The plain hook's options, read live as ever: an inline schema or parser never reconnects.
  const streamOptions = {
    ...options,
    events: single ? options.events : Object.keys(schema),
    parse: (data: string, event: string) =>
      validate(single ? schema : (schema[event] as StandardSchemaV1), parse ? parse(data, event) : JSON.parse(data)),
  }
  return useStream(url, streamOptions as UseEventSourceOptions)
}
