// Helpers for RBAC tests over an in-process server: grant rules to users, ask reviews.
import type { InProcessServer } from "../support/in-process.ts";

export const rbacApi = "/apis/rbac.authorization.k8s.io/v1";
export const authzApi = "/apis/authorization.k8s.io/v1";

/** A subject as the API spells it. */
export type Subject = { kind: "User" | "Group" | "ServiceAccount"; name: string; namespace?: string };

/** A caller with a client certificate for `name` in `groups` (system:authenticated is added by the server). */
export function caller(name: string, groups: string[] = []) {
  return { user: name, groups };
}

/** The caller of a service account, as its token would authenticate. */
export function serviceAccountCaller(namespace: string, name: string) {
  return caller(`system:serviceaccount:${namespace}:${name}`, ["system:serviceaccounts", `system:serviceaccounts:${namespace}`]);
}

/** POSTs as the admin and fails the test unless the object was created. */
export async function create(s: InProcessServer, path: string, body: object): Promise<any> {
  const res = await s.json("POST", path, { body });
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a ClusterRole with the rules and a ClusterRoleBinding of it to the subjects. */
export async function grantClusterWide(s: InProcessServer, name: string, rules: object[], subjects: Subject[]): Promise<void> {
  await create(s, `${rbacApi}/clusterroles`, { metadata: { name }, rules });
  await create(s, `${rbacApi}/clusterrolebindings`, { metadata: { name }, roleRef: roleRef("ClusterRole", name), subjects: subjects.map(subject) });
}

/** Creates a Role (or ClusterRole when `clusterRole`) and a RoleBinding of it in `namespace`. */
export async function grantInNamespace(s: InProcessServer, namespace: string, name: string, rules: object[], subjects: Subject[], clusterRole = false): Promise<void> {
  if (clusterRole) await create(s, `${rbacApi}/clusterroles`, { metadata: { name }, rules });
  else await create(s, `${rbacApi}/namespaces/${namespace}/roles`, { metadata: { name }, rules });
  await create(s, `${rbacApi}/namespaces/${namespace}/rolebindings`, {
    metadata: { name },
    roleRef: roleRef(clusterRole ? "ClusterRole" : "Role", name),
    subjects: subjects.map(subject),
  });
}

/** A roleRef to a role of the RBAC group. */
export function roleRef(kind: "Role" | "ClusterRole", name: string) {
  return { apiGroup: "rbac.authorization.k8s.io", kind, name };
}

function subject(s: Subject) {
  return s.kind === "ServiceAccount" ? { ...s } : { apiGroup: "rbac.authorization.k8s.io", ...s };
}

/** Asks a SubjectAccessReview as the admin and returns its status. */
export async function accessReview(s: InProcessServer, spec: object): Promise<{ allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string }> {
  const res = await s.json("POST", `${authzApi}/subjectaccessreviews`, { body: { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec } });
  if (res.status !== 201) throw new Error(`SubjectAccessReview → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.status;
}

/** Creates a namespace as the admin (ignoring one that exists). */
export async function namespace(s: InProcessServer, name: string): Promise<void> {
  const res = await s.json("POST", "/api/v1/namespaces", { body: { metadata: { name } } });
  if (res.status !== 201 && res.status !== 409) throw new Error(`namespace ${name} → ${res.status}`);
}

/** Polls `check` until it returns a value (controllers work asynchronously); fails after ~4 s. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 800; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await Bun.sleep(5);
  }
  throw new Error(`never happened: ${what}`);
}
