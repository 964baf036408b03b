/**
 * The Standard Schema interface, version 1 (https://standardschema.dev): what zod, valibot, arktype, effect's
 * schema and others implement under `~standard`. Declared here, so that the library depends on none of them.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
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
export type StandardResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] }

/** One problem a schema found, with where it is in the value. */
export interface StandardIssue {
  readonly message: string
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined
}

/** The type a schema's validation outputs. */
export type SchemaOutput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['output']
