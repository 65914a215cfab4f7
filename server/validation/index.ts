// Server-side field validation: schema-driven typed decoding of request bodies and patched
// objects, unknown and duplicate fields under the fieldValidation directive, Warning headers.
export { addWarnings, patchDuplicates, validateBody, validatePatched } from "./field-validation.ts";
export type { ExpectedKind, FieldValidation, PatchKind } from "./field-validation.ts";
export { decodeAgainstSchema, TypedDecodeError } from "./typed-decode.ts";
export { immutableFieldErrors, schemaFieldErrors, withSchemaErrors } from "./schema-checks.ts";
