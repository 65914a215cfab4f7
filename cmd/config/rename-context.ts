// `kapi config rename-context OLD NEW`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet, usageFailure } from "./common.ts";

export const spec: CommandSpec = {
  name: "rename-context",
  short: "Rename a context from the kubeconfig file",
  long: "Renames a context from the kubeconfig file.\n\n CONTEXT_NAME is the context name that you want to change.\n\n NEW_NAME is the new name you want to set.\n\n Note: If the context being renamed is the 'current-context', this field will also be updated.",
  usage: "CONTEXT_NAME NEW_NAME",
  examples: "  # Rename the context 'old-name' to 'new-name' in your kubeconfig file\n  kapi config rename-context old-name new-name",
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length !== 2) return usageFailure(ctx, spec, `Unexpected args: [${ctx.args.join(" ")}]`);
  const [from, to] = ctx.args as [string, string];
  const set = await configSet(ctx);
  const file = set.origin.contexts.get(from);
  if (!file) throw new Error(`cannot rename the context ${JSON.stringify(from)}, it's not in ${set.files.map((f) => f.path).join(", ")}`);
  if (set.origin.contexts.has(to)) throw new Error(`cannot rename the context ${JSON.stringify(from)}, the context ${JSON.stringify(to)} already exists in ${set.origin.contexts.get(to)}`);
  const { removeEntry, setEntry, updateFile } = await import("../../client/kubeconfig-edit.ts");
  const entry = set.merged.contexts!.find((c) => c.name === from)!;
  await updateFile(set, file, (doc) => {
    removeEntry(doc, "contexts", from);
    setEntry(doc, "contexts", { name: to, value: entry.value });
    if (doc.currentContext === from) doc.currentContext = to;
  });
  writeStdout(`Context ${JSON.stringify(from)} renamed to ${JSON.stringify(to)}.\n`);
  return 0;
}
