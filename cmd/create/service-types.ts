// The four `kapi create service <type> NAME` commands; they differ only in type and flags.

import type { CommandContext, CommandModule } from "../main.ts";
import type { FlagDef } from "../flags.ts";
import type { ServiceOptions } from "../../client/generators/service.ts";
import { createGenerated, generatorFlags, oneName, requireFlags, targetNamespace } from "./common.ts";

const tcpFlag: FlagDef = { name: "tcp", type: "stringSlice", description: "Port pairs can be specified as '<port>:<targetPort>'." };

function serviceCommand(
  type: ServiceOptions["type"],
  text: { name: string; short: string; long: string; usage: string; examples: string },
  flags: FlagDef[],
): CommandModule {
  return {
    spec: { ...text, flags: [...generatorFlags(), ...flags] },
    async run(ctx: CommandContext): Promise<number> {
      if (type === "ExternalName") requireFlags(ctx, "external-name");
      const name = oneName(ctx);
      const { service, validateService } = await import("../../client/generators/service.ts");
      const f = ctx.flags;
      const has = (flag: string) => flags.some((d) => d.name === flag);
      const options: ServiceOptions = {
        name,
        type,
        tcp: f.list("tcp"),
        clusterIP: has("clusterip") ? f.string("clusterip") : undefined,
        nodePort: has("node-port") ? f.number("node-port") : undefined,
        externalName: has("external-name") ? f.string("external-name") : undefined,
      };
      validateService(options);
      return createGenerated(ctx, async () => {
        const { namespace, explicit } = await targetNamespace(ctx);
        const object = service({ ...options, namespace: explicit ? namespace : undefined });
        return { object, collectionPath: `/api/v1/namespaces/${namespace}/services`, errorPrefix: `failed to create ${type} service: ` };
      });
    },
  };
}

export const clusterIP = serviceCommand(
  "ClusterIP",
  {
    name: "clusterip",
    short: "Create a ClusterIP service",
    long: "Create a ClusterIP Service named NAME that selects the pods labelled app=NAME.",
    usage: "NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]",
    examples: '  # Port 5678 of the service forwards to port 8080 of the pods\n  kapi create service clusterip my-cs --tcp=5678:8080\n\n  # A headless service (no cluster IP, DNS returns the pods)\n  kapi create service clusterip my-cs --clusterip="None"',
  },
  [{ name: "clusterip", type: "string", description: "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)." }, tcpFlag],
);

export const nodePort = serviceCommand(
  "NodePort",
  {
    name: "nodeport",
    short: "Create a NodePort service",
    long: "Create a NodePort Service named NAME that selects the pods labelled app=NAME and is also reachable on a port of every node.",
    usage: "NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
    examples: "  # Service port 5678 to pod port 8080, on a node port the server picks\n  kapi create service nodeport my-ns --tcp=5678:8080",
  },
  [{ name: "node-port", type: "int", default: 0, description: "Port used to expose the service on each node in a cluster." }, tcpFlag],
);

export const loadBalancer = serviceCommand(
  "LoadBalancer",
  {
    name: "loadbalancer",
    short: "Create a LoadBalancer service",
    long: "Create a LoadBalancer Service named NAME that selects the pods labelled app=NAME.",
    usage: "NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
    examples: "  # Service port 5678 to pod port 8080\n  kapi create service loadbalancer my-lbs --tcp=5678:8080",
  },
  [tcpFlag],
);

export const externalName = serviceCommand(
  "ExternalName",
  {
    name: "externalname",
    short: "Create an ExternalName service",
    long: "Create an ExternalName Service named NAME: inside the cluster its DNS name is an alias (CNAME) of the external name, for reaching something that does not run as pods here.",
    usage: "NAME --external-name external.name [--dry-run=server|client|none]",
    examples: "  # my-ns.<namespace>.svc becomes an alias of bar.com\n  kapi create service externalname my-ns --external-name bar.com",
  },
  [{ name: "external-name", type: "string", description: "External name of service" }, tcpFlag],
);
