// What a create owns, written straight as fieldsV1 JSON text: every value of the new object,
// paths in structured-merge-diff's order. Creates are the commonest write, and building the
// document as objects and then serializing it cost about twice as much: its keys
// (`k:{"name":…}`) need escaping, which takes JSON.stringify off its fast path, and each key
// was made twice, once as a property and once as JSON.
import { jsonString } from "../json-string.ts";
import { sortStrings } from "./field-set.ts";
import { childShape, itemShape, shapeOf, type Shape } from "./shape.ts";
import { isContainer, isMap, sortedItems } from "./walk.ts";

type JsonMap = Record<string, unknown>;

const leaf = shapeOf(undefined);

// Field names and list items repeat across objects (a type's fields, the same label keys,
// containers named alike), so their keys are cheaper looked up than made and escaped again.
const keysMax = 4096;
const fieldKeys = new Map<string, string>();
const itemKeys = new Map<string, string>();

/** `"<prefix><text>":`, the JSON key of a member, from `cache` once it was made. */
function cachedKeyJson(cache: Map<string, string>, prefix: string, text: string): string {
  let json = cache.get(text);
  if (json === undefined) {
    if (cache.size >= keysMax) cache.clear();
    json = `${jsonString(prefix + text)}:`;
    cache.set(text, json);
  }
  return json;
}

/** What the fields walked at the top level leave out. */
export interface CreatedFieldsSkips {
  /** Top-level fields. */
  top: Set<string>;
  /** Fields of metadata. */
  metadata: Set<string>;
}

/**
 * The fieldsV1 document of everything `obj` sets, compared with the zero skeleton `zero`: the
 * containers the skeleton has are walked but not owned themselves. Undefined when nothing is
 * owned. metadata is left out when nothing of it is owned.
 */
export function createdFieldsV1Json(shape: Shape, obj: JsonMap, zero: JsonMap, skips: CreatedFieldsSkips): string | undefined {
  return fieldsJson(shape, obj, zero, false, skips);
}

/**
 * The fieldsV1 node of `value`, all of whose values are new. `member` (the container itself
 * is new) adds "."; a new container that holds nothing owned is `{}`. Undefined when a
 * container of the zero skeleton gets nothing new. `root` is given at the top level, with its
 * skips; `skip` names the fields of this node left out below it (metadata's).
 */
function fieldsJson(shape: Shape, value: unknown, zero: unknown, member: boolean, root?: CreatedFieldsSkips, skip?: Set<string>): string | undefined {
  let out = member ? '".":{}' : "";
  let owned = false;
  if (shape.kind === "list") {
    const item = itemShape(shape);
    for (const [element, v] of sortedItems(shape, value as unknown[])) {
      out += `${out ? "," : ""}${cachedKeyJson(itemKeys, "", element)}${isContainer(item, v) ? fieldsJson(item, v, undefined, true) : "{}"}`;
      owned = true;
    }
  } else {
    const map = value as JsonMap;
    const zeros = isMap(zero) ? zero : undefined;
    const leftOut = root?.top ?? skip;
    for (const key of sortStrings(Object.keys(map))) {
      if (leftOut?.has(key)) continue;
      const v = map[key];
      const child = childShape(shape, key, root !== undefined) ?? leaf;
      let sub: string | undefined = "{}";
      if (isContainer(child, v)) {
        const z = zeros?.[key];
        sub = fieldsJson(child, v, z, z === undefined, undefined, root && key === "metadata" ? root.metadata : undefined);
      }
      if (sub === undefined || (root && key === "metadata" && sub === "{}")) continue;
      out += `${out ? "," : ""}${cachedKeyJson(fieldKeys, "f:", key)}${sub}`;
      owned = true;
    }
  }
  if (owned) return `{${out}}`;
  return member ? "{}" : undefined;
}
