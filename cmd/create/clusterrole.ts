// `kapi create clusterrole NAME --verb … --resource … | --non-resource-url … | --aggregation-rule …`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStderr } from "../../client/stdio.ts";
import { generatorFlags, oneName } from "./common.ts";
import { RULE_FLAGS, resolverFor, runRoleGenerator } from "./role.ts";

export const spec: CommandSpec = {
  name: "clusterrole",
  short: "Create a cluster role",
  long: "Create a cluster role.",
  usage: "NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none]",
  examples: [
    "  # Create a cluster role named \"pod-reader\" that allows user to perform \"get\", \"watch\" and \"list\" on pods",
    "  kapi create clusterrole pod-reader --verb=get,list,watch --resource=pods",
    "",
    "  # Create a cluster role named \"foo\" with NonResourceURL specified",
    "  kapi create clusterrole \"foo\" --verb=get --non-resource-url=/logs/*",
  ].join("\n"),
  flags: [
    ...generatorFlags(),
    ...RULE_FLAGS,
    { name: "aggregation-rule", type: "stringSlice", description: "An aggregation label selector for combining ClusterRoles." },
    { name: "non-resource-url", type: "stringSlice", description: "A partial url that user should have access to." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { clusterRole } = await import("../../client/generators/rbac.ts");
  const f = ctx.flags;
  const aggregationRule = f.list("aggregation-rule").map((pair): [string, string] => {
    const at = pair.indexOf("=");
    if (at < 0) throw new Error(`invalid argument ${JSON.stringify(f.list("aggregation-rule").join(","))} for "--aggregation-rule" flag: ${pair} must be formatted as key=value`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
  return runRoleGenerator(ctx, async () => {
    const object = await clusterRole({
      name,
      verbs: f.list("verb"),
      resources: f.list("resource"),
      resourceNames: f.list("resource-name"),
      nonResourceUrls: f.list("non-resource-url"),
      aggregationRule,
      warn: (line) => writeStderr(`${line}\n`),
      resolve: resolverFor(ctx),
    });
    return { object, collectionPath: "/apis/rbac.authorization.k8s.io/v1/clusterroles" };
  });
}
