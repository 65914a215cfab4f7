// The stored form of objects and the way back: what is written (metadata first, no kind,
// apiVersion or resourceVersion), decoding into the API shape, and answers spliced from the
// stored text (whole objects, list items, metadata) without parsing it where the text allows.
import type { KeyValue } from "../../store/index.ts";
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
 * The stored form: metadata first, without kind, apiVersion or resourceVersion (the
 * revision is the store's). Lists splice these strings directly into responses.
 */
export function encodeForStorage(t: ResourceType, obj: KubeObject): string {
  const shaped = t.toStorage ? t.toStorage(obj) : obj;
  const { kind, apiVersion, metadata, ...rest } = shaped;
  const { resourceVersion, ...meta } = metadata ?? {};
  return JSON.stringify({ metadata: meta, ...rest });
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

const storedHead = '{"metadata":{';

/**
 * Pushes the metadata of a stored object as JSON (resourceVersion spliced in), cut from the
 * stored text without parsing it; false when the type's stored text is not its API shape.
 */
export function pushStoredMetadata(t: ResourceType, kv: KeyValue, parts: string[]): boolean {
  const end = t.fromStorage ? -1 : metadataEndOf(kv);
  if (end < 0) return false;
  const rest = kv.value.slice(storedHead.length, end);
  parts.push(`{"resourceVersion":"${kv.modRevision}"${rest === "}" ? "" : ","}`, rest);
  return true;
}

/**
 * The object as decodeObject gives it but without metadata.managedFields, for printing Table
 * rows: the field is half of a typical object's text and no column shows it.
 */
export function decodeForDisplay(t: ResourceType, kv: KeyValue): KubeObject {
  const end = t.fromStorage ? -1 : metadataEndOf(kv);
  const key = end < 0 ? -1 : kv.value.indexOf(managedFieldsKey, storedHead.length);
  // Inside metadata only a real managedFields key is followed by an array (label and annotation values are strings).
  if (key < 0 || key > end) return decodeObject(t, kv);
  const arrayEnd = endOfJsonObject(kv.value, key + managedFieldsKey.length - 1);
  if (arrayEnd < 0) return decodeObject(t, kv);
  const before = kv.value.slice(0, key);
  const after = kv.value.slice(arrayEnd);
  const lean = before.endsWith(",") ? before.slice(0, -1) + after : before + (after.startsWith(",") ? after.slice(1) : after);
  return decodeObject(t, { ...kv, value: lean });
}

/** A stored object's metadata (without resourceVersion), parsed from its text alone when the text allows. */
export function decodeMetadata(t: ResourceType, kv: KeyValue): KubeObject["metadata"] {
  const end = t.fromStorage ? -1 : metadataEndOf(kv);
  return end < 0 ? decodeObject(t, kv).metadata : JSON.parse(kv.value.slice(storedHead.length - 1, end));
}

const managedFieldsKey = '"managedFields":[';

// Where a stored object's metadata ends, found once per entry (a Table row asks twice).
const metadataEnds = new WeakMap<KeyValue, number>();

/** The index just past the stored object's metadata, or -1 when the text has another shape. */
function metadataEndOf(kv: KeyValue): number {
  let end = metadataEnds.get(kv);
  if (end === undefined) {
    end = kv.value.startsWith(storedHead) ? endOfJsonObject(kv.value, storedHead.length - 1) : -1;
    metadataEnds.set(kv, end);
  }
  return end;
}

/** The index just past the JSON object opening at `start` in `text` (valid JSON), or -1. */
function endOfJsonObject(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: jump to its closing quote, one not escaped by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return -1;
        let slashes = 0;
        while (text.charCodeAt(i - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Pushes `opening` + the stored object with its resourceVersion spliced in; false when the stored text has another shape. */
function spliceStored(opening: string, kv: KeyValue, parts: string[]): boolean {
  if (!kv.value.startsWith(storedHead)) return false;
  const rest = kv.value.slice(storedHead.length);
  parts.push(`${opening}"metadata":{"resourceVersion":"${kv.modRevision}"${rest.startsWith("}") ? "" : ","}`, rest);
  return true;
}

/** Puts kind and apiVersion first, as Go's encoder does. */
export function withTypeFirst(obj: KubeObject): KubeObject {
  const { kind, apiVersion, metadata, ...rest } = obj;
  return { kind, apiVersion, metadata, ...rest };
}
