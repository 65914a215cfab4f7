// `kapi create deployment NAME --image=IMAGE [--replicas] [--port] [-- COMMAND…]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, nameAndCommand, requireFlags, targetNamespace } from "./common.ts";

export const spec: CommandSpec = {
  name: "deployment",
  short: "Create a deployment with the specified name",
  long: "Create a deployment with the specified name.",
  usage: "NAME --image=image -- [COMMAND] [args...]",
  examples: [
    "  # Create a deployment named my-dep that runs the busybox image",
    "  kapi create deployment my-dep --image=busybox",
    "",
    "  # Create a deployment named my-dep that runs the nginx image with 3 replicas and exposes port 80",
    "  kapi create deployment my-dep --image=nginx --replicas=3 --port=80",
  ].join("\n"),
  flags: [
    ...generatorFlags(),
    { name: "image", type: "stringSlice", description: "Image names to run. A deployment can have multiple images set for multi-container pod." },
    { name: "port", type: "int", default: -1, description: "The containerPort that this deployment exposes." },
    { name: "replicas", short: "r", type: "int", default: 1, description: "Number of replicas to create. Default is 1." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  requireFlags(ctx, "image");
  const { name, command } = nameAndCommand(ctx);
  const { deployment } = await import("../../client/generators/workloads.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = deployment({
      name,
      namespace: explicit ? namespace : undefined,
      images: f.list("image"),
      replicas: f.number("replicas"),
      port: f.number("port"),
      command,
    });
    return { object, collectionPath: `/apis/apps/v1/namespaces/${namespace}/deployments`, errorPrefix: "failed to create deployment: " };
  });
}
