// `kapi create secret docker-registry NAME --docker-username … | --from-file …`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, oneName, SECRET_ERROR_PREFIX, targetNamespace } from "./common.ts";

export const spec: CommandSpec = {
  name: "docker-registry",
  short: "Create a secret for use with a Docker registry",
  long: "Create a new secret for use with Docker registries.\n\n Dockercfg secrets are used to authenticate against Docker registries; pods reference them in imagePullSecrets.",
  usage: "NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]",
  examples: "  # Create a new secret for use with Docker registries\n  kapi create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL",
  flags: [
    ...generatorFlags(),
    { name: "append-hash", type: "bool", description: "Append a hash of the secret to its name." },
    { name: "docker-email", type: "string", description: "Email for Docker registry" },
    { name: "docker-password", type: "string", description: "Password for Docker registry authentication" },
    { name: "docker-server", type: "string", default: "https://index.docker.io/v1/", description: "Server location for Docker registry" },
    { name: "docker-username", type: "string", description: "Username for Docker registry authentication" },
    { name: "from-file", type: "stringSlice", description: "Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { dockerRegistrySecret } = await import("../../client/generators/config-data.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = dockerRegistrySecret({
      name,
      namespace: explicit ? namespace : undefined,
      server: f.string("docker-server"),
      username: f.string("docker-username"),
      password: f.string("docker-password"),
      email: f.string("docker-email"),
      files: f.list("from-file"),
      appendHash: f.bool("append-hash"),
    });
    return { object, collectionPath: `/api/v1/namespaces/${namespace}/secrets`, errorPrefix: SECRET_ERROR_PREFIX };
  });
}
