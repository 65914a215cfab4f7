// Escalation prevention: writing a role or binding that grants more than the requester holds
// is refused with upstream's message, unless they hold `escalate` / `bind` or are in
// system:masters.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { caller, create, grantClusterWide, grantInNamespace, namespace, rbacApi, roleRef } from "./helpers.ts";

let s: InProcessServer;
const manageRoles = { verbs: ["create", "update", "patch", "get"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"] };
const readPods = { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] };
const podsAndSecrets = [{ apiGroups: [""], resources: ["pods", "secrets"], verbs: ["get", "list"] }];
const groupsOf = (name: string) => `user "${name}" (groups=["system:authenticated"])`;

beforeAll(async () => {
  s = await startInProcessServer();
  await namespace(s, "esc");
  // "manager" may write RBAC objects in esc and read pods everywhere, nothing else.
  await grantInNamespace(s, "esc", "rbac-manager", [manageRoles], [{ kind: "User", name: "manager" }], true);
  await grantClusterWide(s, "pod-reader", [readPods], [{ kind: "User", name: "manager" }]);
  await create(s, `${rbacApi}/clusterroles`, { metadata: { name: "secret-reader" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] });
});
afterAll(() => s.close());

describe("roles", () => {
  test("a role within the requester's permissions is created", async () => {
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/roles`, { as: caller("manager"), body: { metadata: { name: "ok" }, rules: [readPods] } });
    expect(res.status).toBe(201);
  });

  test("a role granting more is refused, naming what is missing", async () => {
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/roles`, { as: caller("manager"), body: { metadata: { name: "too-much" }, rules: podsAndSecrets } });
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe("Forbidden");
    expect(res.body.details).toEqual({ name: "too-much", group: "rbac.authorization.k8s.io", kind: "roles" });
    expect(res.body.message).toBe(
      `roles.rbac.authorization.k8s.io "too-much" is forbidden: ${groupsOf("manager")} is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`,
    );
    expect((await s.json("GET", `${rbacApi}/namespaces/esc/roles/too-much`)).status).toBe(404);
  });

  test("updating or patching a role to grant more is refused too", async () => {
    const role = (await s.json("GET", `${rbacApi}/namespaces/esc/roles/ok`)).body;
    const res = await s.json("PUT", `${rbacApi}/namespaces/esc/roles/ok`, { as: caller("manager"), body: { ...role, rules: podsAndSecrets } });
    expect(res.status).toBe(403);
    expect(res.body.message).toStartWith(`roles.rbac.authorization.k8s.io "ok" is forbidden: ${groupsOf("manager")} is attempting to grant`);
    const patch = { rules: podsAndSecrets };
    const patched = await s.json("PATCH", `${rbacApi}/namespaces/esc/roles/ok`, { as: caller("manager"), body: patch, headers: { "content-type": "application/merge-patch+json" } });
    expect(patched.status).toBe(403);
  });

  test("an update touching only finalizers and owner references is not checked; any other change is", async () => {
    await create(s, `${rbacApi}/namespaces/esc/roles`, { metadata: { name: "wide" }, rules: podsAndSecrets });
    const role = (await s.json("GET", `${rbacApi}/namespaces/esc/roles/wide`)).body;
    const withFinalizer = { ...role, metadata: { ...role.metadata, finalizers: ["example.com/keep"] } };
    const gc = await s.json("PUT", `${rbacApi}/namespaces/esc/roles/wide`, { as: caller("manager"), body: withFinalizer });
    expect(gc.status).toBe(200);
    const labelled = { ...gc.body, metadata: { ...gc.body.metadata, labels: { a: "b" } } };
    expect((await s.json("PUT", `${rbacApi}/namespaces/esc/roles/wide`, { as: caller("manager"), body: labelled })).status).toBe(403);
  });

  test("a ClusterRole needs the permissions cluster-wide (a RoleBinding's do not count)", async () => {
    await grantClusterWide(s, "clusterrole-writer", [{ verbs: ["create"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"] }], [{ kind: "User", name: "ns-admin" }]);
    await grantInNamespace(s, "esc", "ns-admin-secrets", [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }], [{ kind: "User", name: "ns-admin" }]);
    const body = { metadata: { name: "cluster-secrets" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }] };
    const res = await s.json("POST", `${rbacApi}/clusterroles`, { as: caller("ns-admin"), body });
    expect(res.status).toBe(403);
    expect(res.body.message).toEndWith('is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}');
  });

  test("`escalate` on roles lets the requester grant anything", async () => {
    await grantInNamespace(s, "esc", "escalator", [{ verbs: ["create", "escalate"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"] }], [{ kind: "User", name: "escalator" }]);
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/roles`, { as: caller("escalator"), body: { metadata: { name: "anything" }, rules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }] } });
    expect(res.status).toBe(201);
  });

  test("an aggregationRule needs cluster-admin powers", async () => {
    await grantClusterWide(s, "cr-writer-all", [{ verbs: ["create"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"] }, readPods], [{ kind: "User", name: "aggregator" }]);
    const body = { metadata: { name: "aggr" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: "y" } }] } };
    const res = await s.json("POST", `${rbacApi}/clusterroles`, { as: caller("aggregator"), body });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('clusterroles.rbac.authorization.k8s.io "aggr" is forbidden: must have cluster-admin privileges to use the aggregationRule');
  });

  test("system:masters may grant anything", async () => {
    const res = await s.json("POST", `${rbacApi}/clusterroles`, { as: caller("root", ["system:masters"]), body: { metadata: { name: "root-made" }, rules: [{ verbs: ["*"], nonResourceURLs: ["*"] }] } });
    expect(res.status).toBe(201);
  });
});

describe("bindings", () => {
  const binding = (name: string, role: string, kind: "Role" | "ClusterRole" = "ClusterRole") => ({
    metadata: { name },
    roleRef: roleRef(kind, role),
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "someone" }],
  });

  test("binding a role whose rules the requester holds is allowed", async () => {
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/rolebindings`, { as: caller("manager"), body: binding("read-pods", "pod-reader") });
    expect(res.status).toBe(201);
  });

  test("binding a role with rules the requester lacks is refused", async () => {
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/rolebindings`, { as: caller("manager"), body: binding("read-secrets", "secret-reader") });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      `rolebindings.rbac.authorization.k8s.io "read-secrets" is forbidden: ${groupsOf("manager")} is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`,
    );
  });

  test("binding a missing role is refused with the lookup error", async () => {
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/rolebindings`, { as: caller("manager"), body: binding("ghost", "no-such-role") });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('rolebindings.rbac.authorization.k8s.io "ghost" is forbidden: clusterroles.rbac.authorization.k8s.io "no-such-role" not found');
  });

  test("`bind` on the named role lets the requester bind it anyway", async () => {
    await grantInNamespace(s, "esc", "binder", [{ verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["secret-reader"] }], [{ kind: "User", name: "manager" }]);
    const res = await s.json("POST", `${rbacApi}/namespaces/esc/rolebindings`, { as: caller("manager"), body: binding("read-secrets", "secret-reader") });
    expect(res.status).toBe(201);
    const other = await s.json("POST", `${rbacApi}/namespaces/esc/rolebindings`, { as: caller("manager"), body: binding("admin", "admin") });
    expect(other.status).toBe(403);
  });

  test("a ClusterRoleBinding needs the role's rules cluster-wide", async () => {
    await grantClusterWide(s, "crb-writer", [{ verbs: ["create"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterrolebindings"] }], [{ kind: "User", name: "crb-writer" }]);
    const res = await s.json("POST", `${rbacApi}/clusterrolebindings`, { as: caller("crb-writer"), body: binding("crb-secrets", "secret-reader") });
    expect(res.status).toBe(403);
    expect(res.body.message).toStartWith('clusterrolebindings.rbac.authorization.k8s.io "crb-secrets" is forbidden: user "crb-writer"');
  });

  test("the admin binds any role, even a missing one", async () => {
    expect((await s.json("POST", `${rbacApi}/clusterrolebindings`, { body: binding("future", "not-yet") })).status).toBe(201);
  });
});
