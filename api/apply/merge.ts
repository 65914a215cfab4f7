// Merging an applied configuration into the live object, and removing the fields an applier
// gave up. Structs and granular maps merge field by field, associative lists item by item
// (keeping live-only items where they were), everything else is replaced by the config.
import { isEmpty, type FieldSet } from "./field-set.ts";
import { childShape, fieldElement, itemElement, itemShape, shapeOf, type Shape } from "./shape.ts";

type JsonMap = Record<string, unknown>;
type ListShape = Extract<Shape, { kind: "list" }>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** live merged with config; neither input is modified. */
export function mergeApplied(shape: Shape, live: unknown, config: unknown, root = true): unknown {
  if (config === undefined) return clone(live);
  if (shape.kind === "list" && Array.isArray(live) && Array.isArray(config)) return mergeLists(shape, live, config);
  if ((shape.kind === "struct" || shape.kind === "map") && isMap(live) && isMap(config)) {
    const out = clone(live) as JsonMap;
    for (const [key, value] of Object.entries(config)) {
      if (value === null) {
        delete out[key];
        continue;
      }
      const child = childShape(shape, key, root) ?? shapeOf(undefined);
      out[key] = mergeApplied(child, live[key], value, false);
    }
    return out;
  }
  return clone(config);
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/**
 * Merges two associative lists. Items in both are merged; the config decides the order of the
 * items it names, and live-only items stay where they were relative to them.
 */
function mergeLists(shape: ListShape, live: unknown[], config: unknown[]): unknown[] {
  const key = (item: unknown, i: number) => itemElement(shape, item) ?? `i:${i}`;
  const liveKeys = live.map(key);
  const configKeys = config.map(key);
  const liveByKey = new Map(liveKeys.map((k, i) => [k, live[i]]));
  const inConfig = new Set(configKeys);
  const shared = configKeys.filter((k) => liveByKey.has(k));
  const out: unknown[] = [];
  const done = new Set<string>();
  let nextShared = 0;
  let i = 0;
  let j = 0;
  const takeConfig = () => {
    const k = configKeys[j];
    out.push(mergeApplied(itemShape(shape), liveByKey.get(k), config[j], false));
    done.add(k);
    if (shared[nextShared] === k) nextShared++;
    j++;
  };
  while (i < live.length || j < config.length) {
    if (i < live.length) {
      const k = liveKeys[i];
      if (done.has(k)) {
        i++;
        continue;
      }
      if (!inConfig.has(k)) {
        out.push(clone(live[i]));
        i++;
        continue;
      }
      // A live item the config also names waits until the config reaches it.
      if (j < config.length && configKeys[j] === k) {
        takeConfig();
        i++;
        continue;
      }
      if (shared[nextShared] !== k) {
        i++;
        continue;
      }
    }
    if (j < config.length) takeConfig();
    else i++;
  }
  return out;
}

/**
 * Removes from `obj` every path of `remove`. A removed node that still holds paths of `keep`
 * (fields other managers own) stays, reduced to those paths and its list keys.
 */
export function removeFields(shape: Shape, obj: unknown, remove: FieldSet, keep: FieldSet | undefined, root = true): unknown {
  if (shape.kind === "list" && Array.isArray(obj)) {
    const out: unknown[] = [];
    for (const item of obj) {
      const element = itemElement(shape, item);
      if (!element) {
        out.push(item);
        continue;
      }
      const kept = process(itemShape(shape), item, element, remove, keep, false);
      if (kept !== undefined) out.push(kept);
    }
    return out;
  }
  if ((shape.kind === "struct" || shape.kind === "map") && isMap(obj)) {
    const out: JsonMap = {};
    for (const [key, value] of Object.entries(obj)) {
      const child = childShape(shape, key, root) ?? shapeOf(undefined);
      const kept = process(child, value, fieldElement(key), remove, keep, false);
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }
  return obj;
}

function process(shape: Shape, value: unknown, element: string, remove: FieldSet, keep: FieldSet | undefined, root: boolean): unknown {
  const keepChild = keep?.children.get(element);
  if (remove.members.has(element) && !keep?.members.has(element)) {
    if (!keepChild || isEmpty(keepChild)) return undefined;
    return onlyKept(shape, value, keepChild);
  }
  const removeChild = remove.children.get(element);
  return removeChild ? removeFields(shape, value, removeChild, keepChild, root) : value;
}

/** The parts of `value` that `keep` names (list items keep their key fields). */
function onlyKept(shape: Shape, value: unknown, keep: FieldSet): unknown {
  if (shape.kind === "list" && Array.isArray(value)) {
    return value.flatMap((item) => {
      const element = itemElement(shape, item);
      if (!element || !(keep.members.has(element) || keep.children.has(element))) return [];
      if (keep.members.has(element)) return [item];
      const reduced = onlyKept(itemShape(shape), item, keep.children.get(element)!) as JsonMap;
      if (!shape.set && isMap(item)) for (const k of shape.keys) if (k in item) reduced[k] = item[k];
      return [reduced];
    });
  }
  if ((shape.kind === "struct" || shape.kind === "map") && isMap(value)) {
    const out: JsonMap = {};
    for (const [key, v] of Object.entries(value)) {
      const element = fieldElement(key);
      if (keep.members.has(element)) out[key] = v;
      else if (keep.children.has(element)) out[key] = onlyKept(childShape(shape, key) ?? shapeOf(undefined), v, keep.children.get(element)!);
    }
    return out;
  }
  return value;
}
