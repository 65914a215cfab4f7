// `kapi create service clusterip|nodeport|loadbalancer|externalname`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStderr } from "../../client/stdio.ts";

export const spec: CommandSpec = {
  name: "service",
  short: "Create a service using a specified subcommand",
  long: "Create a Service; the subcommand picks its type.",
  subcommands: [
    { name: "clusterip", short: "Create a ClusterIP service", load: async () => (await import("./service-types.ts")).clusterIP },
    { name: "externalname", short: "Create an ExternalName service", load: async () => (await import("./service-types.ts")).externalName },
    { name: "loadbalancer", short: "Create a LoadBalancer service", load: async () => (await import("./service-types.ts")).loadBalancer },
    { name: "nodeport", short: "Create a NodePort service", load: async () => (await import("./service-types.ts")).nodePort },
  ],
};

/** Like kubectl, a missing subcommand prints the help to stderr and fails. */
export async function run(ctx: CommandContext): Promise<number> {
  const { renderCommandHelp } = await import("../help.ts");
  writeStderr(renderCommandHelp(ctx.path, spec, ["svc"]));
  return 1;
}
