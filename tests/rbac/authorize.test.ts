// RBAC decisions on real requests: each rule shape granted to a fresh user, then requests
// that the grant must allow (anything but 403) and requests it must refuse (403 with
// kube-apiserver's message).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { caller, create, grantClusterWide, grantInNamespace, namespace, rbacApi, roleRef, serviceAccountCaller, type Subject } from "./helpers.ts";

let s: InProcessServer;

beforeAll(async () => {
  s = await startInProcessServer();
  await namespace(s, "team-a");
  await namespace(s, "team-b");
  await create(s, "/api/v1/namespaces/team-a/configmaps", { metadata: { name: "allowed" } });
  await create(s, "/api/v1/namespaces/team-a/configmaps", { metadata: { name: "other" } });
});
afterAll(() => s.close());

type Request = [method: string, path: string];

interface Case {
  name: string;
  grant: (user: Subject) => Promise<void>;
  allowed: Request[];
  denied: [...Request, string][];
}

let counter = 0;
const rule = (verbs: string[], apiGroups: string[], resources: string[], extra: object = {}) => ({ verbs, apiGroups, resources, ...extra });

const cases: Case[] = [
  {
    name: "a ClusterRoleBinding grants list pods in every namespace and at the cluster scope",
    grant: (u) => grantClusterWide(s, `c${++counter}`, [rule(["list"], [""], ["pods"])], [u]),
    allowed: [["GET", "/api/v1/pods"], ["GET", "/api/v1/namespaces/team-b/pods"]],
    denied: [
      ["GET", "/api/v1/namespaces/team-a/pods/p", 'pods "p" is forbidden: User "$U" cannot get resource "pods" in API group "" in the namespace "team-a"'],
      ["DELETE", "/api/v1/namespaces/team-a/pods", 'pods is forbidden: User "$U" cannot deletecollection resource "pods" in API group "" in the namespace "team-a"'],
      ["GET", "/api/v1/namespaces/team-a/pods?watch=true", 'pods is forbidden: User "$U" cannot watch resource "pods" in API group "" in the namespace "team-a"'],
      ["GET", "/api/v1/namespaces/team-a/secrets", 'secrets is forbidden: User "$U" cannot list resource "secrets" in API group "" in the namespace "team-a"'],
    ],
  },
  {
    name: "a RoleBinding to a ClusterRole grants only in its namespace",
    grant: (u) => grantInNamespace(s, "team-a", `n${++counter}`, [rule(["get", "list"], [""], ["configmaps"])], [u], true),
    allowed: [["GET", "/api/v1/namespaces/team-a/configmaps"], ["GET", "/api/v1/namespaces/team-a/configmaps/other"]],
    denied: [
      ["GET", "/api/v1/namespaces/team-b/configmaps", 'configmaps is forbidden: User "$U" cannot list resource "configmaps" in API group "" in the namespace "team-b"'],
      ["GET", "/api/v1/configmaps", 'configmaps is forbidden: User "$U" cannot list resource "configmaps" in API group "" at the cluster scope'],
    ],
  },
  {
    name: "a RoleBinding to a Role of the namespace",
    grant: (u) => grantInNamespace(s, "team-b", `r${++counter}`, [rule(["create"], [""], ["configmaps"])], [u]),
    allowed: [["POST", "/api/v1/namespaces/team-b/configmaps"]],
    denied: [["POST", "/api/v1/namespaces/team-a/configmaps", 'configmaps is forbidden: User "$U" cannot create resource "configmaps" in API group "" in the namespace "team-a"']],
  },
  {
    name: "resourceNames limit a grant to the named objects",
    grant: (u) => grantInNamespace(s, "team-a", `rn${++counter}`, [rule(["get", "update", "list"], [""], ["configmaps"], { resourceNames: ["allowed"] })], [u]),
    allowed: [["GET", "/api/v1/namespaces/team-a/configmaps/allowed"]],
    denied: [
      ["GET", "/api/v1/namespaces/team-a/configmaps/other", 'configmaps "other" is forbidden: User "$U" cannot get resource "configmaps" in API group "" in the namespace "team-a"'],
      ["GET", "/api/v1/namespaces/team-a/configmaps", 'configmaps is forbidden: User "$U" cannot list resource "configmaps" in API group "" in the namespace "team-a"'],
    ],
  },
  {
    name: "pods/log grants the log subresource, not the pod",
    grant: (u) => grantClusterWide(s, `l${++counter}`, [rule(["get"], [""], ["pods/log"])], [u]),
    allowed: [["GET", "/api/v1/namespaces/team-a/pods/p/log"]],
    denied: [
      ["GET", "/api/v1/namespaces/team-a/pods/p", 'pods "p" is forbidden: User "$U" cannot get resource "pods" in API group "" in the namespace "team-a"'],
      ["GET", "/api/v1/namespaces/team-a/pods/p/status", 'pods "p" is forbidden: User "$U" cannot get resource "pods/status" in API group "" in the namespace "team-a"'],
    ],
  },
  {
    name: "*/scale grants the scale subresource of every resource of the group",
    grant: (u) => grantClusterWide(s, `sc${++counter}`, [rule(["get", "update"], ["apps"], ["*/scale"])], [u]),
    allowed: [["GET", "/apis/apps/v1/namespaces/team-a/deployments/d/scale"], ["GET", "/apis/apps/v1/namespaces/team-a/replicasets/r/scale"]],
    denied: [
      ["GET", "/apis/apps/v1/namespaces/team-a/deployments/d", 'deployments.apps "d" is forbidden: User "$U" cannot get resource "deployments" in API group "apps" in the namespace "team-a"'],
      ["PUT", "/apis/apps/v1/namespaces/team-a/deployments/d/status", 'deployments.apps "d" is forbidden: User "$U" cannot update resource "deployments/status" in API group "apps" in the namespace "team-a"'],
    ],
  },
  {
    name: "wildcards on verbs, groups and resources",
    grant: (u) => grantInNamespace(s, "team-b", `w${++counter}`, [rule(["*"], ["*"], ["*"])], [u]),
    allowed: [["GET", "/apis/apps/v1/namespaces/team-b/deployments"], ["DELETE", "/api/v1/namespaces/team-b/pods/p"], ["POST", "/api/v1/namespaces/team-b/pods/p/binding"]],
    denied: [["GET", "/api/v1/namespaces/team-a/pods", 'pods is forbidden: User "$U" cannot list resource "pods" in API group "" in the namespace "team-a"']],
  },
  {
    name: "nonResourceURLs with a trailing * grant paths below the prefix",
    grant: (u) => grantClusterWide(s, `u${++counter}`, [{ verbs: ["get"], nonResourceURLs: ["/logs/*"] }], [u]),
    allowed: [["GET", "/logs/kube.log"]],
    denied: [
      ["GET", "/logs", 'forbidden: User "$U" cannot get path "/logs"'],
      ["GET", "/metrics", 'forbidden: User "$U" cannot get path "/metrics"'],
    ],
  },
  {
    name: "a namespace-scoped grant on namespaces allows reading that namespace only",
    grant: (u) => grantInNamespace(s, "team-a", `ns${++counter}`, [rule(["get"], [""], ["namespaces"])], [u], true),
    allowed: [["GET", "/api/v1/namespaces/team-a"]],
    denied: [
      ["GET", "/api/v1/namespaces/team-b", 'namespaces "team-b" is forbidden: User "$U" cannot get resource "namespaces" in API group "" in the namespace "team-b"'],
      ["GET", "/api/v1/namespaces", 'namespaces is forbidden: User "$U" cannot list resource "namespaces" in API group "" at the cluster scope'],
    ],
  },
];

describe("rule shapes", () => {
  for (const c of cases) {
    test(c.name, async () => {
      const name = `user-${++counter}`;
      await c.grant({ kind: "User", name });
      for (const [method, path] of c.allowed) {
        const res = await s.request(method, path, { as: caller(name), body: method === "POST" || method === "PUT" ? {} : undefined });
        await res.body?.cancel();
        expect({ method, path, status: res.status }).not.toEqual({ method, path, status: 403 });
      }
      for (const [method, path, message] of c.denied) {
        const res = await s.json(method, path, { as: caller(name), body: method === "POST" || method === "PUT" ? {} : undefined });
        expect({ method, path, status: res.status, message: res.body.message }).toEqual({ method, path, status: 403, message: message.replaceAll("$U", name) });
        expect(res.body.reason).toBe("Forbidden");
      }
    });
  }
});

describe("subjects", () => {
  test("a Group subject grants every member", async () => {
    await grantClusterWide(s, "group-grant", [rule(["list"], [""], ["services"])], [{ kind: "Group", name: "qa" }]);
    expect((await s.json("GET", "/api/v1/services", { as: caller("tess", ["qa"]) })).status).toBe(200);
    expect((await s.json("GET", "/api/v1/services", { as: caller("tess", ["dev"]) })).status).toBe(403);
  });

  test("a ServiceAccount subject without a namespace means the RoleBinding's namespace", async () => {
    await grantInNamespace(s, "team-b", "sa-local", [rule(["list"], [""], ["secrets"])], [{ kind: "ServiceAccount", name: "builder" }]);
    expect((await s.json("GET", "/api/v1/namespaces/team-b/secrets", { as: serviceAccountCaller("team-b", "builder") })).status).toBe(200);
    expect((await s.json("GET", "/api/v1/namespaces/team-b/secrets", { as: serviceAccountCaller("team-a", "builder") })).status).toBe(403);
  });

  test("the service-account groups select every account (of a namespace)", async () => {
    await grantClusterWide(s, "all-sa", [rule(["list"], [""], ["endpoints"])], [{ kind: "Group", name: "system:serviceaccounts:team-a" }]);
    expect((await s.json("GET", "/api/v1/endpoints", { as: serviceAccountCaller("team-a", "any") })).status).toBe(200);
    expect((await s.json("GET", "/api/v1/endpoints", { as: serviceAccountCaller("team-b", "any") })).status).toBe(403);
  });

  test("system:masters is allowed everything without any binding", async () => {
    const res = await s.json("GET", "/api/v1/namespaces/team-a/secrets", { as: caller("root", ["system:masters"]) });
    expect(res.status).toBe(200);
  });
});

describe("policy changes", () => {
  test("a new binding counts at once, and a deleted one stops counting", async () => {
    const who = caller("late");
    expect((await s.json("GET", "/api/v1/namespaces/team-a/events", { as: who })).status).toBe(403);
    await grantInNamespace(s, "team-a", "late", [rule(["list"], [""], ["events"])], [{ kind: "User", name: "late" }]);
    expect((await s.json("GET", "/api/v1/namespaces/team-a/events", { as: who })).status).toBe(200);
    expect((await s.json("DELETE", `${rbacApi}/namespaces/team-a/rolebindings/late`)).status).toBe(200);
    expect((await s.json("GET", "/api/v1/namespaces/team-a/events", { as: who })).status).toBe(403);
  });

  test("editing a role's rules changes what its bindings grant", async () => {
    await grantClusterWide(s, "editable", [rule(["list"], [""], ["pods"])], [{ kind: "User", name: "ed" }]);
    expect((await s.json("GET", "/api/v1/nodes", { as: caller("ed") })).status).toBe(403);
    const role = (await s.json("GET", `${rbacApi}/clusterroles/editable`)).body;
    role.rules.push(rule(["list"], [""], ["nodes"]));
    expect((await s.json("PUT", `${rbacApi}/clusterroles/editable`, { body: role })).status).toBe(200);
    expect((await s.json("GET", "/api/v1/nodes", { as: caller("ed") })).status).toBe(200);
  });

  test("a binding to a missing role adds RBAC's resolution error to the Forbidden message", async () => {
    await create(s, `${rbacApi}/clusterrolebindings`, { metadata: { name: "dangling" }, roleRef: roleRef("ClusterRole", "no-such-role"), subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "dan" }] });
    const res = await s.json("GET", "/api/v1/pods", { as: caller("dan") });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods is forbidden: User "dan" cannot list resource "pods" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "no-such-role" not found');
    expect(res.body.details).toEqual({ kind: "pods" });
  });
});
