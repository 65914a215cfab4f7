// rbac.authorization.k8s.io/v1 kinds (stored; enforcement lives in the authorizer).
import type { ResourceType } from "../resource-type.ts";
import { immutable } from "../strategies/common.ts";

const rbac = { group: "rbac.authorization.k8s.io", version: "v1", subresources: [] };
const roleRefImmutable = (obj: any, old: any) =>
  immutable("roleRef", obj.roleRef, old.roleRef).map((e) => ({ ...e, detail: "cannot change roleRef" }));

/** The four RBAC types. */
export const rbacTypes: ResourceType[] = [
  { ...rbac, kind: "ClusterRoleBinding", listKind: "ClusterRoleBindingList", resource: "clusterrolebindings", singular: "clusterrolebinding", namespaced: false, validateUpdate: roleRefImmutable },
  { ...rbac, kind: "ClusterRole", listKind: "ClusterRoleList", resource: "clusterroles", singular: "clusterrole", namespaced: false },
  { ...rbac, kind: "RoleBinding", listKind: "RoleBindingList", resource: "rolebindings", singular: "rolebinding", namespaced: true, validateUpdate: roleRefImmutable },
  { ...rbac, kind: "Role", listKind: "RoleList", resource: "roles", singular: "role", namespaced: true },
];
