// Reads typed objects from the revisioned store: keys, decoding (resourceVersion comes from
// the store's revision), get, and list with selectors, pagination and resourceVersion rules.
import type { KeyValue, ListResult, Store } from "../../store/index.ts";
import { CompactedError, FutureRevisionError, InvalidContinueError } from "../../store/index.ts";
import { badRequest, continueExpired, invalid, notFound, resourceExpired, timeoutError, type FieldError } from "../../api/status.ts";
import type { FieldSelector } from "../../api/field-selector.ts";
import type { LabelSelector } from "../../api/label-selector.ts";
import { matchFields } from "../../api/field-selector.ts";
import { matchLabels } from "../../api/label-selector.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "./resource-type.ts";

/** List parameters as the API defines them. */
export interface ListParams {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

/** A page of decoded objects. */
export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A list read in pages; see {@link ObjectReader.kvPages}. */
export interface KvPages {
  resourceVersion: string;
  first: KeyValue[];
  /** Reads the next page, null after the last; absent when `first` is the whole list. */
  next?: () => Promise<KeyValue[] | null>;
}

/** The storage key prefix of a type, e.g. `/registry/apps/deployments/`. */
export function typePrefix(t: ResourceType): string {
  const path = t.storageResource ?? (t.group ? `${t.group}/${t.resource}` : t.resource);
  return `/registry/${path}/`;
}

/** Prefix for one namespace (or all when ns is empty). */
export function listPrefix(t: ResourceType, namespace: string): string {
  return t.namespaced && namespace ? `${typePrefix(t)}${namespace}/` : typePrefix(t);
}

/** The storage key of one object. */
export function objectKey(t: ResourceType, namespace: string, name: string): string {
  return t.namespaced ? `${typePrefix(t)}${namespace}/${name}` : `${typePrefix(t)}${name}`;
}

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

/** The field values a field selector may test for an object of type t. */
export function selectableFields(t: ResourceType, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { "metadata.name": obj.metadata?.name ?? "" };
  if (t.namespaced) fields["metadata.namespace"] = obj.metadata?.namespace ?? "";
  return t.selectableFields ? { ...fields, ...t.selectableFields(obj) } : fields;
}

/** Whether an object passes both selectors. */
export function matchesSelectors(t: ResourceType, obj: KubeObject, params: Pick<ListParams, "labelSelector" | "fieldSelector">): boolean {
  if (params.labelSelector && !matchLabels(params.labelSelector, obj.metadata?.labels)) return false;
  if (params.fieldSelector && !matchFields(params.fieldSelector, selectableFields(t, obj))) return false;
  return true;
}

/** Typed reads over a Store. */
export class ObjectReader {
  constructor(readonly store: Store) {}

  /** The object or a 404 Status. */
  async get(t: ResourceType, namespace: string, name: string, resourceVersion?: string): Promise<KubeObject> {
    const kv = await this.getKv(t, namespace, name, resourceVersion);
    if (!kv) throw notFound({ group: t.group, resource: t.resource }, name);
    return decodeObject(t, kv);
  }

  /** The raw stored entry (for compare-and-swap writers), or null. */
  async getKv(t: ResourceType, namespace: string, name: string, resourceVersion?: string): Promise<KeyValue | null> {
    const revision = await this.readRevision(resourceVersion, undefined);
    try {
      return await this.store.get(objectKey(t, namespace, name), revision ? { revision } : undefined);
    } catch (err) {
      throw translateStoreError(err);
    }
  }

  /** A list page following the API's resourceVersion, limit and continue rules. */
  async list(t: ResourceType, namespace: string, params: ListParams): Promise<ObjectList> {
    const items: KubeObject[] = [];
    const meta = await this.visit(t, namespace, params, (obj) => void items.push(obj));
    return { ...meta, items };
  }

  /**
   * As {@link list}, but each matching object goes to `visit` as it is decoded, so a caller
   * that turns objects into something smaller (Table rows) never holds them all.
   */
  async visit(
    t: ResourceType,
    namespace: string,
    params: ListParams,
    visit: (obj: KubeObject, stored: KeyValue) => void,
    decode: (t: ResourceType, kv: KeyValue) => KubeObject = decodeObject,
  ): Promise<Omit<ObjectList, "items">> {
    const filtering = Boolean(params.labelSelector || params.fieldSelector);
    const limit = params.limit && params.limit > 0 ? params.limit : 0;
    let matched = 0;
    return this.pages(t, namespace, params, (page) => {
      for (const kv of page.items) {
        const obj = decode(t, kv);
        if (filtering && !matchesSelectors(t, obj, params)) continue;
        visit(obj, kv);
        matched++;
      }
      return { done: Boolean(limit && matched >= limit), result: { resourceVersion: "" } as Omit<ObjectList, "items">, matched };
    }, filtering);
  }

  /**
   * The fast path for unfiltered lists of types stored in their API shape: the items' JSON as
   * string parts, comma-separated, each the stored text with its resourceVersion spliced in,
   * never parsed. Undefined otherwise.
   */
  async listJson(t: ResourceType, namespace: string, params: ListParams): Promise<(Omit<ObjectList, "items"> & { itemParts: string[] }) | undefined> {
    if (params.labelSelector || params.fieldSelector || t.fromStorage) return undefined;
    const itemParts: string[] = [];
    return this.pages(t, namespace, params, (page) => {
      for (const kv of page.items) {
        if (itemParts.length > 0) itemParts.push(",");
        pushListItem(t, kv, itemParts);
      }
      return { done: true, result: { itemParts, resourceVersion: "" } };
    }, false);
  }

  /**
   * An unlimited list read `pageSize` entries at a time, every page at the revision of the
   * first, so that a response can be sent while it is read. Selectors are not applied.
   */
  async kvPages(t: ResourceType, namespace: string, params: ListParams, pageSize: number): Promise<KvPages> {
    const prefix = listPrefix(t, namespace);
    try {
      const revision = await this.readRevision(params.resourceVersion, params.resourceVersionMatch);
      const page = await this.store.list(prefix, { limit: pageSize, revision });
      let token = page.continue;
      const next = async () => {
        if (!token) return null;
        const more = await this.store.list(prefix, { limit: pageSize, continue: token }).catch((err) => {
          throw translateStoreError(err);
        });
        token = more.continue;
        return more.items;
      };
      return { resourceVersion: String(page.revision), first: page.items, next: token ? next : undefined };
    } catch (err) {
      throw translateStoreError(err);
    }
  }

  /** Reads store pages until `take` says done or the prefix is exhausted. */
  private async pages<R extends { resourceVersion: string; continue?: string; remainingItemCount?: number }>(
    t: ResourceType,
    namespace: string,
    params: ListParams,
    take: (page: ListResult) => { done: boolean; result: R; matched?: number },
    filtering: boolean,
  ): Promise<R> {
    if (params.continue && params.resourceVersion && params.resourceVersion !== "0") {
      throw badRequest("specifying resource version is not allowed when using continue");
    }
    const revision = params.continue ? undefined : await this.readRevision(params.resourceVersion, params.resourceVersionMatch);
    const prefix = listPrefix(t, namespace);
    const limit = params.limit && params.limit > 0 ? params.limit : 0;
    let token = params.continue;
    let snapshot = revision;
    let collected = 0;
    try {
      for (;;) {
        // Never read more than the items still wanted, so the page ends exactly at `limit`.
        const page = await this.store.list(prefix, { limit: limit ? Math.max(limit - collected, 1) : 0, continue: token, revision: snapshot });
        snapshot = page.revision;
        const { done, result, matched } = take(page);
        collected = matched ?? collected + page.items.length;
        token = page.continue;
        if (!token || done || !filtering) {
          result.resourceVersion = String(page.revision);
          if (token) {
            result.continue = token;
            if (!filtering && page.remainingItemCount !== undefined) result.remainingItemCount = page.remainingItemCount;
          }
          return result;
        }
      }
    } catch (err) {
      if (err instanceof InvalidContinueError) throw badRequest(`continue key is not valid: ${err.message}`);
      if (err instanceof CompactedError && params.continue) {
        const expired = continueExpired();
        if (err.freshContinue) (expired.status as unknown as { metadata: Record<string, string> }).metadata = { continue: err.freshContinue };
        throw expired;
      }
      throw translateStoreError(err);
    }
  }

  /** Maps resourceVersion + resourceVersionMatch onto a store revision (undefined = latest). */
  async readRevision(resourceVersion: string | undefined, match: string | undefined): Promise<number | undefined> {
    const invalidMatch = (error: FieldError) => invalid("meta.k8s.io", "ListOptions", "", [error]);
    if (match && !["Exact", "NotOlderThan"].includes(match)) {
      throw invalidMatch({ type: "FieldValueNotSupported", field: "resourceVersionMatch", value: match, detail: 'supported values: "Exact", "NotOlderThan", ""' });
    }
    if (!resourceVersion) {
      if (match) throw invalidMatch({ type: "FieldValueForbidden", field: "resourceVersionMatch", detail: "resourceVersionMatch is forbidden unless resourceVersion is provided" });
      return undefined;
    }
    const rv = parseResourceVersion(resourceVersion);
    if (match === "Exact") {
      if (rv === 0) throw invalidMatch({ type: "FieldValueForbidden", field: "resourceVersionMatch", detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });
      return rv;
    }
    if (rv > 0) {
      const current = await this.store.currentRevision();
      if (rv > current) throw tooLargeResourceVersion(rv, current);
    }
    return undefined;
  }
}

/** 504 Timeout with the ResourceVersionTooLarge cause that client-go's reflector looks for. */
export function tooLargeResourceVersion(requested: number, current: number) {
  const err = timeoutError(`Timeout: Too large resource version: ${requested}, current: ${current}`);
  err.status.details = { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 };
  return err;
}

/** Parses a resourceVersion string; 400 when it is not a number. */
export function parseResourceVersion(resourceVersion: string): number {
  if (!/^\d+$/.test(resourceVersion)) throw badRequest(`invalid resource version: ${resourceVersion}`);
  return Number(resourceVersion);
}

/** Store errors that can reach a reader, as Status errors. */
export function translateStoreError(err: unknown): unknown {
  if (err instanceof CompactedError) {
    return resourceExpired(`too old resource version: ${err.requestedRevision} (${err.compactedRevision})`);
  }
  if (err instanceof FutureRevisionError) return tooLargeResourceVersion(err.requestedRevision, err.currentRevision);
  return err;
}
