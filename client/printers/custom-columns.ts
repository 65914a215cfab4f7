// `-o custom-columns=HEADER:path,…` and `-o custom-columns-file=FILE`: one row per object,
// `<none>` where a path finds nothing, several values joined by commas.

import { readFileSync } from "node:fs";
import { findResults } from "../jsonpath/eval.ts";
import { JsonPathTemplate } from "../jsonpath/index.ts";
import { parseTemplate, type TemplateNode } from "../jsonpath/parser.ts";
import { relaxedJsonPath } from "./sort.ts";
import { TabWriter } from "./tabwriter.ts";

/** One column: its header and compiled path. */
export interface CustomColumn {
  header: string;
  nodes: TemplateNode[];
}

/** Parses `NAME:.metadata.name,IMAGE:.spec.containers[*].image`. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === "") throw new Error("custom-columns format specified but no custom columns given");
  return spec.split(",").map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return column(part.slice(0, colon), part.slice(colon + 1));
  });
}

/** Reads a custom-columns file: a line of headers, then a line of paths. */
export function parseCustomColumnsFile(path: string): CustomColumn[] {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
  const headers = (lines[0] ?? "").trim().split(/\s+/).filter(Boolean);
  const paths = (lines[1] ?? "").trim().split(/\s+/).filter(Boolean);
  if (headers.length !== paths.length) throw new Error(`number of headers (${headers.length}) and field specifications (${paths.length}) don't match`);
  return headers.map((h, i) => column(h, paths[i]!));
}

function column(header: string, path: string): CustomColumn {
  const expr = relaxedJsonPath(path);
  new JsonPathTemplate(expr);
  return { header, nodes: parseTemplate(expr) };
}

/** Renders the objects (list items already expanded) under the columns' headers. */
export function renderCustomColumns(columns: CustomColumn[], objects: unknown[], noHeaders: boolean): string {
  const tw = new TabWriter();
  if (!noHeaders) tw.add(columns.map((c) => c.header));
  for (const obj of objects) {
    tw.add(
      columns.map((c) => {
        const results = findResults(c.nodes, obj, { allowMissingKeys: true });
        const values = results.flat();
        return values.length === 0 || !results[0]?.length ? "<none>" : values.map(goSprint).join(",");
      }),
    );
  }
  return tw.flush();
}

// fmt.Sprint of decoded JSON: maps as map[k:v], slices as [a b], nil as <nil>.
function goSprint(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(" ")}]`;
  const keys = Object.keys(v).sort();
  return `map[${keys.map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`).join(" ")}]`;
}
