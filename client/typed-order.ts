// kubectl's typed clients decode an answer into Go structs and print them back, so `-o json`
// after `create namespace` shows fields in struct order and map keys sorted, whatever order
// the server used, and every ObjectMeta carries `creationTimestamp` (a zero time encodes as
// null: a pod template's metadata shows `creationTimestamp: null`). This reproduces both from
// the schema registry.

import { elementType, kindType, type TypeRef, type TypeSchema } from "../api/schema/index.ts";

type Obj = Record<string, unknown>;

/** A copy of `obj` in its kind's Go field order (unknown kinds: unchanged). */
export function typedOrder(obj: Obj): Obj {
  const t = kindType(String(obj.apiVersion ?? ""), String(obj.kind ?? ""));
  if (!t) return obj;
  // TypeMeta is embedded first: kind, then apiVersion.
  return { kind: obj.kind, apiVersion: obj.apiVersion, ...(reorder(obj, t) as Obj) };
}

function reorder(value: unknown, t: TypeSchema): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const src = value as Obj;
  const out: Obj = {};
  const objectMeta = t.name === "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  for (const field of t.jsonFields) {
    if (objectMeta && field.name === "creationTimestamp" && !(field.name in src)) out.creationTimestamp = null;
    if (!(field.name in src)) continue;
    out[field.name] = byRef(src[field.name], field.type);
  }
  for (const [k, v] of Object.entries(src)) if (!(k in out)) out[k] = v;
  return out;
}

function byRef(value: unknown, ref: TypeRef): unknown {
  if (value === null || value === undefined) return value;
  switch (ref.kind) {
    case "array":
      return Array.isArray(value) ? value.map((v) => byRef(v, ref.items)) : value;
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const out: Obj = {};
      for (const k of Object.keys(value).sort()) out[k] = byRef((value as Obj)[k], ref.values);
      return out;
    }
    case "ref": {
      const t = elementType(ref);
      return t && !t.special ? reorder(value, t) : value;
    }
    default:
      return value;
  }
}
