// How server-side apply sees a value of a schema type: a leaf (scalars and anything atomic),
// a struct with declared fields, a granular map, or an associative list (keyed map list or
// set). Derived from the schema's list-type, list-map-keys, map-type and struct-type markers.
import { schemaType, type FieldSchema, type TypeRef, type TypeSchema } from "../schema/index.ts";

/** The apply view of one value. */
export type Shape =
  | { kind: "leaf" }
  | { kind: "struct"; type: TypeSchema }
  | { kind: "map"; values: TypeRef }
  | { kind: "list"; items: TypeRef; keys: string[]; sortedKeys: string[]; set: boolean };

const leaf: Shape = { kind: "leaf" };

/** The shape of a served kind's top-level object. */
export function rootShape(type: TypeSchema): Shape {
  return { kind: "struct", type };
}

// Shapes of map values and list items (refs without a field's markers), made once per ref.
const refShapes = new WeakMap<TypeRef, Shape>();

/** The shape of a value of `ref`, with the field's markers when it is a field. */
export function shapeOf(ref: TypeRef | undefined, field?: FieldSchema): Shape {
  if (!ref) return leaf;
  if (field) return shapeOfField(ref, field);
  let shape = refShapes.get(ref);
  if (!shape) refShapes.set(ref, (shape = shapeOfField(ref, undefined)));
  return shape;
}

function shapeOfField(ref: TypeRef, field: FieldSchema | undefined): Shape {
  switch (ref.kind) {
    case "scalar":
      return leaf;
    case "map":
      return field?.mapType === "atomic" ? leaf : { kind: "map", values: ref.values };
    case "array":
      return listShape(ref, field);
    case "ref": {
      const t = schemaType(ref.name);
      if (!t || t.special || t.structType === "atomic") return leaf;
      return { kind: "struct", type: t };
    }
  }
}

function listShape(ref: Extract<TypeRef, { kind: "array" }>, field?: FieldSchema): Shape {
  const listType = field?.listType ?? inferredListType(ref, field);
  if (listType === "set") return { kind: "list", items: ref.items, keys: [], sortedKeys: [], set: true };
  if (listType !== "map") return leaf;
  const keys = field?.listMapKeys ?? (field?.patchMergeKey ? [field.patchMergeKey] : []);
  return keys.length ? { kind: "list", items: ref.items, keys, sortedKeys: [...keys].sort(), set: false } : leaf;
}

/** Lists without a list-type marker: merge-strategy lists are associative, others atomic. */
function inferredListType(ref: Extract<TypeRef, { kind: "array" }>, field?: FieldSchema): string {
  if (!field?.patchStrategy?.split(",").includes("merge")) return "atomic";
  return ref.items.kind === "scalar" ? "set" : "map";
}

/** The TypeMeta fields every served kind carries besides its schema fields. */
const typeMetaFields = new Set(["apiVersion", "kind"]);

const fieldShapes = new WeakMap<TypeSchema, Map<string, Shape>>();

/** The shapes of a type's JSON fields by name, computed once per type. */
function shapesOf(t: TypeSchema): Map<string, Shape> {
  let shapes = fieldShapes.get(t);
  if (!shapes) fieldShapes.set(t, (shapes = new Map(t.jsonFields.map((f) => [f.name, shapeOf(f.type, f)]))));
  return shapes;
}

/** The field `key` of a struct or map shape: its shape, or undefined when not declared. */
export function childShape(parent: Shape, key: string, root = false): Shape | undefined {
  if (parent.kind === "map") return shapeOf(parent.values);
  if (parent.kind !== "struct") return undefined;
  const shape = shapesOf(parent.type).get(key);
  if (shape) return shape;
  if ((root || parent.type.gvks.length) && typeMetaFields.has(key)) return leaf;
  return undefined;
}

/** The shape of one item of a list shape. */
export function itemShape(list: Extract<Shape, { kind: "list" }>): Shape {
  return shapeOf(list.items);
}

/** Defaults upstream declares for list-map key fields that clients may omit. */
const keyDefaults: Record<string, unknown> = { protocol: "TCP" };

/** The value of key field `name` of a keyed list item, defaulted; undefined when missing. */
export function keyValue(item: Record<string, unknown>, name: string): unknown {
  return item[name] ?? keyDefaults[name];
}

/**
 * The path element of a list item: `k:{...}` for keyed lists, `v:<json>` for sets. Returns
 * undefined when a keyed item lacks a key field that has no default.
 */
export function itemElement(list: Extract<Shape, { kind: "list" }>, item: unknown): string | undefined {
  if (list.set) return `v:${JSON.stringify(item)}`;
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const key: Record<string, unknown> = {};
  for (const name of list.sortedKeys) {
    const value = keyValue(item as Record<string, unknown>, name);
    if (value === undefined) return undefined;
    key[name] = value;
  }
  return `k:${JSON.stringify(key)}`;
}

/** The field path element for a struct field or map key. */
export function fieldElement(name: string): string {
  return `f:${name}`;
}
