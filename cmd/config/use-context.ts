// `kapi config use-context NAME`: writes current-context to the first existing file.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet, usageFailure } from "./common.ts";

export const spec: CommandSpec = {
  name: "use-context",
  short: "Set the current-context in a kubeconfig file",
  long: "Set the current-context in a kubeconfig file.",
  usage: "CONTEXT_NAME",
  examples: "  # Use the context for the minikube cluster\n  kapi config use-context minikube",
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length !== 1) return usageFailure(ctx, spec, `Unexpected args: [${ctx.args.join(" ")}]`);
  const name = ctx.args[0]!;
  const set = await configSet(ctx);
  if (!set.merged.contexts?.some((c) => c.name === name)) throw new Error(`no context exists with the name: ${JSON.stringify(name)}`);
  if (set.merged.currentContext !== name) {
    const { updateFile } = await import("../../client/kubeconfig-edit.ts");
    await updateFile(set, set.defaultFile, (doc) => {
      doc.currentContext = name;
    });
  }
  writeStdout(`Switched to context ${JSON.stringify(name)}.\n`);
  return 0;
}
