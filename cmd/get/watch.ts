// get -w / --watch-only: list (or get) first, print unless --watch-only, then watch from the
// list's resourceVersion ("0" for one named object, whose first event is skipped) and print
// each event until the server ends the stream, which ends the command with status 0.

import { StatusError } from "../../api/status.ts";
import type { ResourceInfo } from "../../client/builder.ts";
import { asTable } from "../../client/printers/age.ts";
import { createObjectPrinter, type ObjectPrinter } from "../../client/printers/object-printer.ts";
import { TablePrinter, type ServerTable } from "../../client/printers/table.ts";
import { TabWriter } from "../../client/printers/tabwriter.ts";
import { getObject, listPages, TABLE_ACCEPT, watchEvents } from "../../client/resource-requests.ts";
import { typeMetaOf } from "../../client/builder.ts";
import { goJson } from "../../client/printers/go-json.ts";
import { writeStdout } from "../../client/stdio.ts";
import type { GetOptions } from "./run.ts";

type Obj = Record<string, unknown>;

/** Runs the watch; returns the exit code. */
export async function runWatch(o: GetOptions): Promise<number> {
  const f = o.ctx.flags;
  const infos = o.build.infos;
  if (o.build.errors.length) throw o.build.errors[0];
  const kinds = new Set(infos.map((i) => `${i.mapping.group}/${i.mapping.resource}`));
  if (kinds.size > 1) throw new Error("you may only specify a single resource type");
  if (infos.length !== 1) throw new Error(`watch is only supported on individual resources and resource collections, but ${infos.length} resources were found`);
  const info = infos[0]!;
  const human = o.format === "" || o.format === "wide";
  const accept = human && f.bool("server-print") ? TABLE_ACCEPT : "application/json";
  const rest = await o.ctx.restClient();
  const events = f.bool("output-watch-events");
  const print = human ? tablePrinter(o, info) : objectPrinter(o, info, events);

  let rv = "0";
  const initial: Obj[] = [];
  if (info.name !== undefined) {
    initial.push(await getObject(rest, info, { accept }));
  } else {
    for await (const page of listPages(rest, info, { accept, chunkSize: o.chunkSize })) {
      initial.push(page);
      rv = String((page.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? "");
    }
  }
  if (!f.bool("watch-only")) for (const obj of initial) print(obj, events ? "ADDED" : undefined, true);

  // A watch of one object from resourceVersion 0 starts with a synthetic ADDED of what was
  // just printed; kubectl skips that first event (lists start after their revision instead).
  let skipFirst = info.name !== undefined;
  for await (const event of watchEvents(rest, info, rv, { accept })) {
    if (event.type === "ERROR") {
      throw StatusError.fromStatus(event.object) ?? new Error(JSON.stringify(event.object));
    }
    if (skipFirst) {
      skipFirst = false;
      continue;
    }
    print(event.object, events ? event.type : undefined, false);
  }
  return 0;
}

type Print = (obj: Obj, event: string | undefined, fromList: boolean) => void;

function tablePrinter(o: GetOptions, info: ResourceInfo): Print {
  const f = o.ctx.flags;
  const tw = new TabWriter();
  const printer = new TablePrinter(
    {
      wide: o.format === "wide",
      noHeaders: f.bool("no-headers"),
      showLabels: f.bool("show-labels"),
      labelColumns: f.list("label-columns"),
      withNamespace: o.allNamespaces && info.mapping.namespaced,
      kindPrefix: f.bool("show-kind") ? kindOf(info) : undefined,
    },
    tw,
  );
  return (obj, event) => {
    const table: ServerTable = asTable(obj);
    printer.print(table, event);
    writeStdout(tw.flush());
  };
}

function kindOf(info: ResourceInfo): string {
  const { kind } = typeMetaOf(info.mapping);
  return (info.mapping.group ? `${kind}.${info.mapping.group}` : kind).toLowerCase();
}

// Generic formats print each object on its own; list pages are split into their items.
function objectPrinter(o: GetOptions, info: ResourceInfo, events: boolean): Print {
  const f = o.ctx.flags;
  const printer: ObjectPrinter = createObjectPrinter(o.format, o.formatArg, {
    noHeaders: f.bool("no-headers"),
    allowMissingKeys: f.bool("allow-missing-template-keys"),
    showManagedFields: f.bool("show-managed-fields"),
  });
  const { apiVersion, kind } = typeMetaOf(info.mapping);
  const typed = (obj: Obj) => (obj.kind ? obj : { apiVersion, kind, ...obj });
  return (obj, event, fromList) => {
    const items = fromList && Array.isArray(obj.items) ? (obj.items as Obj[]) : [obj];
    for (const item of items) {
      if (events && o.format === "json") writeStdout(`${compactEvent(event!, typed(item))}\n`);
      else writeStdout(printer.print(events && o.format !== "name" ? { type: event, object: typed(item) } : typed(item)));
    }
  };
}

// kubectl writes watch events for -o json on one line, `type` before `object`.
function compactEvent(type: string, object: Obj): string {
  return `{"type":${JSON.stringify(type)},"object":${goJson(object, "")}}`;
}
