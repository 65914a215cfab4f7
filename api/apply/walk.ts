// Type-aware walks over objects: the set of fields an applied configuration sets, and the
// comparison of two versions of an object (added, modified and removed paths), with the
// membership rules structured-merge-diff uses so managedFields read as kube-apiserver's do.
import { attach, childOf, compareValues, emptySet, formatPath, sortElements, sortStrings, type FieldSet } from "./field-set.ts";
import { childShape, fieldElement, itemElement, itemShape, keyValue, shapeOf, type Shape } from "./shape.ts";
import type { TypeSchema } from "../schema/index.ts";

type JsonMap = Record<string, unknown>;

export function isMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether a value is walked into (a container matching its shape) rather than compared whole. */
export function isContainer(shape: Shape, v: unknown): boolean {
  if (shape.kind === "struct" || shape.kind === "map") return isMap(v);
  return shape.kind === "list" && Array.isArray(v);
}

/**
 * The fields `value` sets: every scalar and atomic value, every list item, every map entry,
 * and empty or null structs. Problems (undeclared fields, keyless or duplicate list items)
 * are appended to `errors` as structured-merge-diff words them. `skip` names top-level
 * fields left out (fields the endpoint resets).
 */
export function fieldSetOf(shape: Shape, value: unknown, errors: string[] = [], skip?: Set<string>): FieldSet {
  const set = emptySet();
  collect(shape, value, set, [], errors, true, skip);
  return set;
}

function collect(shape: Shape, value: unknown, node: FieldSet, path: string[], errors: string[], root = false, skip?: Set<string>): void {
  if (!isContainer(shape, value)) return;
  if (shape.kind === "list") {
    const seen = new Set<string>();
    (value as unknown[]).forEach((item, i) => {
      const element = itemElement(shape, item);
      if (!element) {
        const missing = shape.keys.find((k) => !isMap(item) || (item as JsonMap)[k] === undefined);
        errors.push(`${formatPath(path)}: element ${i}: associative list with keys has an element that omits key field "${missing}" (and doesn't have default value)`);
        return;
      }
      if (seen.has(element)) {
        errors.push(`${formatPath(path)}: duplicate entries for key ${formatPath([element])}`);
        return;
      }
      seen.add(element);
      node.members.add(element);
      const child = emptySet();
      collect(itemShape(shape), item, child, [...path, element], errors);
      attach(node, element, child);
    });
    return;
  }
  for (const [key, v] of Object.entries(value as JsonMap)) {
    if (skip?.has(key)) continue;
    const element = fieldElement(key);
    const childShapeOf = childShape(shape, key, root);
    if (!childShapeOf) {
      errors.push(`${formatPath([...path, element])}: field not declared in schema`);
      continue;
    }
    const container = isContainer(childShapeOf, v);
    if (!container || shape.kind === "map" || (isMap(v) && !Object.keys(v).length)) node.members.add(element);
    if (container) {
      const child = emptySet();
      collect(childShapeOf, v, child, [...path, element], errors);
      attach(node, element, child);
    }
  }
}

/** What changed between two versions of an object. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

type Outcome = keyof Comparison | undefined;

/** A position in the comparison whose nodes are created only when something is recorded there. */
interface Cursor {
  parent?: Cursor;
  element?: string;
  sets: Partial<Comparison>;
}

function setAt(c: Cursor, kind: keyof Comparison): FieldSet {
  let s = c.sets[kind];
  if (!s) c.sets[kind] = s = childOf(setAt(c.parent!, kind), c.element!);
  return s;
}

function record(c: Cursor, element: string, outcome: Outcome): void {
  if (outcome) setAt(c, outcome).members.add(element);
}

/** Compares `before` and `after` (either may be undefined: absent); `skip` leaves out top-level fields. */
export function compareObjects(shape: Shape, before: unknown, after: unknown, skip?: Set<string>): Comparison {
  const out: Comparison = { added: emptySet(), modified: emptySet(), removed: emptySet() };
  compareChildren(shape, before, after, { sets: { ...out } }, true, skip);
  return out;
}

function compareValue(shape: Shape, before: unknown, after: unknown, cursor: Cursor): Outcome {
  if (before === undefined && after === undefined) return undefined;
  const walk = (before === undefined || isContainer(shape, before)) && (after === undefined || isContainer(shape, after));
  if (!walk) {
    if (before === undefined) return "added";
    if (after === undefined) return "removed";
    return deepEqual(before, after) ? undefined : "modified";
  }
  compareChildren(shape, before, after, cursor);
  if (before === undefined) return "added";
  return after === undefined ? "removed" : undefined;
}

function compareChildren(shape: Shape, before: unknown, after: unknown, cursor: Cursor, root = false, skip?: Set<string>): void {
  if (shape.kind === "list") {
    const b = indexItems(shape, before);
    const a = indexItems(shape, after);
    const item = itemShape(shape);
    for (const element of new Set([...b.keys(), ...a.keys()])) {
      record(cursor, element, compareValue(item, b.get(element), a.get(element), { parent: cursor, element, sets: {} }));
    }
    return;
  }
  const b = (before ?? {}) as JsonMap;
  const a = (after ?? {}) as JsonMap;
  const visit = (key: string) => {
    if (skip?.has(key)) return;
    const element = fieldElement(key);
    const child = childShape(shape, key, root) ?? shapeOf(undefined);
    record(cursor, element, compareValue(child, b[key], a[key], { parent: cursor, element, sets: {} }));
  };
  for (const key of Object.keys(b)) visit(key);
  for (const key of Object.keys(a)) if (!(key in b)) visit(key);
}

/** List items by path element; keyless items fall back to their index, later duplicates are dropped. */
function indexItems(shape: Extract<Shape, { kind: "list" }>, list: unknown): Map<string, unknown> {
  const items = new Map<string, unknown>();
  ((list ?? []) as unknown[]).forEach((item, i) => {
    const element = itemElement(shape, item) ?? `i:${i}`;
    if (!items.has(element)) items.set(element, item);
  });
  return items;
}

/** A list's items by path element in element order (the last of duplicates; keyless items by index). */
export function sortedItems(shape: Extract<Shape, { kind: "list" }>, list: unknown[]): [string, unknown][] {
  const byElement = new Map<string, unknown>();
  let keyless = false;
  list.forEach((v, i) => {
    const element = itemElement(shape, v);
    if (element === undefined) keyless = true;
    byElement.set(element ?? `i:${i}`, v);
  });
  if (keyless) return sortElements(byElement.keys()).map((element) => [element, byElement.get(element)]);
  // All items are `k:` (or all `v:`): their order is that of their key values, compared
  // directly rather than parsed back out of the elements.
  return [...byElement].sort(([, a], [, b]) => compareItems(shape, a, b));
}

function compareItems(shape: Extract<Shape, { kind: "list" }>, a: unknown, b: unknown): number {
  if (shape.set) return compareValues(a, b);
  for (const name of shape.sortedKeys) {
    const c = compareValues(keyValue(a as JsonMap, name), keyValue(b as JsonMap, name));
    if (c) return c;
  }
  return 0;
}

/** Deep equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k in (b as object) && deepEqual((a as JsonMap)[k], (b as JsonMap)[k]));
}

const zeroCache = new Map<string, JsonMap>();
/** Struct fields that are plain (non-pointer) structs in every served type, present in a zero value. */
const embeddedStructs = new Set(["metadata", "spec", "status", "template"]);

/**
 * The skeleton every Go object of `type` has even when empty: nested spec/status/template
 * structs, and required lists and maps (present, empty). Comparisons see it on both sides,
 * as kube-apiserver's field manager compares typed objects.
 */
function zeroSkeleton(type: TypeSchema): JsonMap {
  const cached = zeroCache.get(type.name);
  if (cached) return cached;
  const out: JsonMap = {};
  for (const f of type.jsonFields) {
    const shape = shapeOf(f.type, f);
    if (shape.kind === "struct" && embeddedStructs.has(f.name)) out[f.name] = zeroSkeleton(shape.type);
    else if (f.required && shape.kind === "list") out[f.name] = [];
    else if (f.required && shape.kind === "map") out[f.name] = {};
  }
  zeroCache.set(type.name, out);
  return out;
}

/** The zero skeleton of `type` (what a create is compared against). */
export function zeroObject(type: TypeSchema): JsonMap {
  return zeroSkeleton(type);
}

/** `obj` with the zero skeleton of `type` filled in where absent (a shallow copy along the way). */
export function withZeroFields(type: TypeSchema, obj: JsonMap): JsonMap {
  return fill(zeroSkeleton(type), obj);
}

function fill(skeleton: JsonMap, obj: JsonMap): JsonMap {
  const out: JsonMap = { ...obj };
  for (const [k, v] of Object.entries(skeleton)) {
    if (out[k] === undefined) out[k] = isMap(v) ? fill(v, {}) : Array.isArray(v) ? [] : v;
    else if (isMap(v) && isMap(out[k])) out[k] = fill(v, out[k] as JsonMap);
  }
  return out;
}
