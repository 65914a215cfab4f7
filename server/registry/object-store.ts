// Reads typed objects from the revisioned store: keys, decoding (resourceVersion comes from
// the store's revision), get, and list with selectors, pagination and resourceVersion rules.
import type { KeyValue, Store } from "../../store/index.ts";
import { CompactedError, FutureRevisionError, InvalidContinueError } from "../../store/index.ts";
import { badRequest, continueExpired, notFound, resourceExpired, timeoutError } from "../../api/status.ts";
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
    if (params.continue && params.resourceVersion && params.resourceVersion !== "0") {
      throw badRequest("specifying resource version is not allowed when using continue");
    }
    const revision = params.continue ? undefined : await this.readRevision(params.resourceVersion, params.resourceVersionMatch);
    const prefix = listPrefix(t, namespace);
    const filtering = Boolean(params.labelSelector || params.fieldSelector);
    const limit = params.limit && params.limit > 0 ? params.limit : 0;
    const items: KubeObject[] = [];
    let token = params.continue;
    let snapshot = revision;
    try {
      for (;;) {
        const want = limit ? limit - items.length : 0;
        const page = await this.store.list(prefix, { limit: want, continue: token, revision: snapshot });
        snapshot = page.revision;
        for (const kv of page.items) {
          const obj = decodeObject(t, kv);
          if (!filtering || matchesSelectors(t, obj, params)) items.push(obj);
        }
        token = page.continue;
        if (!token || (limit && items.length >= limit)) {
          const result: ObjectList = { items, resourceVersion: String(page.revision) };
          if (token) {
            result.continue = token;
            if (!filtering && page.remainingItemCount !== undefined) result.remainingItemCount = page.remainingItemCount;
          }
          return result;
        }
      }
    } catch (err) {
      if (err instanceof InvalidContinueError) throw badRequest(`continue key is not valid: ${err.message}`);
      if (err instanceof CompactedError && params.continue) throw continueExpired();
      throw translateStoreError(err);
    }
  }

  /** Maps resourceVersion + resourceVersionMatch onto a store revision (undefined = latest). */
  async readRevision(resourceVersion: string | undefined, match: string | undefined): Promise<number | undefined> {
    if (match && !["Exact", "NotOlderThan"].includes(match)) {
      throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    }
    if (!resourceVersion) {
      if (match) throw badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
      return undefined;
    }
    const rv = parseResourceVersion(resourceVersion);
    if (match === "Exact") {
      if (rv === 0) throw badRequest("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
      return rv;
    }
    if (rv > 0) {
      const current = await this.store.currentRevision();
      if (rv > current) throw timeoutError(`Too large resource version: ${rv}, current: ${current}`);
    }
    return undefined;
  }
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
  if (err instanceof FutureRevisionError) {
    return timeoutError(`Too large resource version: ${err.requestedRevision}, current: ${err.currentRevision}`);
  }
  return err;
}
