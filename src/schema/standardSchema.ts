/**
 * The Standard Schema interface, version 1 (https://standardschema.dev): what zod, valibot, arktype, effect's
 * schema and others implement under `~standard`. Declared here, so that the library depends on none of them.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    /** The version of the interface: 1. */
    readonly version: 1
    /** The library that made the schema. */
    readonly vendor: string
    /** Validates a value: its output, or the issues found; some libraries may answer with a Promise. */
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    /** The schema's input and output types, for inference only. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

/** What `validate` answers: the output value, or the issues. */
export type StandardResult<Output> =
  | {
      /** The value, as the schema outputs it (transformed, coerced). */
      readonly value: Output
      /** No issue: the value is valid. */
      readonly issues?: undefined
    }
  | {
      /** What is wrong with the value (at least one). */
      readonly issues: readonly StandardIssue[]
    }

/** One problem a schema found, with where it is in the value. */
export interface StandardIssue {
  /** What is wrong, in the schema library's words. */
  readonly message: string
  /** Where in the value: keys and indexes from the top. @default undefined (the value itself) */
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined
}

/** The type a schema's validation outputs. */
export type SchemaOutput<Sc extends StandardSchemaV1> = NonNullable<Sc['~standard']['types']>['output']
