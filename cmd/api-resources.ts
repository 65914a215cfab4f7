// `kapi api-resources`: the served resources from discovery, filtered and sorted as kubectl
// does (by group, then name; or by name or kind), as a table, `-o wide` or `-o name`.

import type { CommandContext, CommandSpec } from "./main.ts";
import { writeStdout } from "../client/stdio.ts";
import { discoveryFor } from "./discovery.ts";

export const spec: CommandSpec = {
  name: "api-resources",
  short: "Print the supported API resources on the server",
  long: "Print the supported API resources on the server.",
  examples: [
    "  # Print the supported API resources",
    "  kapi api-resources",
    "",
    "  # Print the supported API resources with more information",
    "  kapi api-resources -o wide",
    "",
    "  # Print the supported namespaced resources",
    "  kapi api-resources --namespaced=true",
  ].join("\n"),
  flags: [
    { name: "api-group", type: "string", description: "Limit to resources in the specified API group." },
    { name: "cached", type: "bool", description: "Use the cached list of resources if available." },
    { name: "categories", type: "stringSlice", description: "Limit to resources that belong to the specified categories." },
    { name: "namespaced", type: "bool", default: true, description: "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default." },
    { name: "no-headers", type: "bool", description: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: "output", short: "o", type: "string", description: "Output format. One of: (wide, name)." },
    { name: "sort-by", type: "string", description: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'." },
    { name: "verbs", type: "stringSlice", description: "Limit to resources that support the specified verbs." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (ctx.args.length > 0) throw ctx.usageError(`unexpected arguments: [${ctx.args.join(" ")}]`);
  const output = f.string("output");
  if (output !== "" && output !== "wide" && output !== "name") throw new Error(`--output ${output} is not available`);
  const sortBy = f.string("sort-by");
  if (sortBy !== "" && sortBy !== "name" && sortBy !== "kind") throw new Error("--sort-by accepts only name or kind");
  const discovery = await discoveryFor(ctx);
  if (!f.bool("cached")) await discovery.invalidate();
  const verbs = f.list("verbs");
  const categories = f.list("categories");
  const rows = (await discovery.preferredResources()).filter(
    (r) =>
      r.verbs.length > 0 &&
      (!f.changed("namespaced") || r.namespaced === f.bool("namespaced")) &&
      (!f.changed("api-group") || r.group === f.string("api-group")) &&
      verbs.every((v) => r.verbs.includes(v)) &&
      categories.every((c) => r.categories.includes(c)),
  );
  const key = (r: (typeof rows)[number]) => (sortBy === "name" ? r.resource : sortBy === "kind" ? r.kind : r.group);
  const ordered = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => compare(key(a.r), key(b.r)) || compare(a.r.resource, b.r.resource) || a.i - b.i)
    .map((x) => x.r);
  if (output === "name") {
    writeStdout(ordered.map((r) => `${r.group ? `${r.resource}.${r.group}` : r.resource}\n`).join(""));
    return 0;
  }
  const wide = output === "wide";
  const table: string[][] = [];
  if (!f.bool("no-headers")) table.push(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", ...(wide ? ["VERBS", "CATEGORIES"] : [])]);
  for (const r of ordered) {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const cells = [r.resource, r.shortNames.join(","), apiVersion, String(r.namespaced), r.kind];
    if (wide) cells.push([...r.verbs].sort().join(","), r.categories.join(","));
    table.push(cells);
  }
  const { alignColumns } = await import("./config/get-contexts.ts");
  writeStdout(alignColumns(table));
  return 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
