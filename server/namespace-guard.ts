// Admission for namespaced creates: the namespace must exist and must not be terminating.
import { forbidden, notFound } from "../api/status.ts";
import type { Catalog } from "./registry/catalog.ts";
import { typePrefix, type ObjectReader } from "./registry/object-store.ts";
import type { ResourceType } from "./registry/resource-type.ts";

/** Throws 404 for a missing namespace and 403 for one being deleted. */
export function namespaceLifecycle(catalog: Catalog, reader: ObjectReader) {
  const namespaces = catalog.lookup("", "v1", "namespaces")!;
  // Whether each namespace looked up is terminating, so that a create does not read and parse
  // its namespace (~10 µs of each pod create). Any namespace write empties it as the write is
  // published, before its caller or anyone else hears of it, so it never holds a state older
  // than one a caller can have seen; a read that such a write overtook is not kept.
  const terminating = new Map<string, boolean>();
  let namespaceWrites = 0;
  reader.store.observe(typePrefix(namespaces), () => {
    terminating.clear();
    namespaceWrites++;
  });
  return async (namespace: string, t: ResourceType, name: string): Promise<void> => {
    let beingDeleted = terminating.get(namespace);
    if (beingDeleted === undefined) {
      const writesBefore = namespaceWrites;
      const kv = await reader.getKv(namespaces, "", namespace);
      if (!kv) throw notFound({ group: "", resource: "namespaces" }, namespace);
      const ns = JSON.parse(kv.value);
      beingDeleted = Boolean(ns.metadata?.deletionTimestamp || ns.status?.phase === "Terminating");
      if (namespaceWrites === writesBefore) terminating.set(namespace, beingDeleted);
    }
    if (beingDeleted) {
      const err = forbidden({ group: t.group, resource: t.resource }, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      err.status.details!.causes = [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }];
      throw err;
    }
  };
}
