// metadata.managedFields: one entry per (manager, operation, subresource[, apiVersion for
// updates]) with the set of fields it owns, encoded as fieldsV1, sorted as kube-apiserver
// sorts them (Apply before Update, then by time, manager, apiVersion, subresource).
import { difference, emptySet, fromFieldsV1, insertPath, isEmpty, toFieldsV1, union, type FieldSet } from "./field-set.ts";

/** The operations a managedFields entry records. */
export type Operation = "Apply" | "Update";

/** One decoded managedFields entry. */
export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** Who a manager is: appliers are the same whatever apiVersion they used. */
export function managerIdentity(e: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([e.manager, e.operation, e.operation === "Apply" ? "" : e.apiVersion, e.subresource ?? ""]);
}

/** How conflicts name a manager: `"name"`, `"name" with subresource "status"`, `"name" using v1`. */
export function describeManager(e: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">): string {
  let text = JSON.stringify(e.manager);
  if (e.subresource) text += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") text += ` using ${e.apiVersion}`;
  return text;
}

/**
 * Decodes an object's managedFields; undefined when they are absent, empty or malformed
 * (callers then fall back to the stored object's entries, as upstream does).
 */
export function decodeManagedFields(value: unknown): ManagerEntry[] | undefined {
  if (!Array.isArray(value) || !value.length) return undefined;
  const out: ManagerEntry[] = [];
  for (const raw of value) {
    if (!raw || typeof raw !== "object") return undefined;
    const e = raw as Record<string, unknown>;
    if (e.operation !== "Apply" && e.operation !== "Update") return undefined;
    if (e.fieldsType !== undefined && e.fieldsType !== "FieldsV1") return undefined;
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined ? emptySet() : fromFieldsV1(e.fieldsV1);
    } catch {
      return undefined;
    }
    out.push({
      manager: typeof e.manager === "string" ? e.manager : "",
      operation: e.operation,
      apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "",
      time: typeof e.time === "string" ? e.time : undefined,
      subresource: typeof e.subresource === "string" && e.subresource ? e.subresource : undefined,
      set,
    });
  }
  return out;
}

/** Encodes entries for metadata.managedFields, dropping empty ones, in upstream order. */
export function encodeManagedFields(entries: ManagerEntry[]): Record<string, unknown>[] {
  return entries
    .filter((e) => !isEmpty(e.set))
    .sort(compareEntries)
    .map((e) => {
      const out: Record<string, unknown> = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
      if (e.time) out.time = e.time;
      out.fieldsType = "FieldsV1";
      out.fieldsV1 = toFieldsV1(e.set);
      if (e.subresource) out.subresource = e.subresource;
      return out;
    });
}

function compareEntries(a: ManagerEntry, b: ManagerEntry): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const ta = a.time ? Date.parse(a.time) / 1000 : 0;
  const tb = b.time ? Date.parse(b.time) / 1000 : 0;
  if (ta !== tb) return ta - tb;
  for (const k of ["manager", "apiVersion", "subresource"] as const) {
    const x = a[k] ?? "";
    const y = b[k] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** metadata fields the server owns. */
export const serverMetadataFields = ["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"];

/** Fields the server owns, never attributed to a manager. */
export const serverOwnedFields: FieldSet = (() => {
  const s = emptySet();
  for (const top of ["apiVersion", "kind", "metadata"]) insertPath(s, [`f:${top}`]);
  for (const f of serverMetadataFields) insertPath(s, ["f:metadata", `f:${f}`]);
  return s;
})();

/** Removes server-owned fields from a manager's set. */
export function withoutServerFields(set: FieldSet): FieldSet {
  return difference(set, serverOwnedFields);
}

/** Update managers kept before the oldest are folded into one "ancient-changes" entry. */
export const maxUpdateManagers = 10;

/** Folds the oldest Update entries beyond the cap into "ancient-changes", as upstream does. */
export function capUpdateManagers(entries: ManagerEntry[], apiVersion: string): ManagerEntry[] {
  const updates = entries.filter((e) => e.operation === "Update" && !e.subresource).sort(compareEntries);
  if (updates.length <= maxUpdateManagers) return entries;
  const excess = updates.slice(0, updates.length - maxUpdateManagers + 1);
  const folded = excess.reduce<FieldSet>((acc, e) => union(acc, e.set), emptySet());
  const rest = entries.filter((e) => !excess.includes(e));
  const ancient = rest.find((e) => e.manager === "ancient-changes" && e.operation === "Update");
  if (ancient) ancient.set = union(ancient.set, folded);
  else rest.push({ manager: "ancient-changes", operation: "Update", apiVersion, time: excess[excess.length - 1].time, set: folded });
  return rest;
}
