// `kapi create -f FILE|DIR|-` (and `--raw`), plus the generator subcommands in cmd/create/.

import type { CommandContext, CommandEntry, CommandSpec } from "./main.ts";
import { fileFlags } from "./create/file-flags.ts";
import { generatorFlags } from "./create/common.ts";

const GENERATORS: CommandEntry[] = [
  { name: "clusterrole", short: "Create a cluster role", load: () => import("./create/clusterrole.ts") },
  { name: "clusterrolebinding", short: "Create a cluster role binding for a particular cluster role", load: () => import("./create/clusterrolebinding.ts") },
  { name: "configmap", aliases: ["cm"], short: "Create a config map from a local file, directory or literal value", load: () => import("./create/configmap.ts") },
  { name: "cronjob", aliases: ["cj"], short: "Create a cron job with the specified name", load: () => import("./create/cronjob.ts") },
  { name: "deployment", aliases: ["deploy"], short: "Create a deployment with the specified name", load: () => import("./create/deployment.ts") },
  { name: "job", short: "Create a job with the specified name", load: () => import("./create/job.ts") },
  { name: "namespace", aliases: ["ns"], short: "Create a namespace with the specified name", load: () => import("./create/namespace.ts") },
  { name: "role", short: "Create a role with single rule", load: () => import("./create/role.ts") },
  { name: "rolebinding", short: "Create a role binding for a particular role or cluster role", load: () => import("./create/rolebinding.ts") },
  { name: "secret", short: "Create a secret using a specified subcommand", load: () => import("./create/secret.ts") },
  { name: "service", aliases: ["svc"], short: "Create a service using a specified subcommand", load: () => import("./create/service.ts") },
  { name: "serviceaccount", aliases: ["sa"], short: "Create a service account with the specified name", load: () => import("./create/serviceaccount.ts") },
  { name: "token", short: "Request a service account token", load: () => import("./create/token.ts") },
];

export const spec: CommandSpec = {
  name: "create",
  short: "Create a resource from a file or from stdin",
  long: "Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
  usage: "-f FILENAME",
  examples: [
    "  # Create a pod using the data in pod.json",
    "  kapi create -f ./pod.json",
    "",
    "  # Create a pod based on the JSON passed into stdin",
    "  cat pod.json | kapi create -f -",
    "",
    "  # Send a file's content to a path unchanged and print the answer",
    "  kapi create --raw /api/v1/namespaces/default/configmaps -f ./cm.json",
  ].join("\n"),
  flags: [
    ...generatorFlags(),
    ...fileFlags("to use to create the resource"),
    { name: "edit", type: "bool", description: "Edit the API resource before creating." },
    { name: "raw", type: "string", description: "Raw URI to POST to the server. Uses the transport specified by the kubeconfig file." },
    { name: "selector", short: "l", type: "string", description: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: "windows-line-endings", type: "bool", description: "Only relevant if --edit=true. Defaults to the line ending native to your platform." },
  ],
  subcommands: GENERATORS,
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw ctx.usageError(`Unexpected args: [${ctx.args.join(" ")}]`);
  if (ctx.flags.list("filename").length === 0 && ctx.flags.string("kustomize") === "") throw new Error("must specify one of -f and -k");
  if (ctx.flags.string("raw") !== "") {
    if (ctx.flags.bool("edit")) throw new Error("--raw and --edit are mutually exclusive");
    const { runRaw } = await import("./raw.ts");
    return runRaw(ctx, "POST");
  }
  const { createFromFiles } = await import("./create/from-files.ts");
  return createFromFiles(ctx);
}
