// Table and PartialObjectMetadata representations of objects and lists.
import type { KubeObject, ResourceType } from "./registry/resource-type.ts";
import { printerFor } from "./printers/index.ts";
import type { KeyValue } from "../store/index.ts";
import { decodeWithoutManagedFields, decodeObject, pushStoredMetadata, storedObjectJson } from "./registry/stored-form.ts";
import { rowCellsJson } from "./table-cells.ts";

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

export type TableOptions = { version: string; includeObject: IncludeObject; noHeaders?: boolean };

/** Builds a meta.k8s.io Table for objects of one type. */
export function toTable(t: ResourceType, items: KubeObject[], meta: TableListMeta, opts: TableOptions): KubeObject {
  const rows = tableRows(t, opts);
  const table: KubeObject = { kind: "Table", apiVersion: `meta.k8s.io/${opts.version}`, metadata: meta };
  if (!opts.noHeaders) table.columnDefinitions = printerFor(t.group, t.resource).columns;
  table.rows = items.map(rows);
  return table;
}

/** Turns objects of type t into Table rows, one at a time. */
export function tableRows(t: ResourceType, opts: TableOptions): (obj: KubeObject) => Record<string, unknown> {
  const printer = printerFor(t.group, t.resource);
  const now = new Date();
  return (obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (opts.includeObject === "Metadata") row.object = partialObject(obj, opts.version);
    else if (opts.includeObject === "Object") row.object = obj;
    return row;
  };
}

/**
 * Turns objects of type t into the JSON of their Table rows (what JSON.stringify of a
 * tableRows row gives), pushed to `parts` in pieces. With the object's stored entry, the
 * embedded object or metadata is cut from the stored text instead of encoded again (it is
 * most of a row), and pushed as the slice it is, never copied into a joined string; the cells
 * may be ones kept for the entry's revision (see table-cells.ts), and the object is then only
 * decoded from the entry (for display) when they are not. Without the entry, `obj` is required.
 */
export function tableRowJson(t: ResourceType, opts: TableOptions): (obj: KubeObject | undefined, stored: KeyValue | undefined, parts: string[]) => void {
  const printer = printerFor(t.group, t.resource);
  const now = new Date();
  const partialHead = `,"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/${opts.version}","metadata":`;
  return (given, stored, parts) => {
    let obj = given;
    const object = () => (obj ??= decodeWithoutManagedFields(t, stored!));
    parts.push(rowCellsJson(t, printer, now, stored, object));
    if (opts.includeObject === "Metadata") {
      parts.push(partialHead);
      if (!stored || !pushStoredMetadata(t, stored, parts)) parts.push(JSON.stringify(object().metadata));
      parts.push("}}");
    } else if (opts.includeObject === "Object") {
      const whole = stored && storedObjectJson(t, stored);
      parts.push(',"object":', ...(whole ?? [JSON.stringify(given ?? decodeObject(t, stored!))]), "}");
    } else {
      parts.push("}");
    }
  };
}

/**
 * A Table list's JSON as string parts, the same text JSON.stringify(toTable(…)) gives, built
 * row by row: `fill` hands each stored entry (with its object, when it was decoded for display
 * already) to the callback, and resolves to the list metadata.
 */
export async function tableJsonParts(
  t: ResourceType,
  opts: TableOptions,
  fill: (row: (stored: KeyValue, decoded: KubeObject | undefined) => void) => Promise<TableListMeta>,
): Promise<string[]> {
  const toRow = tableRowJson(t, opts);
  const parts: string[] = [];
  const meta = await fill((stored, decoded) => {
    if (parts.length > 0) parts.push(",");
    toRow(decoded, stored, parts);
  });
  return [tableJsonHead(t, opts, meta), ...parts, "]}"];
}

/** A Table's JSON up to the opening bracket of its rows; the rows and `]}` follow. */
export function tableJsonHead(t: ResourceType, opts: TableOptions, meta: TableListMeta): string {
  const head: KubeObject = { kind: "Table", apiVersion: `meta.k8s.io/${opts.version}`, metadata: meta };
  if (!opts.noHeaders) head.columnDefinitions = printerFor(t.group, t.resource).columns;
  const headJson = JSON.stringify(head);
  return `${headJson.slice(0, -1)},"rows":[`;
}
