// `kapi get` after flag validation: resolve the arguments with the builder, then fetch and
// print through the human (Table), generic or watch path.

import { buildInfos, formatErrors, type BuildResult } from "../../client/builder.ts";
import { UnsortableError } from "../../client/printers/sort.ts";
import { writeStderr } from "../../client/stdio.ts";
import { discoveryFor } from "../discovery.ts";
import type { CommandContext } from "../main.ts";

/** The options every path of get shares. */
export interface GetOptions {
  ctx: CommandContext;
  format: string;
  /** What follows `=` in `-o format=arg`. */
  formatArg: string;
  namespace: string;
  allNamespaces: boolean;
  sortBy: string;
  chunkSize: number;
  ignoreNotFound: boolean;
  subresource: string;
  build: BuildResult;
}

/** Runs get for a validated `-o` format. */
export async function runGet(ctx: CommandContext, format: string, formatArg: string): Promise<number> {
  const f = ctx.flags;
  const cfg = await ctx.clientConfig();
  const allNamespaces = f.bool("all-namespaces");
  const discovery = await discoveryFor(ctx);
  const build = await buildInfos(discovery, {
    args: ctx.args,
    filenames: f.list("filename"),
    recursive: f.bool("recursive"),
    namespace: cfg.namespace,
    allNamespaces,
    labelSelector: f.string("selector"),
    fieldSelector: f.string("field-selector"),
    command: "kapi get",
  });
  if (allNamespaces && build.infos.some((i) => i.name !== undefined && i.object === undefined)) {
    throw new Error("a resource cannot be retrieved by name across all namespaces");
  }
  if (f.string("subresource") && build.infos.some((i) => i.name === undefined)) throw new Error("subresource cannot be used when bulk resources are specified");
  const opts: GetOptions = {
    ctx,
    format,
    formatArg,
    namespace: cfg.namespace,
    allNamespaces,
    sortBy: f.string("sort-by"),
    chunkSize: f.string("sort-by") ? 0 : f.number("chunk-size"),
    ignoreNotFound: f.bool("ignore-not-found"),
    subresource: f.string("subresource"),
    build,
  };
  if (f.bool("watch") || f.bool("watch-only")) return (await import("./watch.ts")).runWatch(opts);
  const human = format === "" || format === "wide";
  let errors: Error[];
  try {
    errors = human ? await (await import("./human.ts")).printHuman(opts) : await (await import("./generic.ts")).printGeneric(opts);
  } catch (err) {
    if (!(err instanceof UnsortableError)) throw err;
    // kubectl's sorter gives up through klog.Fatalf: one `F…` log line, exit code 1.
    writeStderr(klogLine("F", "sorter.go:375", err.message));
    return 1;
  }
  const all = [...build.errors, ...errors];
  if (all.length === 0) return 0;
  writeStderr(formatErrors(all));
  return 1;
}

/** True for a NotFound StatusError (what --ignore-not-found drops). */
export function isNotFound(err: unknown): boolean {
  return (err as { name?: string; code?: number })?.name === "StatusError" && (err as { code: number }).code === 404;
}

/** A klog line: `Lmmdd hh:mm:ss.uuuuuu pid file:line] message`. */
function klogLine(level: string, source: string, message: string): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(d.getMonth() + 1)}${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, "0")}`;
  return `${level}${time} ${String(process.pid).padStart(7)} ${source}] ${message}\n`;
}
