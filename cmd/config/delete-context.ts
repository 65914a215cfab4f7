// `kapi config delete-context NAME`: removes it from the file that defines it.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStderr, writeStdout } from "../../client/stdio.ts";
import { configSet, usageFailure } from "./common.ts";

export const spec: CommandSpec = {
  name: "delete-context",
  short: "Delete the specified context from the kubeconfig",
  long: "Delete the specified context from the kubeconfig.",
  usage: "NAME",
  examples: "  # Delete the context for the minikube cluster\n  kapi config delete-context minikube",
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length !== 1) return usageFailure(ctx, spec, `Unexpected args: [${ctx.args.join(" ")}]`);
  const name = ctx.args[0]!;
  const set = await configSet(ctx);
  const file = set.origin.contexts.get(name);
  if (!file) throw new Error(`cannot delete context ${name}, not in ${set.files.map((f) => f.path).join(", ")}`);
  if (set.merged.currentContext === name) writeStderr("warning: this removed your active context, use \"kapi config use-context\" to select a different one\n");
  const { removeEntry, updateFile } = await import("../../client/kubeconfig-edit.ts");
  await updateFile(set, file, (doc) => removeEntry(doc, "contexts", name));
  writeStdout(`deleted context ${name} from ${file}\n`);
  return 0;
}
