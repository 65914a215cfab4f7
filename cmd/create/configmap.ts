// `kapi create configmap NAME --from-literal|--from-file|--from-env-file`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, oneName, targetNamespace } from "./common.ts";
import { dataSourceFlags } from "./secret-generic.ts";

export const spec: CommandSpec = {
  name: "configmap",
  short: "Create a config map from a local file, directory or literal value",
  long: "Create a config map based on a file, directory, or specified literal value.\n\n A single config map may package one or more key/value pairs.",
  usage: "NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
  examples: [
    "  # Create a config map named my-config based on files in folder bar",
    "  kapi create configmap my-config --from-file=path/to/bar",
    "",
    "  # Create a config map named my-config with key1=config1 and key2=config2",
    "  kapi create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2",
  ].join("\n"),
  flags: [...generatorFlags(), ...dataSourceFlags("configmap")],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { configMap } = await import("../../client/generators/config-data.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = configMap({
      name,
      namespace: explicit ? namespace : undefined,
      literals: f.list("from-literal"),
      files: f.list("from-file"),
      envFiles: f.list("from-env-file"),
      appendHash: f.bool("append-hash"),
    });
    return { object, collectionPath: `/api/v1/namespaces/${namespace}/configmaps`, errorPrefix: "failed to create configmap: " };
  });
}
