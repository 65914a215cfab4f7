// `kapi create secret tls NAME --cert=FILE --key=FILE`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, oneName, SECRET_ERROR_PREFIX, targetNamespace } from "./common.ts";

export const spec: CommandSpec = {
  name: "tls",
  short: "Create a TLS secret",
  long: "Create a TLS secret from the given public/private key pair.\n\n The public/private key pair must exist beforehand. The public key certificate must be .PEM encoded and match the given private key.",
  usage: "NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none]",
  examples: "  # Create a new TLS secret named tls-secret with the given key pair\n  kapi create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key",
  flags: [
    ...generatorFlags(),
    { name: "append-hash", type: "bool", description: "Append a hash of the secret to its name." },
    { name: "cert", type: "string", description: "Path to PEM encoded public key certificate." },
    { name: "key", type: "string", description: "Path to private key associated with given certificate." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { tlsSecret } = await import("../../client/generators/config-data.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = tlsSecret({ name, namespace: explicit ? namespace : undefined, cert: f.string("cert"), key: f.string("key"), appendHash: f.bool("append-hash") });
    return { object, collectionPath: `/api/v1/namespaces/${namespace}/secrets`, errorPrefix: SECRET_ERROR_PREFIX };
  });
}
