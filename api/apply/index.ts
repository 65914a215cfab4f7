// Server-side apply: field sets, managedFields entries, merging applied configurations and the
// ownership rules for apply and ordinary writes.
export { applyConfiguration, ApplyConfigError, ApplyConflictError, createdManagedFieldsJson, startsManagedFieldsAfresh, updateManagedFields } from "./apply.ts";
export type { ApplyResult, Conflict, ManagedContext } from "./apply.ts";
export { emptySet, formatPath, fromFieldsV1, insertPath, paths, toFieldsV1 } from "./field-set.ts";
export type { FieldSet } from "./field-set.ts";
export { decodeManagedFields, describeManager, encodeManagedFields } from "./managed-fields.ts";
export type { ManagerEntry, Operation } from "./managed-fields.ts";
