// Printers for RoleBindings and ClusterRoleBindings. Roles and ClusterRoles have no printer
// upstream and use the default convertor (NAME, CREATED AT).
import { ageColumn, column, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { objectAge, objectName } from "./format.ts";
import type { TablePrinter } from "./types.ts";

/** Users, groups and service accounts ("ns/name") of a binding's subjects. */
export function subjectsStrings(subjects: any[] | undefined): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s?.kind === "ServiceAccount") serviceAccounts.push(`${s.namespace ?? ""}/${s.name ?? ""}`);
    else if (s?.kind === "User") users.push(s.name ?? "");
    else if (s?.kind === "Group") groups.push(s.name ?? "");
  }
  return [users, groups, serviceAccounts];
}

function bindingCells(binding: any, now: Date): unknown[] {
  const [users, groups, serviceAccounts] = subjectsStrings(binding.subjects);
  return [
    objectName(binding),
    `${binding.roleRef?.kind ?? ""}/${binding.roleRef?.name ?? ""}`,
    objectAge(binding, now),
    users.join(", "),
    groups.join(", "),
    serviceAccounts.join(", "),
  ];
}

function bindingPrinter(kind: "roleBinding" | "clusterRoleBinding", roleRefDoc: string): TablePrinter {
  return {
    columns: [
      nameColumn(),
      column("Role", "string", roleRefDoc),
      ageColumn(),
      wide("Users", `Users in the ${kind}`),
      wide("Groups", `Groups in the ${kind}`),
      wide("ServiceAccounts", `ServiceAccounts in the ${kind}`),
    ],
    cells: bindingCells,
  };
}

/** rbac.authorization.k8s.io/v1 rolebindings. */
export const roleBindingPrinter = bindingPrinter("roleBinding", docs["RoleBinding.roleRef"]);

/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export const clusterRoleBindingPrinter = bindingPrinter("clusterRoleBinding", docs["ClusterRoleBinding.roleRef"]);
