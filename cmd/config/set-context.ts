// `kapi config set-context [NAME | --current] [--cluster] [--user] [--namespace]`: changes the
// context in the file that defines it; a new context goes to the first existing file.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet, usageFailure } from "./common.ts";

export const spec: CommandSpec = {
  name: "set-context",
  short: "Set a context entry in kubeconfig",
  long: "Set a context entry in kubeconfig.\n\n Specifying a name that already exists will merge new fields on top of existing values for those fields.",
  usage: "[NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace]",
  examples: "  # Set the user field on the gce context entry without touching other values\n  kapi config set-context gce --user=cluster-admin",
  flags: [
    { name: "cluster", type: "string", shadowsGlobal: true, description: "cluster for the context entry in kubeconfig" },
    { name: "current", type: "bool", description: "Modify the current context" },
    { name: "namespace", type: "string", shadowsGlobal: true, description: "namespace for the context entry in kubeconfig" },
    { name: "user", type: "string", shadowsGlobal: true, description: "user for the context entry in kubeconfig" },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (ctx.args.length > 1) return usageFailure(ctx, spec, `Unexpected args: [${ctx.args.join(" ")}]`);
  const set = await configSet(ctx);
  let name = ctx.args[0] ?? "";
  if (f.bool("current")) {
    if (name) throw new Error("you cannot specify both a context name and --current");
    name = set.merged.currentContext;
    if (!name) throw new Error("no current context is set");
  } else if (!name) {
    throw new Error("you must specify a non-empty context name or --current");
  }
  const existing = set.merged.contexts?.find((c) => c.name === name);
  const value: Record<string, unknown> = { cluster: "", user: "", ...(existing?.value ?? {}) };
  for (const field of ["cluster", "user", "namespace"]) {
    if (!f.changed(field)) continue;
    if (f.string(field) === "" && field === "namespace") delete value.namespace;
    else value[field] = f.string(field);
  }
  const ordered: Record<string, unknown> = { cluster: value.cluster, user: value.user };
  for (const k of Object.keys(value)) if (!(k in ordered)) ordered[k] = value[k];
  const { setEntry, updateFile } = await import("../../client/kubeconfig-edit.ts");
  const file = set.origin.contexts.get(name) ?? set.defaultFile;
  await updateFile(set, file, (doc) => setEntry(doc, "contexts", { name, value: ordered }));
  writeStdout(`Context ${JSON.stringify(name)} ${existing ? "modified" : "created"}.\n`);
  return 0;
}
