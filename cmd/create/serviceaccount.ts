// `kapi create serviceaccount NAME`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, oneName, targetNamespace } from "./common.ts";

export const spec: CommandSpec = {
  name: "serviceaccount",
  short: "Create a service account with the specified name",
  long: "Create a service account with the specified name.",
  usage: "NAME [--dry-run=server|client|none]",
  examples: "  # Create a new service account named my-service-account\n  kapi create serviceaccount my-service-account",
  flags: generatorFlags(),
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { serviceAccount } = await import("../../client/generators/workloads.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    return { object: serviceAccount(name, explicit ? namespace : undefined), collectionPath: `/api/v1/namespaces/${namespace}/serviceaccounts`, errorPrefix: "failed to create serviceaccount: " };
  });
}
