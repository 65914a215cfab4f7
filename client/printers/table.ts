// Printing the server's Table objects as kubectl prints them: uppercase headers, wide-only
// columns by priority, a NAMESPACE column for -A, `kind/name` when several kinds are shown,
// -L and --show-labels columns, an EVENT column for --output-watch-events. The header is
// printed once for as long as the column definitions stay the same.

import { goFormatNumber } from "../jsonpath/eval.ts";
import { TabWriter } from "./tabwriter.ts";

/** One column of a meta.k8s.io Table. */
export interface TableColumn {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
}

/** One row of a Table; `object` is PartialObjectMetadata (or the full object with includeObject=Object). */
export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;
}

/** A meta.k8s.io/v1 Table. */
export interface ServerTable {
  kind: "Table";
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

/** How tables are decorated. */
export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  /** Add NAMESPACE first (kubectl does for namespaced resources with -A). */
  withNamespace?: boolean;
  /** `pod`, `deployment.apps`: prefix for the name column when several kinds are listed. */
  kindPrefix?: string;
  showLabels?: boolean;
  /** -L keys. */
  labelColumns?: string[];
}

/** Prints tables of one resource type into a shared TabWriter. */
export class TablePrinter {
  private lastColumns = "";
  private lastColumnDefinitions: TableColumn[] = [];

  constructor(
    private readonly opts: TableOptions,
    private readonly out: TabWriter,
  ) {}

  /** Adds the table's rows (and the header when the columns changed); `event` adds the EVENT column. */
  print(table: ServerTable, event?: string): void {
    if (!table.rows?.length) return;
    // Watch events after the first carry rows without column definitions: reuse the last ones.
    const columns = table.columnDefinitions?.length ? table.columnDefinitions : this.lastColumnDefinitions;
    const key = JSON.stringify(columns);
    const newColumns = columns.length > 0 && key !== this.lastColumns;
    if (newColumns) this.lastColumns = key;
    this.lastColumnDefinitions = columns;
    const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => this.opts.wide || !c.priority);
    if (newColumns && !this.opts.noHeaders) this.out.add(this.header(shown.map(({ c }) => c), event !== undefined));
    const nameColumn = columns.findIndex((c) => c.format === "name");
    for (const row of table.rows) {
      const cells: string[] = [];
      if (event !== undefined) cells.push(event.padEnd(8));
      if (this.opts.withNamespace) cells.push(row.object?.metadata?.namespace ?? "");
      for (const { i } of shown) {
        let text = cellText(row.cells[i]);
        if (i === nameColumn && this.opts.kindPrefix) text = `${this.opts.kindPrefix}/${text}`;
        cells.push(text);
      }
      const labels = row.object?.metadata?.labels ?? {};
      for (const key of this.opts.labelColumns ?? []) cells.push(labels[key] ?? "");
      if (this.opts.showLabels) cells.push(formatLabels(labels));
      this.out.add(cells);
    }
  }

  private header(columns: TableColumn[], event: boolean): string[] {
    const h: string[] = [];
    if (event) h.push("EVENT");
    if (this.opts.withNamespace) h.push("NAMESPACE");
    h.push(...columns.map((c) => c.name.toUpperCase()));
    for (const key of this.opts.labelColumns ?? []) h.push(key.slice(key.lastIndexOf("/") + 1).toUpperCase());
    if (this.opts.showLabels) h.push("LABELS");
    return h;
  }
}

/** `a=1,b=2`, the `key=value` strings sorted, `<none>` when there are none. */
export function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.sort().join(",") : "<none>";
}

/** A cell as Go's fmt.Print shows the decoded JSON value. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFormatNumber(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(cellText).join(" ")}]`;
  const keys = Object.keys(v as object).sort();
  return `map[${keys.map((k) => `${k}:${cellText((v as Record<string, unknown>)[k])}`).join(" ")}]`;
}
