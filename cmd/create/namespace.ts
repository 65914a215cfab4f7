// `kapi create namespace NAME`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, oneName } from "./common.ts";

export const spec: CommandSpec = {
  name: "namespace",
  short: "Create a namespace with the specified name",
  long: "Create a namespace with the specified name.",
  usage: "NAME [--dry-run=server|client|none]",
  examples: "  # Create a new namespace named my-namespace\n  kapi create namespace my-namespace",
  flags: generatorFlags(),
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { namespace } = await import("../../client/generators/workloads.ts");
  return createGenerated(ctx, () => ({ object: namespace(name), collectionPath: "/api/v1/namespaces" }));
}
