// `kapi config`: view and edit kubeconfig files (view, get-contexts, current-context,
// use-context, set-context, …), writing them back as kubectl does.

import type { CommandContext, CommandSpec } from "./main.ts";

export const spec: CommandSpec = {
  name: "config",
  short: "Modify kubeconfig files",
  long: [
    'Modify kubeconfig files using subcommands like "kapi config set current-context my-context".',
    "",
    " The loading order follows these rules:",
    "",
    "  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.",
    "  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.",
    "  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.",
  ].join("\n"),
  usage: "SUBCOMMAND",
  subcommands: [
    { name: "current-context", short: "Display the current-context", load: () => import("./config/current-context.ts") },
    { name: "delete-context", short: "Delete the specified context from the kubeconfig", load: () => import("./config/delete-context.ts") },
    { name: "get-clusters", short: "Display clusters defined in the kubeconfig", load: () => import("./config/get-clusters.ts") },
    { name: "get-contexts", short: "Describe one or many contexts", load: () => import("./config/get-contexts.ts") },
    { name: "get-users", short: "Display users defined in the kubeconfig", load: () => import("./config/get-users.ts") },
    { name: "rename-context", short: "Rename a context from the kubeconfig file", load: () => import("./config/rename-context.ts") },
    { name: "set-context", short: "Set a context entry in kubeconfig", load: () => import("./config/set-context.ts") },
    { name: "use-context", aliases: ["use"], short: "Set the current-context in a kubeconfig file", load: () => import("./config/use-context.ts") },
    { name: "view", short: "Display merged kubeconfig settings or a specified kubeconfig file", load: () => import("./config/view.ts") },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const { missingSubcommand } = await import("./help.ts");
  return missingSubcommand(ctx.path, spec);
}
