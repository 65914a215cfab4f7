// Small formatting helpers shared by the printers, each matching an upstream helper
// (labels.FormatLabels, metav1.FormatLabelSelector, net.JoinHostPort, ...).
import { translateTimestampSince } from "./duration.ts";

// `k=v` pairs sorted by key and joined with commas, as labels.Set.String writes them.
function labelsString(labels: Record<string, string> | undefined | null): string {
  if (!labels) return "";
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
}

/** labels.FormatLabels: the set's string, or "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  return labelsString(labels) || "<none>";
}

interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

function requirementString(key: string, op: string, values: string[]): string {
  const joined = values.length === 1 ? values[0] : [...values].sort().join(",");
  switch (op) {
    case "=":
      return `${key}=${joined}`;
    case "in":
      return `${key} in (${joined})`;
    case "notin":
      return `${key} notin (${joined})`;
    case "exists":
      return key;
    default:
      return `!${key}`;
  }
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, "" for a nil or
 * empty selector, undefined when the selector is invalid.
 */
export function labelSelectorString(selector: LabelSelector | undefined | null): string | undefined {
  if (!selector) return "";
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    reqs.push({ key, text: requirementString(key, "=", [value]) });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = expr.values ?? [];
    let op: string;
    switch (expr.operator) {
      case "In":
        op = "in";
        break;
      case "NotIn":
        op = "notin";
        break;
      case "Exists":
        op = "exists";
        break;
      case "DoesNotExist":
        op = "!";
        break;
      default:
        return undefined;
    }
    if ((op === "in" || op === "notin") && values.length === 0) return undefined;
    if ((op === "exists" || op === "!") && values.length > 0) return undefined;
    reqs.push({ key: expr.key, text: requirementString(expr.key, op, values) });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(",");
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return "<error>";
  return s || "<none>";
}

/** Container names and images, each joined with commas (layoutContainerCells). */
export function layoutContainerCells(containers: any[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c?.name ?? "").join(","), list.map((c) => c?.image ?? "").join(",")];
}

/** net.JoinHostPort: brackets IPv6 literals. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Sorted, de-duplicated values (sets.String.List). */
export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** Joins the first `max` items and appends " + N more..." as upstream list printers do. */
export function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(",");
  if (more) return `${ret} + ${count - max} more...`;
  return ret || "<unset>";
}

/** "True", "False" or "<unset>" (printBoolPtr). */
export function printBoolPtr(value: unknown): string {
  if (typeof value !== "boolean") return "<unset>";
  return value ? "True" : "False";
}

/** IntOrString.String(). */
export function intOrString(value: unknown): string {
  return typeof value === "number" ? String(Math.trunc(value)) : String(value ?? "");
}

/** A Quantity as stored; kapi keeps the canonical string the API layer produced. */
export function quantityString(value: unknown): string {
  if (value === undefined || value === null || value === "") return "0";
  return String(value);
}

/** Number of keys of a map-valued field. */
export function countKeys(value: unknown): number {
  return value && typeof value === "object" ? Object.keys(value).length : 0;
}

/** Length of an array-valued field. */
export function countItems(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** The first condition of the given type, as the Go loops over status.conditions find it. */
export function findCondition(conditions: any[] | undefined, type: string): any | undefined {
  return (conditions ?? []).find((c) => c?.type === type);
}

/** metadata.name, the first cell of every row. */
export function objectName(obj: any): string {
  return obj?.metadata?.name ?? "";
}

/** The AGE cell: time since metadata.creationTimestamp (a placeholder for a {@link DeferringClock}). */
export function objectAge(obj: any, now: Date): string {
  if (now instanceof DeferringClock) return now.deferAge(obj?.metadata?.creationTimestamp);
  return translateTimestampSince(obj?.metadata?.creationTimestamp, now);
}

/**
 * A `now` for printing a row to keep (server/table-cells.ts): objectAge answers it with
 * {@link deferredAge}, to be replaced by the age whenever the row is used, and any other read
 * of the time (printers read it through getTime) marks the row as not worth keeping.
 */
export class DeferringClock extends Date {
  /** The time was read for something other than the age. */
  timeRead = false;
  /** The creationTimestamp the deferred age is of, when objectAge was asked. */
  ageOf: string | undefined;
  private ages = 0;

  override getTime(): number {
    this.timeRead = true;
    return super.getTime();
  }

  override valueOf(): number {
    this.timeRead = true;
    return super.valueOf();
  }

  deferAge(creationTimestamp: unknown): string {
    // One age per row; a second would need a second placeholder.
    if (this.ages++ > 0 || typeof creationTimestamp !== "string") this.timeRead = true;
    else this.ageOf = creationTimestamp;
    return deferredAge;
  }
}

/** What objectAge answers a DeferringClock: a string no printer makes otherwise. */
export const deferredAge = "\u0000age\u0000";
