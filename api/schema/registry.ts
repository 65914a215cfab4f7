// Builds TypeSchema objects from the generated facts and answers lookups by name, by kind and
// by field path. Built once, lazily, on first use.
import { kinds, packages } from "./generated/index.ts";
import { packageAliases, type FieldFacts, type TypeFacts } from "./facts.ts";
import { descriptionOf } from "./descriptions.ts";
import type { FieldSchema, GroupVersionKind, PatchMeta, ScalarType, TypeRef, TypeSchema } from "./types.ts";

interface Registry {
  byName: Map<string, TypeSchema>;
  byKind: Map<string, TypeSchema>;
  kinds: { gvk: GroupVersionKind; type: TypeSchema }[];
}

let registry: Registry | undefined;

const scalarNames = new Set<string>(["string", "int32", "int64", "bool", "double", "bytes", "any"]);

function build(): Registry {
  const byName = new Map<string, TypeSchema>();
  for (const [alias, types] of Object.entries(packages)) {
    for (const [shortName, facts] of Object.entries(types)) {
      const t = toSchema(alias, shortName, facts);
      byName.set(t.name, t);
    }
  }
  for (const t of byName.values()) t.jsonFields = flatten(t, byName);
  const byKind = new Map<string, TypeSchema>();
  const served: Registry["kinds"] = [];
  for (const [group, version, kind, ref] of kinds) {
    const t = byName.get(fullName(ref, ""));
    if (!t) throw new Error(`schema: kind ${kind} names unknown type ${ref}`);
    const gvk = { group, version, kind };
    t.gvks.push(gvk);
    byKind.set(kindKey(group ? `${group}/${version}` : version, kind), t);
    served.push({ gvk, type: t });
  }
  return { byName, byKind, kinds: served };
}

function toSchema(alias: string, shortName: string, facts: TypeFacts): TypeSchema {
  const name = `${packageAliases[alias]}.${shortName}`;
  const fields = facts.f.map((f) => toField(alias, shortName, f));
  return {
    name,
    shortName,
    fields,
    jsonFields: fields,
    special: facts.sp,
    structType: facts.st,
    protobuf: !facts.np,
    gvks: [],
    description: descriptionOf(`${alias}.${shortName}`),
  };
}

function toField(alias: string, typeName: string, [name, number, ref, o = {}]: FieldFacts): FieldSchema {
  const field: FieldSchema = {
    name,
    number,
    protoName: o.pn ?? name,
    type: parseRef(ref, alias),
    required: o.r === 1,
    pointer: o.p === 1,
    inline: o.in === 1,
  };
  if (o.ps) field.patchStrategy = o.ps;
  if (o.pk) field.patchMergeKey = o.pk;
  if (o.lt) field.listType = o.lt;
  if (o.lk) field.listMapKeys = o.lk;
  if (o.mt) field.mapType = o.mt;
  if (o.e) field.enum = o.e;
  const description = descriptionOf(`${alias}.${typeName}.${name}`) ?? (name === "metadata" ? descriptionOf(ref === "meta.ListMeta" || ref === "ListMeta" ? "meta.ListMeta" : "meta.ObjectMeta") : undefined);
  if (description) field.description = description;
  return field;
}

function parseRef(ref: string, alias: string): TypeRef {
  if (ref.startsWith("[]")) return { kind: "array", items: parseRef(ref.slice(2), alias) };
  if (ref.startsWith("{}")) return { kind: "map", values: parseRef(ref.slice(2), alias) };
  if (scalarNames.has(ref)) return { kind: "scalar", scalar: ref as ScalarType };
  return { kind: "ref", name: fullName(ref, alias) };
}

function fullName(ref: string, alias: string): string {
  const dot = ref.indexOf(".");
  return dot < 0 ? `${packageAliases[alias]}.${ref}` : `${packageAliases[ref.slice(0, dot)]}.${ref.slice(dot + 1)}`;
}

function flatten(t: TypeSchema, byName: Map<string, TypeSchema>): FieldSchema[] {
  if (!t.fields.some((f) => f.inline)) return t.fields;
  return t.fields.flatMap((f) => {
    if (!f.inline || f.type.kind !== "ref") return [f];
    const inner = byName.get(f.type.name);
    return inner ? flatten(inner, byName) : [];
  });
}

function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

function reg(): Registry {
  registry ??= build();
  return registry;
}

/** A type by full name (io.k8s.api.core.v1.Pod). */
export function schemaType(name: string): TypeSchema | undefined {
  return reg().byName.get(name);
}

/** Every known type. */
export function allTypes(): TypeSchema[] {
  return [...reg().byName.values()];
}

/** The type served as `kind` in `apiVersion` ("v1", "apps/v1"). */
export function kindType(apiVersion: string, kind: string): TypeSchema | undefined {
  return reg().byKind.get(kindKey(apiVersion, kind));
}

/** Every served group-version-kind with its type. */
export function servedKinds(): { gvk: GroupVersionKind; type: TypeSchema }[] {
  return reg().kinds;
}

/** The JSON field `name` of a type (inline embeddings included). */
export function jsonField(t: TypeSchema, name: string): FieldSchema | undefined {
  return t.jsonFields.find((f) => f.name === name);
}

/** The message type a field holds, looking through arrays and maps (undefined for scalars). */
export function elementType(field: FieldSchema | TypeRef): TypeSchema | undefined {
  let ref: TypeRef = "type" in field ? field.type : field;
  while (ref.kind === "array" || ref.kind === "map") ref = ref.kind === "array" ? ref.items : ref.values;
  return ref.kind === "ref" ? schemaType(ref.name) : undefined;
}

/**
 * Walks a JSON field path from a type, stepping into list items and map values automatically:
 * fieldAtPath(pod, ["spec", "containers", "ports"]) is Container.ports.
 */
export function fieldAtPath(root: TypeSchema, path: string[]): FieldSchema | undefined {
  let t: TypeSchema | undefined = root;
  let field: FieldSchema | undefined;
  for (const name of path) {
    if (!t) return undefined;
    field = jsonField(t, name);
    if (!field) return undefined;
    t = elementType(field);
  }
  return field;
}

/** The strategic-merge and apply markers of a type's JSON field. */
export function patchMeta(t: TypeSchema, name: string): PatchMeta {
  const f = jsonField(t, name);
  if (!f) return {};
  const { patchStrategy, patchMergeKey, listType, listMapKeys, mapType } = f;
  return Object.fromEntries(Object.entries({ patchStrategy, patchMergeKey, listType, listMapKeys, mapType }).filter(([, v]) => v !== undefined));
}
