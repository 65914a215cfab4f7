// `kapi create token SERVICE_ACCOUNT`: a TokenRequest for the account; prints the token.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { oneName } from "./common.ts";

export const spec: CommandSpec = {
  name: "token",
  short: "Request a service account token",
  long: "Request a service account token.",
  usage: "SERVICE_ACCOUNT_NAME",
  examples: [
    "  # Request a token to authenticate to the kube-apiserver as the service account \"myapp\" in the current namespace",
    "  kapi create token myapp",
    "",
    "  # Request a token with a custom expiration",
    "  kapi create token myapp --duration 10m",
  ].join("\n"),
  flags: [
    { name: "allow-missing-template-keys", type: "bool", default: true, description: "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats." },
    { name: "audience", type: "stringArray", description: "Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences." },
    { name: "bound-object-kind", type: "string", description: "Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided." },
    { name: "bound-object-name", type: "string", description: "Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind." },
    { name: "bound-object-uid", type: "string", description: "UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used." },
    { name: "duration", type: "duration", description: "Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime." },
    { name: "output", short: "o", type: "string", description: "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)." },
    { name: "show-managed-fields", type: "bool", description: "If true, keep the managedFields when printing objects in JSON or YAML format." },
    { name: "template", type: "string", description: "Template string or path to template file to use when -o=go-template, -o=go-template-file." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const [{ tokenRequest }, { checkObjectOutput, goJson, printObject }] = await Promise.all([
    import("../../client/generators/token.ts"),
    import("../../client/object-output.ts"),
  ]);
  const f = ctx.flags;
  const output = f.string("output");
  checkObjectOutput(output);
  const body = tokenRequest({
    audiences: f.list("audience"),
    durationMs: f.number("duration"),
    boundKind: f.string("bound-object-kind"),
    boundName: f.string("bound-object-name"),
    boundUid: f.string("bound-object-uid"),
  });
  const { namespace } = await ctx.clientConfig();
  const client = await ctx.restClient();
  let answer: Record<string, unknown>;
  try {
    answer = await client.requestJson({
      method: "POST",
      path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      contentType: "application/json",
      body: `${goJson(body)}\n`,
    });
  } catch (err) {
    if (err instanceof Error && err.name === "StatusError") throw new Error(`failed to create token: ${err.message}`);
    throw err;
  }
  if (output === "") {
    writeStdout(String((answer.status as Record<string, unknown> | undefined)?.token ?? ""));
    return 0;
  }
  await printObject(answer, { output, operation: "created", showManagedFields: f.bool("show-managed-fields"), allowMissingKeys: f.bool("allow-missing-template-keys") });
  return 0;
}
