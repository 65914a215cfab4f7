// `kapi create secret generic|tls|docker-registry`.

import type { CommandContext, CommandSpec } from "../main.ts";

export const spec: CommandSpec = {
  name: "secret",
  short: "Create a secret using a specified subcommand",
  long: "Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.",
  usage: "(docker-registry | generic | tls)",
  subcommands: [
    { name: "docker-registry", short: "Create a secret for use with a Docker registry", load: () => import("./secret-docker-registry.ts") },
    { name: "generic", short: "Create a secret from a local file, directory, or literal value", load: () => import("./secret-generic.ts") },
    { name: "tls", short: "Create a TLS secret", load: () => import("./secret-tls.ts") },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const { missingSubcommand } = await import("../help.ts");
  return missingSubcommand(ctx.path, spec);
}
