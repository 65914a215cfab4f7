// Reads typed objects from the revisioned store: keys, get, and list with selectors,
// pagination and resourceVersion rules. Decoding lives in stored-form.ts.
import type { KeyValue, ListResult, Store } from "../../store/index.ts";
import { CompactedError, FutureRevisionError, InvalidContinueError } from "../../store/index.ts";
import { badRequest, continueExpired, invalid, notFound, resourceExpired, timeoutError, type FieldError } from "../../api/status.ts";
import type { FieldSelector } from "../../api/field-selector.ts";
import type { LabelSelector } from "../../api/label-selector.ts";
import { matchFields } from "../../api/field-selector.ts";
import { matchLabels } from "../../api/label-selector.ts";
import type { KubeObject, ResourceType } from "./resource-type.ts";

import { decodeWithoutManagedFields, decodeObject, pushListItem } from "./stored-form.ts";

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
    return (await this.getEntry(t, namespace, name, resourceVersion)).object;
  }

  /** The object and the stored entry it was decoded from, or a 404 Status. */
  async getEntry(t: ResourceType, namespace: string, name: string, resourceVersion?: string): Promise<{ kv: KeyValue; object: KubeObject }> {
    const kv = await this.getKv(t, namespace, name, resourceVersion);
    if (!kv) throw notFound({ group: t.group, resource: t.resource }, name);
    return { kv, object: decodeObject(t, kv) };
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
    const meta = await this.visit(t, namespace, params, (kv, obj) => void items.push(obj ?? decodeObject(t, kv)));
    return { ...meta, items };
  }

  /**
   * As {@link list}, but each matching entry goes to `visit` as it is read, so a caller that
   * turns objects into something smaller (Table rows, JSON text) never holds them all. Entries
   * are decoded (with `decode`) only to match selectors; `visit` gets that object when there was one.
   */
  async visit(
    t: ResourceType,
    namespace: string,
    params: ListParams,
    visit: (stored: KeyValue, decoded: KubeObject | undefined) => void,
    decode: (t: ResourceType, kv: KeyValue) => KubeObject = decodeObject,
  ): Promise<Omit<ObjectList, "items">> {
    const filtering = Boolean(params.labelSelector || params.fieldSelector);
    const limit = params.limit && params.limit > 0 ? params.limit : 0;
    let matched = 0;
    return this.pages(t, namespace, params, (page) => {
      for (const kv of page.items) {
        const obj = filtering ? decode(t, kv) : undefined;
        if (obj && !matchesSelectors(t, obj, params)) continue;
        visit(kv, obj);
        matched++;
      }
      return { done: Boolean(limit && matched >= limit), result: { resourceVersion: "" } as Omit<ObjectList, "items">, matched };
    }, filtering);
  }

  /**
   * A list page's items as JSON string parts, comma-separated, each spliced from the stored
   * text (see pushListItem). Selectors are matched on objects decoded for display.
   */
  async listJson(t: ResourceType, namespace: string, params: ListParams): Promise<Omit<ObjectList, "items"> & { itemParts: string[] }> {
    const itemParts: string[] = [];
    const push = (kv: KeyValue) => {
      if (itemParts.length > 0) itemParts.push(",");
      pushListItem(t, kv, itemParts);
    };
    return { ...(await this.visit(t, namespace, params, push, decodeWithoutManagedFields)), itemParts };
  }

  /**
   * An unlimited list read `pageSize` entries at a time, every page at the revision of the
   * first, so that a response can be sent while it is read. Selectors are not applied.
   */
  async kvPages(t: ResourceType, namespace: string, params: ListParams, pageSize: number): Promise<KvPages> {
    const prefix = listPrefix(t, namespace);
    try {
      const revision = await this.readRevision(params.resourceVersion, params.resourceVersionMatch);
      // Every page is read, so none needs the count of those after it.
      const page = await this.store.list(prefix, { limit: pageSize, revision, countRemaining: false });
      let token = page.continue;
      const next = async () => {
        if (!token) return null;
        const more = await this.store.list(prefix, { limit: pageSize, continue: token, countRemaining: false }).catch((err) => {
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
