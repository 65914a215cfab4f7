// `kapi create secret generic NAME --from-literal|--from-file|--from-env-file [--type]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import type { FlagDef } from "../flags.ts";
import { createGenerated, generatorFlags, oneName, SECRET_ERROR_PREFIX, targetNamespace } from "./common.ts";

/** --from-literal/--from-file/--from-env-file/--append-hash for configmap and secret generic. */
export function dataSourceFlags(what: "configmap" | "secret"): FlagDef[] {
  return [
    { name: "append-hash", type: "bool", description: `Append a hash of the ${what} to its name.` },
    { name: "from-env-file", type: "stringSlice", description: "Specify the path to a file to read lines of key=val pairs to create a " + what + "." },
    { name: "from-file", type: "stringSlice", description: "Key file can be specified using its file path, in which case file basename will be used as " + what + " key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid " + what + " key." },
    { name: "from-literal", type: "stringArray", description: `Specify a key and literal value to insert in ${what} (i.e. mykey=somevalue)` },
  ];
}

export const spec: CommandSpec = {
  name: "generic",
  short: "Create a secret from a local file, directory, or literal value",
  long: "Create a secret based on a file, directory, or specified literal value.\n\n A single secret may package one or more key/value pairs.",
  usage: "NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
  examples: "  # Create a new secret named my-secret with key1=supersecret and key2=topsecret\n  kapi create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret",
  flags: [...generatorFlags(), ...dataSourceFlags("secret"), { name: "type", type: "string", description: "The type of secret to create" }],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { genericSecret } = await import("../../client/generators/config-data.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = genericSecret({
      name,
      namespace: explicit ? namespace : undefined,
      type: f.string("type"),
      literals: f.list("from-literal"),
      files: f.list("from-file"),
      envFiles: f.list("from-env-file"),
      appendHash: f.bool("append-hash"),
    });
    return { object, collectionPath: `/api/v1/namespaces/${namespace}/secrets`, errorPrefix: SECRET_ERROR_PREFIX };
  });
}
