// `kapi replace -f FILE` (PUT each object, with the current resourceVersion when the file has
// none), `replace --force` (delete, wait, create) and `replace --raw PATH -f FILE`.

import type { CommandContext, CommandSpec } from "./main.ts";
import { fileFlags } from "./create/file-flags.ts";
import { generatorFlags } from "./create/common.ts";

export const spec: CommandSpec = {
  name: "replace",
  short: "Replace a resource by file name or stdin",
  long: "Replace a resource by file name or stdin.\n\n JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided.",
  usage: "-f FILENAME",
  examples: [
    "  # Replace a pod using the data in pod.json",
    "  kapi replace -f ./pod.json",
    "",
    "  # Force replace, delete and then re-create the resource",
    "  kapi replace --force -f ./pod.json",
  ].join("\n"),
  flags: [
    ...generatorFlags("kubectl-replace"),
    ...fileFlags("to use to replace the resource."),
    { name: "cascade", type: "string", default: "background", noOptDefault: "background", description: `Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.` },
    { name: "force", type: "bool", description: "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation." },
    { name: "grace-period", type: "int", default: -1, description: "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)." },
    { name: "raw", type: "string", description: "Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file." },
    { name: "subresource", type: "string", description: "If specified, replace will operate on the subresource of the requested object." },
    { name: "timeout", type: "duration", description: "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object" },
    { name: "wait", type: "bool", description: "If true, wait for resources to be gone before returning. This waits for finalizers." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (f.list("filename").length === 0 && f.string("kustomize") === "") throw new Error("must specify one of -f and -k");
  if (f.string("raw") !== "") {
    const { runRaw } = await import("./raw.ts");
    return runRaw(ctx, "PUT");
  }
  if (!f.bool("force")) {
    if (f.changed("grace-period")) throw new Error("--grace-period must have --force specified");
    if (f.changed("timeout")) throw new Error("--timeout must have --force specified");
  } else if (f.string("dry-run") !== "none") {
    throw new Error("--dry-run can not be used when --force is set");
  }
  const { replaceObjects } = await import("./replace/run.ts");
  return replaceObjects(ctx);
}
