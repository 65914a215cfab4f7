// `kapi delete TYPE NAME…|TYPE/NAME…|-f FILE|-l SEL|--all` (and `--raw`): one DELETE per
// object with kubectl's DeleteOptions, then (by default) wait until each object is gone.
// Prints kubectl 1.33's lines: `pod "x" deleted`.

import type { CommandContext, CommandSpec } from "./main.ts";
import { fileFlags } from "./create/file-flags.ts";

export const spec: CommandSpec = {
  name: "delete",
  short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
  long: "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.",
  usage: "([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
  examples: [
    "  # Delete a pod using the type and name specified in pod.json",
    "  kapi delete -f ./pod.json",
    "",
    "  # Delete pods and services with label name=myLabel",
    "  kapi delete pods,services -l name=myLabel",
    "",
    "  # Delete a pod with minimal delay",
    "  kapi delete pod foo --now",
  ].join("\n"),
  flags: [
    ...fileFlags("containing the resource to delete."),
    { name: "all", type: "bool", description: "Delete all resources, in the namespace of the specified resource types." },
    { name: "all-namespaces", short: "A", type: "bool", description: "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace." },
    { name: "cascade", type: "string", default: "background", noOptDefault: "background", description: `Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.` },
    { name: "dry-run", type: "string", default: "none", noOptDefault: "unchanged", description: `Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.` },
    { name: "field-selector", type: "string", description: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
    { name: "force", type: "bool", description: "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation." },
    { name: "grace-period", type: "int", default: -1, description: "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)." },
    { name: "ignore-not-found", type: "bool", description: `Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.` },
    { name: "now", type: "bool", description: "If true, resources are signaled for immediate shutdown (same as --grace-period=1)." },
    { name: "output", short: "o", type: "string", description: "Output mode. Use \"-o name\" for shorter output (resource/name)." },
    { name: "raw", type: "string", description: "Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file." },
    { name: "selector", short: "l", type: "string", description: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: "timeout", type: "duration", description: "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object" },
    { name: "wait", type: "bool", default: true, description: "If true, wait for resources to be gone before returning. This waits for finalizers." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const [{ deleteSettings }, { collectTargets }, { deleteTargets }] = await Promise.all([
    import("./delete/options.ts"),
    import("./delete/targets.ts"),
    import("./delete/run.ts"),
  ]);
  const settings = await deleteSettings(ctx);
  if (ctx.flags.string("raw") !== "") {
    const { runRaw } = await import("./raw.ts");
    return runRaw(ctx, "DELETE");
  }
  const targets = await collectTargets(ctx);
  return deleteTargets(ctx, settings, targets);
}
