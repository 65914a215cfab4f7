// `kapi create service clusterip|nodeport|loadbalancer|externalname`.

import type { CommandContext, CommandSpec } from "../main.ts";

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

export async function run(ctx: CommandContext): Promise<number> {
  const { missingSubcommand } = await import("../help.ts");
  return missingSubcommand(ctx.path, spec, ["svc"]);
}
