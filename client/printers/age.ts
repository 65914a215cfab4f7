// Ages as kubectl shows them (`45s`, `3m20s`, `5h`, `2d3h`), and the NAME/AGE table kubectl
// falls back to when the server answers a Table request with a plain object or list.

import type { ServerTable } from "./table.ts";

/** A duration in milliseconds, rounded the way kubectl's HumanDuration rounds. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  if (h < 24 * 365 * 8) {
    const d = Math.floor(h / 24) % 365;
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${y}y`;
}

type Obj = Record<string, unknown>;

/** The response as a Table: itself when it is one, else NAME and AGE rows from the object(s). */
export function asTable(response: Obj, now = Date.now()): ServerTable {
  if (response.kind === "Table") return response as unknown as ServerTable;
  const items = Array.isArray(response.items) ? (response.items as Obj[]) : [response];
  return {
    kind: "Table",
    metadata: (response.metadata ?? {}) as ServerTable["metadata"],
    columnDefinitions: [
      { name: "Name", type: "string", format: "name" },
      { name: "Age", type: "string" },
    ],
    rows: items.map((item) => {
      const meta = (item.metadata ?? {}) as { name?: string; creationTimestamp?: string };
      const created = meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : NaN;
      return { cells: [meta.name ?? "", Number.isNaN(created) ? "<unknown>" : humanDuration(now - created)], object: item as never };
    }),
  };
}
