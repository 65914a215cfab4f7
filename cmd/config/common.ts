// Shared by the `kapi config` subcommands: loading the kubeconfig files the invocation names.

import type { CommandContext } from "../main.ts";
import type { ConfigSet } from "../../client/kubeconfig-edit.ts";

/** The files of --kubeconfig, $KUBECONFIG or ~/.kube/config, merged. */
export async function configSet(ctx: CommandContext): Promise<ConfigSet> {
  const { loadConfigSet } = await import("../../client/kubeconfig-edit.ts");
  const explicit = ctx.flags.changed("kubeconfig") ? ctx.flags.string("kubeconfig") : undefined;
  return loadConfigSet({ explicitPath: explicit || undefined });
}

/** kubectl's usage failure for these commands: the help on stdout, then the error. */
export async function usageFailure(ctx: CommandContext, spec: import("../main.ts").CommandSpec, message: string): Promise<never> {
  const [{ renderCommandHelp }, { writeStdout }] = await Promise.all([import("../help.ts"), import("../../client/stdio.ts")]);
  writeStdout(renderCommandHelp(ctx.path, spec));
  throw new Error(message);
}
