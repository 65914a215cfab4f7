// The field manager hook of the registry: metadata.managedFields kept up to date on every
// create and update that names a manager, as kube-apiserver records them.
import { createdManagedFieldsJson, emptySet, insertPath, startsManagedFieldsAfresh, updateManagedFields, type FieldSet, type ManagedContext } from "../../api/apply/index.ts";
import { kindType } from "../../api/schema/index.ts";
import { nowTimestamp } from "./object-meta.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "./resource-type.ts";

const statusOnly: FieldSet = (() => {
  const s = emptySet();
  insertPath(s, ["f:status"]);
  return s;
})();

/**
 * The field-manager context of writes to `t` (through `subresource`): writes to the main
 * resource of a type with a status subresource never own status, as its strategy resets it.
 */
export function managedContext(t: ResourceType, subresource?: string): ManagedContext | undefined {
  const type = kindType(apiVersionOf(t), t.kind);
  if (!type) return undefined;
  const resetsStatus = !subresource && t.subresources.some((s) => s.name === "status");
  return { type, apiVersion: apiVersionOf(t), ignored: resetsStatus ? statusOnly : undefined, subresource, now: nowTimestamp() };
}

/** Records `manager`'s Update of `live` (undefined on create) into `next.metadata.managedFields`. */
export function trackManagedFields(t: ResourceType, live: KubeObject | undefined, next: KubeObject, manager: string, subresource?: string): void {
  const ctx = managedContext(t, subresource);
  if (!ctx) return;
  const fields = updateManagedFields(ctx, live, next, manager);
  if (fields.length) next.metadata.managedFields = fields;
  else delete next.metadata.managedFields;
}

/**
 * Records `manager`'s create of `next`. When the object starts its managedFields afresh (the
 * common case) they are returned as JSON text for encodeForStorage and left off the object:
 * made by the server, they need none of the checks a client's would. Otherwise they are
 * merged into `next.metadata.managedFields` and nothing is returned.
 */
export function trackCreatedManagedFields(t: ResourceType, next: KubeObject, manager: string): string | undefined {
  if (!startsManagedFieldsAfresh(next)) {
    trackManagedFields(t, undefined, next, manager);
    return undefined;
  }
  const ctx = managedContext(t);
  if (!ctx) return undefined;
  delete next.metadata.managedFields;
  return createdManagedFieldsJson(ctx, next, manager);
}
