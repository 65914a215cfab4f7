// The compact shape of the generated schema facts (api/schema/generated/*.ts). These files are
// written by scripts/gen-schema.ts; the registry (registry.ts) turns them into TypeSchema objects.

/**
 * One field: [jsonName, protoNumber, typeRef, options?]. typeRef is a scalar (string, int32,
 * int64, bool, double, bytes, any), a type name (local to the file's package, or "alias.Name"
 * for another package, see packageAliases), prefixed by "[]" for repeated and "{}" for
 * map<string, …>. protoNumber 0 means the field has no protobuf encoding.
 */
export type FieldFacts = [string, number, string, FieldOptions?];

/** Field markers, kept short because the generated files list thousands of them. */
export interface FieldOptions {
  /** Required (no +optional upstream, or a known required field). */
  r?: 1;
  /** Pointer in the Go type: a zero value is meaningful and survives decoding. */
  p?: 1;
  /** Embedded struct whose fields appear inline in JSON (Go `json:",inline"`). */
  in?: 1;
  /** x-kubernetes-patch-strategy, e.g. "merge" or "merge,retainKeys". */
  ps?: string;
  /** x-kubernetes-patch-merge-key. */
  pk?: string;
  /** x-kubernetes-list-type: atomic, set or map. */
  lt?: "atomic" | "set" | "map";
  /** x-kubernetes-list-map-keys. */
  lk?: string[];
  /** x-kubernetes-map-type: atomic or granular. */
  mt?: "atomic" | "granular";
  /** Allowed values of a string enum. */
  e?: string[];
  /** The protobuf field name when it differs from the JSON name. */
  pn?: string;
}

/** How a well-known type maps between JSON and protobuf. */
export type SpecialKind = "time" | "microtime" | "duration" | "quantity" | "intorstring" | "raw" | "fields" | "stringlist";

/** One message type. */
export interface TypeFacts {
  f: FieldFacts[];
  /** x-kubernetes-map-type for the struct as a whole (+structType=atomic). */
  st?: "atomic" | "granular";
  /** A well-known type with its own JSON form. */
  sp?: SpecialKind;
  /** The type has no protobuf form (e.g. meta.k8s.io Table). */
  np?: 1;
}

/** A group-version-kind served by the API and the type that describes it. */
export type KindFacts = [group: string, version: string, kind: string, typeName: string];

/** Short aliases used in generated type references, and the packages they stand for. */
export const packageAliases: Record<string, string> = {
  core: "io.k8s.api.core.v1",
  apps: "io.k8s.api.apps.v1",
  batch: "io.k8s.api.batch.v1",
  rbac: "io.k8s.api.rbac.v1",
  authentication: "io.k8s.api.authentication.v1",
  authorization: "io.k8s.api.authorization.v1",
  autoscaling: "io.k8s.api.autoscaling.v1",
  coordination: "io.k8s.api.coordination.v1",
  events: "io.k8s.api.events.v1",
  meta: "io.k8s.apimachinery.pkg.apis.meta.v1",
  runtime: "io.k8s.apimachinery.pkg.runtime",
  intstr: "io.k8s.apimachinery.pkg.util.intstr",
  resource: "io.k8s.apimachinery.pkg.api.resource",
};
