// The cells (and conditions) of Table rows, as JSON, kept per object revision so that listing the
// same objects again prints them without decoding them: decoding is most of a Table list's cost.
// A row depends on its object and on the time. It is kept only when the time shows in it as the
// object's age alone, which is filled in afresh each time the row is used; rows that read the
// clock otherwise (a pod's "(5m ago)" restart note, a running job's duration, an event's last
// seen) are printed anew every time.
import type { KeyValue } from "../store/index.ts";
import { DeferringClock, deferredAge } from "./printers/format.ts";
import { humanDuration, parseTimestamp } from "./printers/duration.ts";
import type { TablePrinter } from "./printers/index.ts";
import type { KubeObject, ResourceType } from "./registry/resource-type.ts";

/** What is kept of a row for one revision of its object. */
interface KeptRow {
  revision: number;
  /** The row's JSON before the age (all of it when it shows none); undefined when the row reads the time otherwise. */
  before: string | undefined;
  after: string;
  /** When the object was created (ms), for its age; undefined when the row shows no age. */
  createdAt: number | undefined;
}

/** Rows kept per resource type (a version may print differently); the oldest go first beyond this many. */
export const maxKeptRows = 32_768;
const kept = new WeakMap<ResourceType, Map<string, KeptRow>>();
const deferredAgeJson = JSON.stringify(deferredAge);
const deferredAgeEscaped = deferredAgeJson.slice(1, -1);

/**
 * The start of an object's Table row, `{"cells":[…]` and `,"conditions":[…]` when it has any,
 * at `now`. `decode` gives the object when the row has to be printed; with the object's stored
 * entry the row is kept for its revision, or taken from what was kept.
 */
export function rowCellsJson(t: ResourceType, printer: TablePrinter, now: Date, stored: KeyValue | undefined, decode: () => KubeObject): string {
  if (!stored) return printRow(printer, decode(), now);
  let rows = kept.get(t);
  if (!rows) kept.set(t, (rows = new Map()));
  let row = rows.get(stored.key);
  let obj: KubeObject | undefined;
  if (row?.revision !== stored.modRevision) {
    obj = decode();
    row = keepableRow(printer, obj, now, stored.modRevision);
    if (rows.size >= maxKeptRows && !rows.has(stored.key)) rows.delete(rows.keys().next().value!);
    rows.set(stored.key, row);
  }
  if (row.before === undefined) return printRow(printer, obj ?? decode(), now);
  // An age (humanDuration: digits, units, "<invalid>") needs no escaping inside its quotes.
  return row.createdAt === undefined ? row.before : `${row.before}"${humanDuration(now.getTime() - row.createdAt)}"${row.after}`;
}

function printRow(printer: TablePrinter, obj: KubeObject, now: Date): string {
  const conditions = printer.conditions?.(obj);
  return `{"cells":${JSON.stringify(printer.cells(obj, now))}${conditions ? `,"conditions":${JSON.stringify(conditions)}` : ""}`;
}

/** The row printed with its age deferred; without `before` when it depends on the time otherwise. */
function keepableRow(printer: TablePrinter, obj: KubeObject, now: Date, revision: number): KeptRow {
  const printedAnew: KeptRow = { revision, before: undefined, after: "", createdAt: undefined };
  const clock = new DeferringClock(now.getTime());
  const json = printRow(printer, obj, clock);
  if (clock.timeRead) return printedAnew;
  const at = json.indexOf(deferredAgeJson);
  if (at < 0) return json.includes(deferredAgeEscaped) ? printedAnew : { revision, before: json, after: "", createdAt: undefined };
  const after = json.slice(at + deferredAgeJson.length);
  const createdAt = parseTimestamp(clock.ageOf);
  // The placeholder must be one whole cell, once: not part of a longer string, not twice; an
  // unreadable timestamp ("<unknown>") is left to printing.
  if (after.includes(deferredAgeEscaped) || createdAt === undefined) return printedAnew;
  return { revision, before: json.slice(0, at), after, createdAt };
}
