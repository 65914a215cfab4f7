// JSON Schema (OpenAPI v2 and v3 flavours) for registry types, shaped like kube-apiserver's:
// one named schema per type, references between them, and the x-kubernetes-* extensions that
// kubectl reads for explain, validation and strategic merge.
import { schemaType } from "../../api/schema/index.ts";
import type { FieldSchema, TypeRef, TypeSchema } from "../../api/schema/index.ts";
import { typeMetaText } from "../../api/schema/descriptions.ts";

/** Which OpenAPI flavour to produce. */
export type Flavour = "v2" | "v3";

type Json = Record<string, unknown>;

/** The reference to a named schema. */
export function refTo(name: string, flavour: Flavour): Json {
  return { $ref: flavour === "v3" ? `#/components/schemas/${name}` : `#/definitions/${name}` };
}

/** Every type name reachable from the roots (string-list types are inlined, not named). */
export function schemaClosure(roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const t = schemaType(name);
    if (!t || seen.has(name) || t.special === "stringlist") return;
    seen.add(name);
    for (const f of t.jsonFields) visitRef(f.type, visit);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

function visitRef(ref: TypeRef, visit: (name: string) => void): void {
  if (ref.kind === "ref") visit(ref.name);
  else if (ref.kind === "array") visitRef(ref.items, visit);
  else if (ref.kind === "map") visitRef(ref.values, visit);
}

/** The named schema of one type. */
export function typeSchema(t: TypeSchema, flavour: Flavour): Json {
  const out: Json = t.description ? { description: t.description } : {};
  switch (t.special) {
    case "time":
    case "microtime":
      return { ...out, type: "string", format: "date-time" };
    case "duration":
      return { ...out, type: "string" };
    case "quantity":
      return flavour === "v3" ? { ...out, oneOf: [{ type: "string" }, { type: "number" }] } : { ...out, type: "string" };
    case "intorstring":
      return flavour === "v3" ? { ...out, format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] } : { ...out, type: "string", format: "int-or-string" };
    case "raw":
    case "fields":
      return { ...out, type: "object" };
  }
  const properties: Json = {};
  const fields = [...t.jsonFields];
  if (t.gvks.length) {
    properties.apiVersion = { description: typeMetaText.apiVersion, type: "string" };
    properties.kind = { description: typeMetaText.kind, type: "string" };
  }
  for (const f of fields) properties[f.name] = fieldSchema(f, flavour);
  const sorted = Object.fromEntries(Object.keys(properties).sort().map((k) => [k, properties[k]]));
  out.type = "object";
  out.properties = sorted;
  const required = fields.filter((f) => f.required).map((f) => f.name).sort();
  if (required.length) out.required = required;
  if (t.gvks.length) out["x-kubernetes-group-version-kind"] = t.gvks.map(({ group, kind, version }) => ({ group, kind, version }));
  if (t.structType) out["x-kubernetes-map-type"] = t.structType;
  return out;
}

function fieldSchema(f: FieldSchema, flavour: Flavour): Json {
  const schema = valueSchema(f.type, flavour);
  if (f.description) {
    if (schema.$ref && flavour === "v3") return withMarkers({ allOf: [schema], description: f.description }, f);
    schema.description = f.description;
  }
  if (f.enum) schema.enum = f.enum;
  return withMarkers(schema, f);
}

function withMarkers(schema: Json, f: FieldSchema): Json {
  if (f.listType) schema["x-kubernetes-list-type"] = f.listType;
  if (f.listMapKeys) schema["x-kubernetes-list-map-keys"] = f.listMapKeys;
  if (f.mapType) schema["x-kubernetes-map-type"] = f.mapType;
  if (f.patchMergeKey) schema["x-kubernetes-patch-merge-key"] = f.patchMergeKey;
  if (f.patchStrategy) schema["x-kubernetes-patch-strategy"] = f.patchStrategy;
  return schema;
}

function valueSchema(ref: TypeRef, flavour: Flavour): Json {
  switch (ref.kind) {
    case "array":
      return { type: "array", items: valueSchema(ref.items, flavour) };
    case "map":
      return { type: "object", additionalProperties: valueSchema(ref.values, flavour) };
    case "ref": {
      const t = schemaType(ref.name);
      if (t?.special === "stringlist") return { type: "array", items: { type: "string" } };
      return refTo(ref.name, flavour);
    }
    case "scalar":
      switch (ref.scalar) {
        case "string":
          return { type: "string" };
        case "bytes":
          return { type: "string", format: "byte" };
        case "int32":
        case "int64":
          return { type: "integer", format: ref.scalar };
        case "bool":
          return { type: "boolean" };
        case "double":
          return { type: "number", format: "double" };
        default:
          return {};
      }
  }
}
