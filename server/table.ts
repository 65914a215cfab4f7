// Table and PartialObjectMetadata representations of objects and lists.
import type { KubeObject, ResourceType } from "./registry/resource-type.ts";
import { printerFor } from "./printers/index.ts";

/** Which object each Table row embeds (`includeObject`). */
export type IncludeObject = "None" | "Metadata" | "Object";

/** ListMeta fields carried over to a Table. */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A PartialObjectMetadata for one object. */
export function partialObject(obj: KubeObject, version = "v1"): KubeObject {
  return { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** A PartialObjectMetadataList for a list. */
export function partialList(items: KubeObject[], meta: TableListMeta, version = "v1"): KubeObject {
  return { kind: "PartialObjectMetadataList", apiVersion: `meta.k8s.io/${version}`, metadata: meta, items: items.map((o) => partialObject(o, version)) };
}

/** Builds a meta.k8s.io Table for objects of one type. */
export function toTable(t: ResourceType, items: KubeObject[], meta: TableListMeta, opts: { version: string; includeObject: IncludeObject; noHeaders?: boolean }): KubeObject {
  const printer = printerFor(t.group, t.resource);
  const now = new Date();
  const rows = items.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (opts.includeObject === "Metadata") row.object = partialObject(obj, opts.version);
    else if (opts.includeObject === "Object") row.object = obj;
    return row;
  });
  const table: KubeObject = { kind: "Table", apiVersion: `meta.k8s.io/${opts.version}`, metadata: meta };
  if (!opts.noHeaders) table.columnDefinitions = printer.columns;
  table.rows = rows;
  return table;
}
