// `kapi create role NAME --verb=… --resource=… [--resource-name=…]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import type { FlagDef } from "../flags.ts";
import type { ResourceResolver } from "../../client/generators/rbac.ts";
import { writeStderr } from "../../client/stdio.ts";
import { discoveryFor } from "../discovery.ts";
import { createGenerated, generatorFlags, oneName, targetNamespace } from "./common.ts";

/** --verb, --resource, --resource-name (role and clusterrole). */
export const RULE_FLAGS: FlagDef[] = [
  { name: "resource", type: "stringSlice", description: "Resource that the rule applies to" },
  { name: "resource-name", type: "stringArray", description: "Resource in the white list that the rule applies to, repeat this flag for multiple items" },
  { name: "verb", type: "stringSlice", description: "Verb that applies to the resources contained in the rule" },
];

export const spec: CommandSpec = {
  name: "role",
  short: "Create a role with single rule",
  long: "Create a role with single rule.",
  usage: "NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none]",
  examples: [
    "  # Create a role named \"pod-reader\" that allows user to perform \"get\", \"watch\" and \"list\" on pods",
    "  kapi create role pod-reader --verb=get --verb=list --verb=watch --resource=pods",
  ].join("\n"),
  flags: [...generatorFlags(), ...RULE_FLAGS],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { role } = await import("../../client/generators/rbac.ts");
  return runRoleGenerator(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = await role({
      name,
      namespace: explicit ? namespace : undefined,
      verbs: f.list("verb"),
      resources: f.list("resource"),
      resourceNames: f.list("resource-name"),
      warn: (line) => writeStderr(`${line}\n`),
      resolve: resolverFor(ctx),
    });
    return { object, collectionPath: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles` };
  });
}

/** createGenerated, printing an unknown --resource the way kubectl does (no `error: `). */
export async function runRoleGenerator(ctx: CommandContext, build: Parameters<typeof createGenerated>[1]): Promise<number> {
  try {
    return await createGenerated(ctx, build);
  } catch (err) {
    if ((err as Error).name !== "UnknownResourceError") throw err;
    writeStderr(`${(err as Error).message}\n`);
    return 1;
  }
}

/** Looks `--resource` values up in discovery, as kubectl's RESTMapper does. */
export function resolverFor(ctx: CommandContext): ResourceResolver {
  return async (resource, group) => {
    const discovery = await discoveryFor(ctx);
    try {
      const hit = await discovery.resolve(group ? `${resource}.${group}` : resource);
      return { resource: hit.resource, group: hit.group };
    } catch (err) {
      if ((err as Error).name !== "UnknownResourceError") throw err;
      const inGroup = group ? ` in group ${JSON.stringify(group)}` : "";
      return { error: `the server doesn't have a resource type ${JSON.stringify(resource)}${inGroup}` };
    }
  };
}
