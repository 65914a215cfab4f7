// The schema registry's view of Kubernetes types: one TypeSchema per message, with its fields,
// markers and protobuf numbers. Everything else (protobuf codec, OpenAPI, validation, strategic
// merge, server-side apply) reads these.
import type { SpecialKind } from "./facts.ts";

export type { SpecialKind } from "./facts.ts";

/** Scalar field types. `any` is arbitrary JSON (Table cells). */
export type ScalarType = "string" | "int32" | "int64" | "bool" | "double" | "bytes" | "any";

/** What a field holds. `ref` names another TypeSchema by its full name. */
export type TypeRef =
  | { kind: "scalar"; scalar: ScalarType }
  | { kind: "ref"; name: string }
  | { kind: "array"; items: TypeRef }
  | { kind: "map"; values: TypeRef };

/** One field of a type. */
export interface FieldSchema {
  /** JSON name. */
  name: string;
  /** Protobuf field number (0: no protobuf encoding). */
  number: number;
  /** Protobuf field name (equal to `name` except for a few upstream quirks). */
  protoName: string;
  type: TypeRef;
  required: boolean;
  /** A Go pointer: zero values are meaningful and kept. */
  pointer: boolean;
  /** An embedded struct whose fields are inlined in JSON (e.g. Volume.volumeSource). */
  inline: boolean;
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: "atomic" | "set" | "map";
  listMapKeys?: string[];
  mapType?: "atomic" | "granular";
  enum?: string[];
  description?: string;
}

/** A group-version-kind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** One message type. */
export interface TypeSchema {
  /** Full OpenAPI name, e.g. io.k8s.api.core.v1.Pod. */
  name: string;
  /** The name inside its package, e.g. Pod. */
  shortName: string;
  /** Fields as in protobuf: an inline embedding is one field. */
  fields: FieldSchema[];
  /** Fields as in JSON: inline embeddings expanded, in declaration order. */
  jsonFields: FieldSchema[];
  special?: SpecialKind;
  structType?: "atomic" | "granular";
  /** Whether the type has a protobuf encoding. */
  protobuf: boolean;
  /** The kinds this type is served as (empty for nested types). */
  gvks: GroupVersionKind[];
  description?: string;
}

/** Patch-relevant markers of one field. */
export interface PatchMeta {
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: "atomic" | "set" | "map";
  listMapKeys?: string[];
  mapType?: "atomic" | "granular";
}
