export type { SchemaOutput, StandardIssue, StandardResult, StandardSchemaV1 } from './standardSchema'
export { type EventSchema, type SchemaData, SchemaError, type SchemaOptions, useEventSource } from './useEventSource'
