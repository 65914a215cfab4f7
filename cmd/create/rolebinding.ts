// `kapi create rolebinding NAME --role|--clusterrole … [--user] [--group] [--serviceaccount]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import type { FlagDef } from "../flags.ts";
import { createGenerated, generatorFlags, oneName, targetNamespace } from "./common.ts";

/** --user, --group, --serviceaccount (both binding generators). */
export const SUBJECT_FLAGS: FlagDef[] = [
  { name: "group", type: "stringArray", description: "Groups to bind to the role. The flag can be repeated to add multiple groups." },
  { name: "serviceaccount", type: "stringArray", description: "Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts." },
  { name: "user", type: "stringArray", shadowsGlobal: true, description: "Usernames to bind to the role. The flag can be repeated to add multiple users." },
];

export const spec: CommandSpec = {
  name: "rolebinding",
  short: "Create a role binding for a particular role or cluster role",
  long: "Create a role binding for a particular role or cluster role.",
  usage: "NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]",
  examples: "  # Create a role binding for user1, user2, and group1 using the admin cluster role\n  kapi create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1",
  flags: [
    ...generatorFlags(),
    ...SUBJECT_FLAGS,
    { name: "clusterrole", type: "string", description: "ClusterRole this RoleBinding should reference" },
    { name: "role", type: "string", description: "Role this RoleBinding should reference" },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const name = oneName(ctx);
  const { roleBinding } = await import("../../client/generators/rbac.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = roleBinding({
      name,
      namespace: explicit ? namespace : undefined,
      role: f.string("role"),
      clusterRole: f.string("clusterrole"),
      users: f.list("user"),
      groups: f.list("group"),
      serviceAccounts: f.list("serviceaccount"),
    });
    return { object, collectionPath: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, errorPrefix: "failed to create rolebinding: " };
  });
}
