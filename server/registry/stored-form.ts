// The stored form of objects and the way back: what is written (no kind, apiVersion or
// resourceVersion), decoding into the API shape, and answers spliced from the stored text
// (whole objects, list items, metadata) without parsing it.
//
// Two layouts are read. Objects are written metadata last, with managedFields the last member
// of metadata: `{…other fields…,"metadata":{…,"managedFields":[…]}}`, so that two searches,
// for the first `,"metadata":{` and the first `"managedFields":[` after it, find both members
// without walking the JSON (half of a pod's text is managedFields, which lists and Tables
// mostly skip). The writer picks this layout only when those searches find its own offsets;
// the other fields could hold such text (a quote inside a JSON string is always escaped, so
// only members can). Objects written before this layout, and those the searches would
// mislead, are metadata first, `{"metadata":{…},…}`; their members are found by a walk.
import type { KeyValue } from "../../store/index.ts";
import { plainJson } from "./plain-json.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "./resource-type.ts";

/** Parses a stored value into the API shape of `t`, with resourceVersion set. */
export function decodeObject(t: ResourceType, kv: KeyValue, revision = kv.modRevision): KubeObject {
  let obj = JSON.parse(kv.value) as KubeObject;
  if (t.fromStorage) obj = t.fromStorage(obj);
  obj.kind = t.kind;
  obj.apiVersion = apiVersionOf(t);
  obj.metadata.resourceVersion = String(revision);
  return withTypeFirst(obj);
}

/**
 * The stored form, without kind, apiVersion or resourceVersion (the revision is the store's).
 * `managedFieldsJson`, the JSON of managedFields made as text, stands in for the object's.
 */
export function encodeForStorage(t: ResourceType, obj: KubeObject, managedFieldsJson?: string): string {
  const shaped = t.toStorage ? t.toStorage(obj) : obj;
  const { kind, apiVersion, metadata, ...rest } = shaped;
  const { resourceVersion, managedFields, ...meta } = metadata ?? {};
  const leanMeta = JSON.stringify(meta);
  const managedJson = managedFieldsJson ?? (managedFields === undefined ? undefined : plainJson(managedFields));
  const metaJson = managedJson === undefined ? leanMeta : `${leanMeta.slice(0, -1)}${leanMeta === "{}" ? "" : ","}"managedFields":${managedJson}}`;
  const restJson = JSON.stringify(rest);
  // Metadata last when the readers' two searches (metadataLastLayout) find this text's members:
  // the first `,"metadata":{` cannot be in the other fields, nor the first `"managedFields":[`
  // after it in the rest of metadata, and managedFields must be an array. Neither pattern can
  // begin in one part and end in the next: `,"metadata":` follows the other fields with a
  // comma, which the first pattern has only as its first character, and `,"managedFields":`
  // follows metadata's other members with a comma, which the second pattern lacks (with no
  // other members it follows metadata's `{`, where the second pattern cannot begin).
  const searchable = !restJson.includes(metadataLastSearch) && !leanMeta.includes(managedFieldsKey) && (managedJson === undefined || managedJson.startsWith("["));
  if (restJson !== "{}" && searchable) return `${restJson.slice(0, -1)}${metadataLastKey}${metaJson}}`;
  return `${metadataFirstHead}${metaJson}${restJson === "{}" ? "}" : `,${restJson.slice(1)}`}`;
}

/**
 * Appends a stored object as a list item's JSON (no kind/apiVersion, as kube-apiserver lists
 * it) to `parts`, with resourceVersion spliced in. The stored text is sliced, never copied or
 * parsed; values not in the stored form are decoded and re-encoded.
 */
export function pushListItem(t: ResourceType, kv: KeyValue, parts: string[]): void {
  if (t.fromStorage || !spliceStored("{", kv, parts)) parts.push(JSON.stringify((({ kind, apiVersion, ...rest }) => rest)(decodeObject(t, kv))));
}

/**
 * One stored object's JSON as decodeObject + JSON.stringify would give it (kind and apiVersion
 * first), as string parts spliced from the stored text; undefined for types with a storage
 * transform, whose stored text is not their API shape.
 */
export function storedObjectJson(t: ResourceType, kv: KeyValue): string[] | undefined {
  if (t.fromStorage) return undefined;
  const parts: string[] = [];
  return spliceStored(`{"kind":${JSON.stringify(t.kind)},"apiVersion":${JSON.stringify(apiVersionOf(t))},`, kv, parts) ? parts : undefined;
}

/**
 * Pushes the metadata of a stored object as JSON (resourceVersion spliced in), cut from the
 * stored text without parsing it; false when the type's stored text is not its API shape.
 */
export function pushStoredMetadata(t: ResourceType, kv: KeyValue, parts: string[]): boolean {
  const layout = t.fromStorage ? undefined : layoutOf(kv);
  if (!layout) return false;
  pushMetadata(kv, layout, parts);
  return true;
}

/**
 * The object as decodeObject gives it but without metadata.managedFields, for printing Table
 * rows, matching selectors and the controllers' caches: the field is half of a typical object's
 * text and none of them reads it. (A controller's update made from such an object keeps the
 * stored managedFields: an update that leaves them out keeps the live ones, as upstream.)
 */
export function decodeWithoutManagedFields(t: ResourceType, kv: KeyValue): KubeObject {
  const layout = t.fromStorage ? undefined : layoutOf(kv);
  if (!layout || layout.managedKey < 0) return decodeObject(t, kv);
  return decodeObject(t, { ...kv, value: withoutManagedFields(kv.value, layout, 0, kv.value.length) });
}

/**
 * A stored object's metadata without resourceVersion and managedFields (which the garbage
 * collector, its reader, has no use for), parsed from its slice of the text when the text allows.
 */
export function decodeMetadata(t: ResourceType, kv: KeyValue): KubeObject["metadata"] {
  const layout = t.fromStorage ? undefined : layoutOf(kv);
  if (!layout) {
    const { managedFields, resourceVersion, ...metadata } = decodeObject(t, kv).metadata;
    return metadata;
  }
  return JSON.parse(layout.managedKey < 0 ? kv.value.slice(layout.metaStart, layout.metaEnd) : withoutManagedFields(kv.value, layout, layout.metaStart, layout.metaEnd));
}

/** text[from, to) without metadata's managedFields member (and the comma that separates it). */
function withoutManagedFields(text: string, layout: Layout, from: number, to: number): string {
  const { managedKey, managedEnd } = layout;
  return text.charCodeAt(managedKey - 1) === 0x2c
    ? text.slice(from, managedKey - 1) + text.slice(managedEnd, to)
    : text.slice(from, managedKey) + text.slice(text.charCodeAt(managedEnd) === 0x2c ? managedEnd + 1 : managedEnd, to);
}

/** Puts kind and apiVersion first, as Go's encoder does. */
export function withTypeFirst(obj: KubeObject): KubeObject {
  const { kind, apiVersion, metadata, ...rest } = obj;
  return { kind, apiVersion, metadata, ...rest };
}

const metadataFirstHead = '{"metadata":';
const metadataLastKey = ',"metadata":';
const metadataLastSearch = `${metadataLastKey}{`;
const managedFieldsKey = '"managedFields":[';

/** Where the members of a stored object's text are. */
interface Layout {
  /** The metadata object: from its `{` to just past its `}`. */
  metaStart: number;
  metaEnd: number;
  /** The other members, without the object's braces or a separating comma (empty when none). */
  restStart: number;
  restEnd: number;
  /** The quote opening metadata's `"managedFields":[` member, or -1 when there is none. */
  managedKey: number;
  /** Just past that member's array. */
  managedEnd: number;
}

// Each entry's layout is found once (a Table row asks for it twice).
const layouts = new WeakMap<KeyValue, Layout | null>();

/** The layout of a stored text, or undefined when it is neither of the two. */
function layoutOf(kv: KeyValue): Layout | undefined {
  let layout = layouts.get(kv);
  if (layout === undefined) {
    layout = (kv.value.startsWith(metadataFirstHead) ? metadataFirstLayout(kv.value) : metadataLastLayout(kv.value)) ?? null;
    layouts.set(kv, layout);
  }
  return layout ?? undefined;
}

function metadataLastLayout(text: string): Layout | undefined {
  const key = text.indexOf(metadataLastSearch);
  if (key < 0 || !text.endsWith("}}")) return undefined;
  const metaStart = key + metadataLastKey.length;
  const metaEnd = text.length - 1;
  const managedKey = text.indexOf(managedFieldsKey, metaStart);
  return { metaStart, metaEnd, restStart: 1, restEnd: key, managedKey, managedEnd: managedKey < 0 ? -1 : metaEnd - 1 };
}

function metadataFirstLayout(text: string): Layout | undefined {
  const metaStart = metadataFirstHead.length;
  const meta = scanObject(text, metaStart, "managedFields");
  if (!meta) return undefined;
  const rest = text.charCodeAt(meta.end) === 0x2c ? meta.end + 1 : meta.end;
  return { metaStart, metaEnd: meta.end, restStart: rest, restEnd: text.length - 1, managedKey: meta.memberKey, managedEnd: meta.memberEnd };
}

/**
 * Walks the members of the JSON object opening at `start` (compact JSON, as JSON.stringify
 * writes it): the index just past the object, and where its member `name` (a key without
 * escapes) starts and ends, -1 when it has none. Undefined when the text is not such an object.
 */
function scanObject(text: string, start: number, name: string): { end: number; memberKey: number; memberEnd: number } | undefined {
  let memberKey = -1;
  let memberEnd = -1;
  let i = start + 1;
  if (text.charCodeAt(i) === 0x7d) return { end: i + 1, memberKey, memberEnd };
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = endOfString(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== 0x3a) return undefined;
    const valueEnd = endOfValue(text, keyEnd + 1);
    if (valueEnd < 0) return undefined;
    if (keyEnd - i - 2 === name.length && text.startsWith(name, i + 1)) {
      memberKey = i;
      memberEnd = valueEnd;
    }
    const next = text.charCodeAt(valueEnd);
    if (next === 0x7d) return { end: valueEnd + 1, memberKey, memberEnd };
    if (next !== 0x2c) return undefined;
    i = valueEnd + 1;
  }
}

/** The index just past the JSON value starting at `i`, or -1. */
function endOfValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return endOfString(text, i);
  if (c === 0x7b || c === 0x5b) return endOfJsonObject(text, i);
  // A number, true, false or null runs up to the next delimiter.
  let j = i;
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d) break;
  }
  return j > i ? j : -1;
}

/** The index just past the string whose opening quote is at `i`: its first quote not escaped by an odd run of backslashes. */
function endOfString(text: string, i: number): number {
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(i - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return i + 1;
  }
}

/** The index just past the JSON object or array opening at `start` in `text` (valid JSON), or -1. */
function endOfJsonObject(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = endOfString(text, i) - 1;
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Pushes metadata's JSON with the store's resourceVersion as its first member. */
function pushMetadata(kv: KeyValue, layout: Layout, parts: string[]): void {
  const empty = layout.metaEnd - layout.metaStart === 2;
  parts.push(`{"resourceVersion":"${kv.modRevision}"${empty ? "" : ","}`, kv.value.slice(layout.metaStart + 1, layout.metaEnd));
}

/** Pushes `opening` + the stored object, metadata first with its resourceVersion spliced in; false when the stored text has another shape. */
function spliceStored(opening: string, kv: KeyValue, parts: string[]): boolean {
  const layout = layoutOf(kv);
  if (!layout) return false;
  parts.push(`${opening}"metadata":`);
  pushMetadata(kv, layout, parts);
  if (layout.restEnd > layout.restStart) parts.push(",", kv.value.slice(layout.restStart, layout.restEnd));
  parts.push("}");
  return true;
}
