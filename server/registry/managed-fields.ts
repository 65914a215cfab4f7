// The field manager hook of the registry: metadata.managedFields kept up to date on every
// create and update that names a manager, as kube-apiserver records them.
import { emptySet, insertPath, updateManagedFields, type FieldSet, type ManagedContext } from "../../api/apply/index.ts";
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
