// Admission for namespaced creates: the namespace must exist and must not be terminating.
import { forbidden, notFound } from "../api/status.ts";
import type { Catalog } from "./registry/catalog.ts";
import type { ObjectReader } from "./registry/object-store.ts";
import type { ResourceType } from "./registry/resource-type.ts";

/** Throws 404 for a missing namespace and 403 for one being deleted. */
export function namespaceLifecycle(catalog: Catalog, reader: ObjectReader) {
  const namespaces = catalog.lookup("", "v1", "namespaces")!;
  return async (namespace: string, t: ResourceType, name: string): Promise<void> => {
    const kv = await reader.getKv(namespaces, "", namespace);
    if (!kv) throw notFound({ group: "", resource: "namespaces" }, namespace);
    const ns = JSON.parse(kv.value);
    if (ns.metadata?.deletionTimestamp || ns.status?.phase === "Terminating") {
      const err = forbidden({ group: t.group, resource: t.resource }, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      err.status.details!.causes = [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }];
      throw err;
    }
  };
}
