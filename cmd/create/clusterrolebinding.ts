// `kapi create clusterrolebinding NAME --clusterrole … [--user] [--group] [--serviceaccount]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, oneName, requireFlags } from "./common.ts";
import { SUBJECT_FLAGS } from "./rolebinding.ts";

export const spec: CommandSpec = {
  name: "clusterrolebinding",
  short: "Create a cluster role binding for a particular cluster role",
  long: "Create a cluster role binding for a particular cluster role.",
  usage: "NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]",
  examples: "  # Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role\n  kapi create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1",
  flags: [...generatorFlags(), ...SUBJECT_FLAGS, { name: "clusterrole", type: "string", description: "ClusterRole this ClusterRoleBinding should reference" }],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  requireFlags(ctx, "clusterrole");
  const { clusterRoleBinding } = await import("../../client/generators/rbac.ts");
  return createGenerated(ctx, () => {
    const f = ctx.flags;
    const object = clusterRoleBinding({
      name,
      role: "",
      clusterRole: f.string("clusterrole"),
      users: f.list("user"),
      groups: f.list("group"),
      serviceAccounts: f.list("serviceaccount"),
    });
    return { object, collectionPath: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", errorPrefix: "failed to create clusterrolebinding: " };
  });
}
