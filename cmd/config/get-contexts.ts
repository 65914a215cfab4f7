// `kapi config get-contexts [NAME…] [-o name] [--no-headers]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet } from "./common.ts";

export const spec: CommandSpec = {
  name: "get-contexts",
  short: "Describe one or many contexts",
  long: "Display one or many contexts from the kubeconfig file.",
  usage: "[(-o|--output=)name)]",
  examples: "  # List all the contexts in your kubeconfig file\n  kapi config get-contexts\n\n  # Describe one context in your kubeconfig file\n  kapi config get-contexts my-context",
  flags: [
    { name: "no-headers", type: "bool", description: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: "output", short: "o", type: "string", description: "Output format. One of: (name)." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const output = ctx.flags.string("output");
  if (output !== "" && output !== "name") throw new Error(`output must be one of '' or 'name': ${output}`);
  const { merged } = await configSet(ctx);
  const contexts = merged.contexts ?? [];
  const wanted = ctx.args.length ? ctx.args : contexts.map((c) => c.name);
  const missing: string[] = [];
  const rows: string[][] = [];
  for (const name of wanted) {
    const c = contexts.find((e) => e.name === name);
    if (!c) {
      missing.push(name);
      continue;
    }
    const v = c.value as Record<string, string | undefined>;
    rows.push([name === merged.currentContext ? "*" : "", name, v.cluster ?? "", v.user ?? "", v.namespace ?? ""]);
  }
  if (output === "name") {
    writeStdout(rows.map((r) => `${r[1]}\n`).join(""));
  } else {
    const header = ctx.flags.bool("no-headers") ? [] : [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]];
    writeStdout(alignColumns([...header, ...rows]));
  }
  if (missing.length) throw new Error(missing.map((m) => `context ${m} not found`).join("\n"));
  return 0;
}

/** Go's tabwriter as kubectl configures it: minimum width 6, padding 3, last cell unpadded. */
export function alignColumns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) for (let i = 0; i < row.length - 1; i++) widths[i] = Math.max(widths[i] ?? 6, row[i]!.length + 3);
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join("") + "\n").join("");
}
