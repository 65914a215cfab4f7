// The parts of stored RBAC objects that authorization reads, in a normalized shape.
import { rulesOf, type PolicyRule } from "./rules.ts";

/** rbac/v1 Subject. */
export interface Subject {
  kind: string;
  apiGroup: string;
  name: string;
  namespace: string;
}

/** rbac/v1 RoleRef. */
export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

/** A RoleBinding (namespace set) or ClusterRoleBinding (namespace ""). */
export interface Binding {
  name: string;
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

/** A Role (namespace set) or ClusterRole (namespace ""). */
export interface Role {
  name: string;
  namespace: string;
  rules: PolicyRule[];
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

/** The binding view of a stored RoleBinding or ClusterRoleBinding. */
export function bindingOf(obj: Record<string, any>): Binding {
  const ref = obj.roleRef && typeof obj.roleRef === "object" ? obj.roleRef : {};
  const subjects = Array.isArray(obj.subjects) ? obj.subjects : [];
  return {
    name: text(obj.metadata?.name),
    namespace: text(obj.metadata?.namespace),
    roleRef: { apiGroup: text(ref.apiGroup), kind: text(ref.kind), name: text(ref.name) },
    subjects: subjects
      .filter((s: unknown) => s && typeof s === "object")
      .map((s: Record<string, unknown>) => ({ kind: text(s.kind), apiGroup: text(s.apiGroup), name: text(s.name), namespace: text(s.namespace) })),
  };
}

/** The role view of a stored Role or ClusterRole. */
export function roleOf(obj: Record<string, any>): Role {
  return { name: text(obj.metadata?.name), namespace: text(obj.metadata?.namespace), rules: rulesOf(obj) };
}

/** The user name of a service account. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Whether a binding subject names the user (`bindingNamespace` defaults a service account's namespace). */
export function subjectApplies(subject: Subject, user: { name: string; groups: string[] }, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return subject.name === user.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = subject.namespace || bindingNamespace;
      return Boolean(namespace) && user.name === serviceAccountUser(namespace, subject.name);
    }
    default:
      return false;
  }
}

/** `User "alice"`, `Group "g"` or `ServiceAccount "name/ns"`, as RBAC reasons name a subject. */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === "ServiceAccount") return `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

/** `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"` (or `RoleBinding "x/ns" of ...`). */
export function describeBinding(binding: Binding, subject: Subject): string {
  const name = binding.namespace ? `${binding.name}/${binding.namespace}` : binding.name;
  const kind = binding.namespace ? "RoleBinding" : "ClusterRoleBinding";
  return `${kind} ${JSON.stringify(name)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, binding.namespace)}`;
}
