// Strategic merge patch (`application/strategic-merge-patch+json`): a JSON merge patch whose
// lists merge by key where the type says so (x-kubernetes-patch-strategy / patch-merge-key),
// plus the directives `$patch` (replace, delete), `$retainKeys`, `$setElementOrder/<list>` and
// `$deleteFromPrimitiveList/<list>`. Semantics follow kube-apiserver's applier with
// MergeParallelList and IgnoreUnmatchedNulls set.
import { jsonField, schemaType, type TypeRef, type TypeSchema } from "../schema/index.ts";
import { goFormat } from "./go-format.ts";
import { indexByIdentity, orderMergedList, partitionByPresence, type ItemIdentity } from "./smp-order.ts";

/** A patch that cannot be applied; `code` is 400 (malformed directives) or 422. */
export class StrategicMergePatchError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 422 = 400,
  ) {
    super(message);
    this.name = "StrategicMergePatchError";
  }
}

type JsonMap = Record<string, unknown>;
/** Where a map sits in the schema: a struct type, a map's value type, or unknown. */
type Context = TypeSchema | { values: TypeRef } | undefined;

const directiveMarker = "$patch";
const retainKeysDirective = "$retainKeys";
const setOrderPrefix = "$setElementOrder";
const deleteFromListPrefix = "$deleteFromPrimitiveList";

const badRetainKeys = "invalid patch format of retainKeys";
const badSetOrder = "invalid patch format of setElementOrder list";
const badPrimitiveList = "invalid patch format of primitive list";

/**
 * Applies `patch` to `original` for objects of type `type` (undefined: no schema, every list
 * is replaced). Neither input is modified.
 */
export function applyStrategicMergePatch(original: JsonMap, patch: JsonMap, type: TypeSchema | undefined): JsonMap {
  return mergeMap(JSON.parse(JSON.stringify(original)), JSON.parse(JSON.stringify(patch)), type);
}

function isMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  return Array.isArray(v) ? "array" : typeof v;
}

interface FieldInfo {
  strategy: string;
  mergeKey?: string;
  ref?: TypeRef;
}

function fieldInfo(ctx: Context, key: string): FieldInfo {
  if (!ctx) return { strategy: "" };
  if ("values" in ctx) return { strategy: "", ref: ctx.values };
  const f = jsonField(ctx, key);
  if (!f) return { strategy: "" };
  const strategy = (f.patchStrategy ?? "").split(",").find((s) => s && s !== "retainKeys") ?? "";
  return { strategy, mergeKey: f.patchMergeKey, ref: f.type };
}

function contextOf(ref: TypeRef | undefined): Context {
  if (!ref) return undefined;
  if (ref.kind === "map") return { values: ref.values };
  if (ref.kind !== "ref") return undefined;
  const t = schemaType(ref.name);
  return t && !t.special ? t : undefined;
}

function itemsOf(ref: TypeRef | undefined): TypeRef | undefined {
  return ref?.kind === "array" ? ref.items : undefined;
}

function mergeMap(original: JsonMap, patch: JsonMap, ctx: Context): JsonMap {
  if (directiveMarker in patch) {
    const directive = patch[directiveMarker];
    if (directive === "replace") {
      delete patch[directiveMarker];
      return patch;
    }
    if (directive === "delete") return {};
    throw new StrategicMergePatchError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, ctx);
  const keys = Object.keys(patch);
  // Deletions from primitive lists run after the list's own additions.
  keys.sort((a, b) => Number(a.startsWith(deleteFromListPrefix)) - Number(b.startsWith(deleteFromListPrefix)));
  for (const rawKey of keys) {
    const value = patch[rawKey];
    const isDeleteList = rawKey.startsWith(deleteFromListPrefix);
    const key = isDeleteList ? directiveTarget(rawKey, deleteFromListPrefix, badPrimitiveList) : rawKey;
    if (value === null) {
      delete original[key];
      continue;
    }
    const info = fieldInfo(ctx, key);
    const current = original[key];
    if (current === undefined) {
      if (!isDeleteList) original[key] = fresh(value, info);
      continue;
    }
    if (kindOf(current) !== kindOf(value)) {
      if (!isDeleteList) original[key] = value;
      continue;
    }
    if (isMap(current)) {
      original[key] = info.strategy === "replace" ? value : mergeMap(current, value as JsonMap, contextOf(info.ref));
    } else if (Array.isArray(current)) {
      original[key] = info.strategy === "merge" ? mergeList(current, value as unknown[], info, isDeleteList) : value;
    } else {
      original[key] = value;
    }
  }
  return original;
}

/** A patch value for a key the original lacks: directives inside it still apply. */
function fresh(value: unknown, info: FieldInfo): unknown {
  if (isMap(value)) return info.strategy === "replace" ? value : mergeMap({}, value, contextOf(info.ref));
  if (Array.isArray(value) && info.strategy === "merge") return mergeList([], value, info, false);
  return value;
}

function directiveTarget(key: string, prefix: string, error: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new StrategicMergePatchError(error);
  return key.slice(slash + 1);
}

function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(retainKeysDirective in patch)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw new StrategicMergePatchError(badRetainKeys);
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromListPrefix) || k.startsWith(setOrderPrefix)) continue;
    if (!keep.has(k)) throw new StrategicMergePatchError(badRetainKeys);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function identityFor(mergeKey: string | undefined): ItemIdentity {
  return mergeKey ? (item) => (item as JsonMap)[mergeKey] : (item) => item;
}

function requireMergeKey(item: unknown, mergeKey: string): void {
  if (!isMap(item)) throw new StrategicMergePatchError(`expected a map, but received ${goFormat(item)}`);
  if (!(mergeKey in item)) throw new StrategicMergePatchError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
}

/** `$setElementOrder/<list>`: merges the list now and puts it in the order the directive gives. */
function applySetElementOrder(original: JsonMap, patch: JsonMap, ctx: Context): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    const name = directiveTarget(key, setOrderPrefix, badSetOrder);
    if (!Array.isArray(order)) throw new StrategicMergePatchError(badSetOrder);
    const live = original[name];
    const patchList = patch[name];
    if (live !== undefined && !Array.isArray(live)) throw new StrategicMergePatchError(badSetOrder);
    if (patchList !== undefined && patchList !== null && !Array.isArray(patchList)) throw new StrategicMergePatchError(badSetOrder);
    const info = fieldInfo(ctx, name);
    const mergeKey = info.mergeKey;
    if (Array.isArray(patchList)) checkOrderAgreement(patchList, order, mergeKey);
    let merged: unknown[];
    if (live === undefined && !Array.isArray(patchList)) continue;
    if (live === undefined) merged = patchList as unknown[];
    else if (!Array.isArray(patchList)) merged = live as unknown[];
    else merged = info.strategy === "merge" ? mergeList(live as unknown[], patchList, info, false) : patchList;
    const identity = identityFor(mergeKey);
    if (mergeKey) [...merged, ...order].forEach((item) => requireMergeKey(item, mergeKey));
    const [inOrder, serverOnly] = partitionByPresence(merged, order, identity);
    original[name] = orderMergedList(inOrder, serverOnly, order, (live as unknown[]) ?? [], identity);
    delete patch[name];
  }
}

/** The patch list's items (deletions aside) must appear in the directive's relative order. */
function checkOrderAgreement(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  if (!order.length || !patchList.length) return;
  const items = mergeKey ? patchList.filter((i) => !(isMap(i) && i[directiveMarker] === "delete")) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isMap(items[p]) && directiveMarker in (items[p] as JsonMap)) {
      p++;
      continue;
    }
    if (mergeKey) [items[p], order[o]].forEach((item) => requireMergeKey(item, mergeKey));
    const same = mergeKey ? (items[p] as JsonMap)[mergeKey] === (order[o] as JsonMap)[mergeKey] : items[p] === order[o];
    if (same) p++;
    o++;
  }
  if (p < items.length) {
    throw new StrategicMergePatchError(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${setOrderPrefix} list:\n${goFormat(order)}\n`);
  }
}

function elementKind(lists: unknown[][]): string | undefined {
  let kind: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const k = kindOf(item);
      if (k === "array") throw new StrategicMergePatchError("lists of lists are not supported", 422);
      if (kind !== undefined && kind !== k) throw new StrategicMergePatchError(`list element types are not identical: ${goFormat(lists)}`);
      kind = k;
    }
  }
  return kind;
}

function mergeList(original: unknown[], patch: unknown[], info: FieldInfo, isDeleteList: boolean): unknown[] {
  if (!original.length && !patch.length) return original;
  const kind = elementKind([original, patch]);
  if (kind !== "object") {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    const merged: unknown[] = [];
    for (const v of [...original, ...patch]) if (!merged.includes(v)) merged.push(v);
    const [inPatch, serverOnly] = partitionByPresence(merged, patch, identityFor(undefined));
    return orderMergedList(inPatch, serverOnly, patch, original, identityFor(undefined));
  }
  const mergeKey = info.mergeKey;
  if (!mergeKey) throw new StrategicMergePatchError("cannot merge lists without merge key for type struct");
  const itemCtx = contextOf(itemsOf(info.ref));
  let live = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch as JsonMap[]) {
    if (!(directiveMarker in item)) {
      plain.push(item);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === "delete") {
      requireMergeKey(item, mergeKey);
      live = live.filter((v) => !(isMap(v) && mergeKey in v && v[mergeKey] === item[mergeKey]));
    } else if (directive === "replace") replace = true;
    else if (directive === "merge") throw new StrategicMergePatchError("merging lists cannot yet be specified in the patch");
    else throw new StrategicMergePatchError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
  }
  const patchItems = replace ? [] : plain;
  if (replace) live = plain;
  const identity = identityFor(mergeKey);
  const merged = [...live];
  for (const item of patchItems) {
    requireMergeKey(item, mergeKey);
    const at = indexByIdentity(merged, item, identity);
    if (at >= 0 && isMap(merged[at])) merged[at] = mergeMap(merged[at] as JsonMap, item as JsonMap, itemCtx);
    else merged.push(mergeMap({}, item as JsonMap, itemCtx));
  }
  [...merged, ...live].forEach((item) => requireMergeKey(item, mergeKey));
  const [inPatch, serverOnly] = partitionByPresence(merged, patchItems, identity);
  return orderMergedList(inPatch, serverOnly, patchItems, live, identity);
}
