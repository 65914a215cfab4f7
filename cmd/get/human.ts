// get's default and `-o wide` output: the server renders Tables (Table Accept), kapi lays
// them out like kubectl, one table per resource type with a blank line between them.

import type { ResourceInfo } from "../../client/builder.ts";
import { asTable } from "../../client/printers/age.ts";
import { sortByField, relaxedJsonPath, UnsortableError } from "../../client/printers/sort.ts";
import { TablePrinter, type ServerTable, type TableOptions } from "../../client/printers/table.ts";
import { TabWriter } from "../../client/printers/tabwriter.ts";
import { getObject, listPages, TABLE_ACCEPT } from "../../client/resource-requests.ts";
import { kindPrefix } from "../../client/resources.ts";
import { writeStderr, writeStdout } from "../../client/stdio.ts";
import { isNotFound, type GetOptions } from "./run.ts";

type Obj = Record<string, unknown>;

/** Fetches and prints every info; returns the errors to report. */
export async function printHuman(o: GetOptions): Promise<Error[]> {
  const { fetched, errors } = await fetchTables(o);
  const f = o.ctx.flags;
  const sortBy = o.sortBy ? relaxedJsonPath(o.sortBy) : "";
  if (sortBy && fetched.length > 1) throw new Error(`couldn't find any field with path ${JSON.stringify(sortBy)} in the list of objects`);
  const kinds = new Set(fetched.map((r) => `${r.info.mapping.group}/${r.info.mapping.kind}`));
  const withKind = f.bool("show-kind") || kinds.size > 1;
  const base: TableOptions = {
    wide: o.format === "wide",
    noHeaders: f.bool("no-headers"),
    showLabels: f.bool("show-labels"),
    labelColumns: f.list("label-columns"),
  };
  const tw = new TabWriter();
  let out = "";
  let separate = false;
  let printer: TablePrinter | undefined;
  let last: string | undefined;
  const flush = () => {
    const text = tw.flush();
    if (text && separate) out += "\n";
    if (text) separate = false;
    out += text;
  };
  for (const { info, table } of fetched) {
    const key = `${info.mapping.group}/${info.mapping.version}/${info.mapping.resource}`;
    if (key !== last) {
      flush();
      tw.resetWidths();
      if (last && !base.noHeaders && out.length > 0) separate = true;
      printer = new TablePrinter({ ...base, withNamespace: o.allNamespaces && info.mapping.namespaced, kindPrefix: withKind ? kindPrefix(info.mapping) : undefined }, tw);
      last = key;
    }
    if (sortBy && !sortRows(table, sortBy)) continue;
    printer!.print(table);
  }
  flush();
  writeStdout(out);
  if (out === "" && !o.ignoreNotFound && errors.length === 0 && o.build.errors.length === 0) {
    const allNamespaced = !o.allNamespaces && fetched.every((r) => r.info.mapping.namespaced);
    writeStderr(allNamespaced ? `No resources found in ${o.namespace} namespace.\n` : "No resources found\n");
  }
  return errors;
}

interface Fetched {
  info: ResourceInfo;
  table: ServerTable;
}

async function fetchTables(o: GetOptions): Promise<{ fetched: Fetched[]; errors: Error[] }> {
  const rest = await o.ctx.restClient();
  const serverPrint = o.ctx.flags.bool("server-print");
  const accept = serverPrint ? TABLE_ACCEPT : "application/json";
  const query: Record<string, string> = o.sortBy && serverPrint ? { includeObject: "Object" } : {};
  const fetched: Fetched[] = [];
  const errors: Error[] = [];
  for (const info of o.build.infos) {
    try {
      if (info.name !== undefined) {
        const obj = await getObject(rest, info, { accept, query, subresource: o.subresource });
        fetched.push({ info, table: asTable(obj) });
      } else {
        for await (const page of listPages(rest, info, { accept, chunkSize: o.chunkSize, query })) fetched.push({ info, table: asTable(page as Obj) });
      }
    } catch (err) {
      if (o.ignoreNotFound && isNotFound(err)) continue;
      errors.push(err as Error);
    }
  }
  return { fetched, errors };
}

// kubectl prints nothing for a table whose rows all lack the sort field, and stops on
// values it cannot order.
function sortRows(table: ServerTable, expr: string): boolean {
  try {
    sortByField(table.rows, expr, (row) => row.object);
    return true;
  } catch (err) {
    if (err instanceof UnsortableError) throw err;
    return false;
  }
}
