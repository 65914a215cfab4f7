// The schema registry: one definition per Kubernetes type, generated from upstream facts.
// Look types up by name or kind, walk fields by JSON path, read patch and list markers.
export { allTypes, elementType, fieldAtPath, jsonField, kindType, patchMeta, schemaType, servedKinds } from "./registry.ts";
export type { FieldSchema, GroupVersionKind, PatchMeta, ScalarType, SpecialKind, TypeRef, TypeSchema } from "./types.ts";
