// Server-side apply and managedFields bookkeeping for ordinary writes, following
// structured-merge-diff's updater: an Update takes ownership of what it changed (and takes
// it away from everyone else); an Apply owns exactly what its configuration sets, fails on
// fields another manager owns and it would change (unless forced), and removes the fields it
// applied before and no longer does when nobody else owns them.
import { difference, emptySet, formatPath, intersection, isEmpty, paths, recursiveDifference, union, type FieldSet } from "./field-set.ts";
import { capUpdateManagers, decodeManagedFields, describeManager, encodeManagedFields, managerIdentity, serverMetadataFields, withoutServerFields, type ManagerEntry } from "./managed-fields.ts";
import { mergeApplied, removeFields } from "./merge.ts";
import { rootShape } from "./shape.ts";
import { createdFieldsV1Json } from "./created-fields.ts";
import { compareObjects, deepEqual, fieldSetOf, withZeroFields, zeroObject, type Comparison } from "./walk.ts";
import type { TypeSchema } from "../schema/index.ts";

type JsonMap = Record<string, unknown> & { metadata?: Record<string, unknown> };

/** What the field manager needs to know about the object's type and the request. */
export interface ManagedContext {
  type: TypeSchema;
  apiVersion: string;
  /** Fields this endpoint resets and nobody owns through it (e.g. status on the main resource). */
  ignored?: FieldSet;
  subresource?: string;
  /** RFC 3339 time stamped on entries that changed. */
  now: string;
}

/** The configuration of an apply request does not fit the type. */
export class ApplyConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.length === 1 ? errors[0] : ["errors:", ...errors.map((e) => `  ${e}`)].join("\n"));
    this.name = "ApplyConfigError";
  }
}

/** One field another manager owns that an apply would change. */
export interface Conflict {
  manager: string;
  path: string;
}

/** An apply that would change fields other managers own (HTTP 409 unless forced). */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflictMessage(conflicts));
    this.name = "ApplyConflictError";
  }
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${conflicts[0].manager}: ${conflicts[0].path}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

function withoutManagedFields(obj: JsonMap | undefined): JsonMap | undefined {
  if (!obj) return undefined;
  const { managedFields, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

/** Top-level field names of an ignored set that holds only top-level fields (walks skip them). */
function topLevel(ignored: FieldSet | undefined): Set<string> | undefined {
  if (!ignored || ignored.children.size) return undefined;
  return new Set([...ignored.members].map((e) => e.slice(2)));
}

function compareIgnoring(ctx: ManagedContext, before: unknown, after: unknown): Comparison {
  const skip = topLevel(ctx.ignored);
  const c = compareObjects(rootShape(ctx.type), before, after, skip);
  if (skip || !ctx.ignored) return c;
  const ignored = ctx.ignored;
  return { added: recursiveDifference(c.added, ignored), modified: recursiveDifference(c.modified, ignored), removed: recursiveDifference(c.removed, ignored) };
}

function appliedFields(ctx: ManagedContext, config: JsonMap, errors: string[]): FieldSet {
  const skip = topLevel(ctx.ignored);
  const set = fieldSetOf(rootShape(ctx.type), config, errors, skip);
  return skip || !ctx.ignored ? set : recursiveDifference(set, ctx.ignored);
}

function finish(entries: ManagerEntry[], ctx: ManagedContext): Record<string, unknown>[] {
  return encodeManagedFields(capUpdateManagers(entries, ctx.apiVersion));
}

/**
 * The managedFields an ordinary write (create, update, non-apply patch) leaves on `next`:
 * `live` is the stored object (undefined on create). Entries `next` carries replace the
 * stored ones when valid, as a client may rewrite them.
 */
export function updateManagedFields(ctx: ManagedContext, live: JsonMap | undefined, next: JsonMap, manager: string): Record<string, unknown>[] {
  const given = decodeManagedFields(next.metadata?.managedFields);
  if (!live && !given) {
    const json = createdManagedFieldsJson(ctx, next, manager);
    return json === undefined ? [] : (JSON.parse(json) as Record<string, unknown>[]);
  }
  const entries = given ?? decodeManagedFields(live?.metadata?.managedFields) ?? [];
  const before = withZeroFields(ctx.type, withoutManagedFields(live) ?? {});
  const after = withZeroFields(ctx.type, withoutManagedFields(next)!);
  const compare = compareIgnoring(ctx, before, after);
  const changed = withoutServerFields(union(compare.modified, compare.added));
  const self = { manager, operation: "Update" as const, apiVersion: ctx.apiVersion, subresource: ctx.subresource };
  const id = managerIdentity(self);
  let mine = entries.find((e) => managerIdentity(e) === id);
  for (const e of entries) {
    if (e !== mine) e.set = difference(difference(e.set, changed), compare.removed);
  }
  if (!isEmpty(changed)) {
    if (!mine) entries.push((mine = { ...self, set: emptySet() }));
    mine.set = union(difference(mine.set, compare.removed), changed);
    mine.time = ctx.now;
  } else if (mine) {
    mine.set = difference(mine.set, compare.removed);
  }
  return finish(entries, ctx);
}

/** Whether a create of `next` starts its managedFields afresh: it carries no valid entries of its own. */
export function startsManagedFieldsAfresh(next: JsonMap): boolean {
  return decodeManagedFields(next.metadata?.managedFields) === undefined;
}

const topLevelServerFields = ["apiVersion", "kind"];
// metadata.managedFields is among them, so the walk never needs a copy of the object without it.
const metadataServerFields = new Set(serverMetadataFields);
const topLevelSkips = new WeakMap<FieldSet, Set<string>>();
const noIgnoredSkips = new Set(topLevelServerFields);

/** The top-level fields a create's walk leaves out: the server's, and those the endpoint resets. */
function createdTopLevelSkips(ignored: FieldSet | undefined): Set<string> {
  if (!ignored) return noIgnoredSkips;
  let skips = topLevelSkips.get(ignored);
  if (!skips) topLevelSkips.set(ignored, (skips = new Set([...topLevelServerFields, ...(topLevel(ignored) ?? [])])));
  return skips;
}

/**
 * The managedFields, as JSON text, of a create that starts them afresh: everything it sets is
 * `manager`'s (the common path, kept cheap). Undefined when the manager owns nothing.
 */
export function createdManagedFieldsJson(ctx: ManagedContext, next: JsonMap, manager: string): string | undefined {
  const skips = { top: createdTopLevelSkips(ctx.ignored), metadata: metadataServerFields };
  const fieldsV1 = createdFieldsV1Json(rootShape(ctx.type), next, zeroObject(ctx.type), skips);
  if (fieldsV1 === undefined) return undefined;
  const subresource = ctx.subresource ? `,"subresource":${JSON.stringify(ctx.subresource)}` : "";
  return `[{"manager":${JSON.stringify(manager)},"operation":"Update","apiVersion":${JSON.stringify(ctx.apiVersion)},"time":${JSON.stringify(ctx.now)},"fieldsType":"FieldsV1","fieldsV1":${fieldsV1}${subresource}}]`;
}

/** The outcome of an apply: the merged object (managedFields set) and whether it changed. */
export interface ApplyResult {
  object: JsonMap;
  changed: boolean;
}

/** Applies `config` for `manager` onto `live` (undefined when the object does not exist yet). */
export function applyConfiguration(ctx: ManagedContext, live: JsonMap | undefined, config: JsonMap, manager: string, force: boolean): ApplyResult {
  const shape = rootShape(ctx.type);
  const errors: string[] = [];
  const applied = withoutServerFields(appliedFields(ctx, config, errors));
  if (errors.length) throw new ApplyConfigError(errors);
  const entries = decodeManagedFields(live?.metadata?.managedFields) ?? [];
  const self = { manager, operation: "Apply" as const, apiVersion: ctx.apiVersion, subresource: ctx.subresource };
  const id = managerIdentity(self);
  const previous = entries.find((e) => managerIdentity(e) === id);
  const others = entries.filter((e) => e !== previous);
  const liveObj = withoutManagedFields(live) ?? {};
  let merged = mergeApplied(shape, liveObj, config) as JsonMap;
  if (previous) {
    const owned = others.reduce((acc, e) => union(acc, e.set), applied);
    const dropped = difference(previous.set, applied);
    if (!isEmpty(dropped)) merged = removeFields(shape, merged, dropped, owned) as JsonMap;
  }
  const compare = compareIgnoring(ctx, liveObj, merged);
  const changed = withoutServerFields(union(compare.modified, compare.added));
  const conflicts = findConflicts(others, changed);
  if (conflicts.length && !force) {
    // kubectl taking over from client-side apply may claim what its last-applied annotation names.
    const allowed = manager === "kubectl" ? lastAppliedFields(shape, live) : undefined;
    const blocking = conflicts.map((c) => ({ ...c, set: allowed ? difference(c.set, allowed) : c.set })).filter((c) => !isEmpty(c.set));
    if (blocking.length) throw new ApplyConflictError(blocking.flatMap(conflictList));
  }
  for (const e of others) e.set = difference(difference(e.set, changed), compare.removed);
  const mine: ManagerEntry = { ...self, set: applied, time: previous?.time };
  const objectChanged = !deepEqual(liveObj, merged) || !live;
  if (objectChanged || !previous) mine.time = ctx.now;
  syncLastApplied(manager, live, merged, config);
  const managedFields = finish([...others, mine], ctx);
  merged.metadata = { ...(merged.metadata ?? {}) };
  if (managedFields.length) merged.metadata.managedFields = managedFields;
  return { object: merged, changed: objectChanged };
}

interface ManagerConflict {
  entry: ManagerEntry;
  set: FieldSet;
}

function findConflicts(others: ManagerEntry[], changed: FieldSet): ManagerConflict[] {
  const out: ManagerConflict[] = [];
  for (const e of others) {
    const set = intersection(e.set, changed);
    if (!isEmpty(set)) out.push({ entry: e, set });
  }
  return out;
}

function conflictList(c: ManagerConflict): Conflict[] {
  return paths(c.set).map((p) => ({ manager: describeManager(c.entry), path: formatPath(p) }));
}

const lastAppliedKey = "kubectl.kubernetes.io/last-applied-configuration";

/** The fields of kubectl's last-applied annotation: kubectl may take those over on its first server-side apply. */
function lastAppliedFields(shape: ReturnType<typeof rootShape>, live: JsonMap | undefined): FieldSet | undefined {
  const text = (live?.metadata?.annotations as Record<string, unknown> | undefined)?.[lastAppliedKey];
  if (typeof text !== "string") return undefined;
  try {
    return fieldSetOf(shape, JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** kubectl's server-side applies keep an existing last-applied annotation in step with the config. */
function syncLastApplied(manager: string, live: JsonMap | undefined, merged: JsonMap, config: JsonMap): void {
  const annotations = live?.metadata?.annotations as Record<string, unknown> | undefined;
  if (manager !== "kubectl" || typeof annotations?.[lastAppliedKey] !== "string") return;
  const copy = JSON.parse(JSON.stringify(config)) as JsonMap;
  const configAnnotations = copy.metadata?.annotations as Record<string, unknown> | undefined;
  if (configAnnotations) delete configAnnotations[lastAppliedKey];
  const meta = (merged.metadata ??= {});
  meta.annotations = { ...((meta.annotations as object) ?? {}), [lastAppliedKey]: JSON.stringify(sortKeys(copy)) };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}
