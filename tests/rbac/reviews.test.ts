// authorization.k8s.io/v1 reviews: what they answer, the reasons they give, how they refuse
// malformed requests, and their place in discovery.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { accessReview, authzApi, caller, create, grantClusterWide, grantInNamespace, namespace, rbacApi, roleRef, serviceAccountCaller } from "./helpers.ts";

let s: InProcessServer;

beforeAll(async () => {
  s = await startInProcessServer();
  await namespace(s, "dev");
  await grantClusterWide(s, "pod-lister", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }], [{ kind: "ServiceAccount", name: "read-only-user", namespace: "default" }]);
  await grantInNamespace(s, "dev", "dev-edit", [], [{ kind: "Group", name: "devs" }, { kind: "User", name: "alice" }], true);
  await create(s, `${rbacApi}/namespaces/dev/rolebindings`, { metadata: { name: "alice-view" }, roleRef: roleRef("ClusterRole", "view"), subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice" }] });
});
afterAll(() => s.close());

describe("SubjectAccessReview", () => {
  test("allowed, with the reason naming the ClusterRoleBinding, role and subject", async () => {
    const spec = { user: "system:serviceaccount:default:read-only-user", groups: ["system:serviceaccounts"], resourceAttributes: { verb: "list", resource: "pods" } };
    expect(await accessReview(s, spec)).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "pod-lister" of ClusterRole "pod-lister" to ServiceAccount "read-only-user/default"',
    });
  });

  test("allowed by a RoleBinding: the reason names it as name/namespace", async () => {
    const spec = { user: "alice", resourceAttributes: { namespace: "dev", verb: "get", resource: "pods", subresource: "log" } };
    expect(await accessReview(s, spec)).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-view/dev" of ClusterRole "view" to User "alice"' });
  });

  test("not allowed: allowed false, nothing else", async () => {
    const spec = { user: "alice", groups: ["devs"], resourceAttributes: { namespace: "dev", verb: "get", resource: "secrets" } };
    expect(await accessReview(s, spec)).toEqual({ allowed: false });
  });

  test("the groups are taken as given (no system:authenticated is added)", async () => {
    expect(await accessReview(s, { user: "bob", nonResourceAttributes: { verb: "get", path: "/api" } })).toEqual({ allowed: false });
    const withGroup = await accessReview(s, { user: "bob", groups: ["system:authenticated"], nonResourceAttributes: { verb: "get", path: "/api" } });
    expect(withGroup).toEqual({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' });
  });

  test("system:masters is allowed with no reason (the privileged group comes before RBAC)", async () => {
    expect(await accessReview(s, { groups: ["system:masters"], resourceAttributes: { verb: "delete", resource: "nodes" } })).toEqual({ allowed: true });
  });

  test("a binding to a missing role shows up in the reason of a refusal", async () => {
    await create(s, `${rbacApi}/clusterrolebindings`, { metadata: { name: "broken" }, roleRef: roleRef("ClusterRole", "gone"), subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "carol" }] });
    expect(await accessReview(s, { user: "carol", resourceAttributes: { verb: "get", resource: "pods" } })).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
  });

  test("the response echoes the request with its status, 201", async () => {
    const res = await s.json("POST", `${authzApi}/subjectaccessreviews`, { body: { spec: { user: "alice", resourceAttributes: { namespace: "dev", verb: "list", resource: "pods" } } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "SubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec: { user: "alice" }, status: { allowed: true } });
  });

  const invalid: [string, object, string][] = [
    ["neither attributes", { user: "a" }, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified'],
    ["no user nor group", { resourceAttributes: { verb: "get", resource: "pods" } }, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified'],
  ];
  for (const [name, spec, message] of invalid) {
    test(`invalid: ${name} → 422`, async () => {
      const res = await s.json("POST", `${authzApi}/subjectaccessreviews`, { body: { spec } });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe(message);
    });
  }

  test("asking needs create on subjectaccessreviews", async () => {
    const res = await s.json("POST", `${authzApi}/subjectaccessreviews`, { as: caller("alice"), body: { spec: { user: "x", resourceAttributes: { verb: "get", resource: "pods" } } } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('subjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
  });
});

describe("SelfSubjectAccessReview", () => {
  test("evaluates for the caller (any authenticated user may ask)", async () => {
    const as = serviceAccountCaller("default", "read-only-user");
    const ask = async (resourceAttributes: object) => (await s.json("POST", `${authzApi}/selfsubjectaccessreviews`, { as, body: { spec: { resourceAttributes } } })).body.status;
    expect(await ask({ verb: "list", resource: "pods" })).toMatchObject({ allowed: true });
    expect(await ask({ verb: "get", resource: "pods", namespace: "default" })).toEqual({ allowed: false });
  });

  test("evaluates for the impersonated user under impersonation", async () => {
    const res = await s.json("POST", `${authzApi}/selfsubjectaccessreviews`, {
      headers: { "Impersonate-User": "alice" },
      body: { spec: { resourceAttributes: { namespace: "dev", verb: "list", resource: "pods" } } },
    });
    expect(res.body.status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-view/dev" of ClusterRole "view" to User "alice"' });
  });

  test("non-resource attributes", async () => {
    const res = await s.json("POST", `${authzApi}/selfsubjectaccessreviews`, { as: caller("zed"), body: { spec: { nonResourceAttributes: { verb: "get", path: "/healthz" } } } });
    expect(res.body.status.allowed).toBe(true);
  });

  test("both kinds of attributes → 422", async () => {
    const spec = { resourceAttributes: { verb: "get", resource: "pods" }, nonResourceAttributes: { verb: "get", path: "/" } };
    const res = await s.json("POST", `${authzApi}/selfsubjectaccessreviews`, { body: { spec } });
    expect(res.status).toBe(422);
    expect(res.body.message).toStartWith('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: ');
    expect(res.body.message).toEndWith(": cannot be specified in combination with resourceAttributes");
  });

  test("anonymous callers may not ask", async () => {
    const res = await s.json("POST", `${authzApi}/selfsubjectaccessreviews`, { as: "anonymous", body: { spec: { nonResourceAttributes: { verb: "get", path: "/" } } } });
    expect(res.status).toBe(403);
  });
});

describe("LocalSubjectAccessReview", () => {
  const path = `${authzApi}/namespaces/dev/localsubjectaccessreviews`;

  test("evaluates in the URL's namespace", async () => {
    const body = { metadata: { namespace: "dev" }, spec: { user: "alice", resourceAttributes: { namespace: "dev", verb: "watch", resource: "deployments", group: "apps" } } };
    const res = await s.json("POST", path, { body });
    expect(res.status).toBe(201);
    expect(res.body.status.allowed).toBe(true);
  });

  test("the attributes' namespace must match", async () => {
    const res = await s.json("POST", path, { body: { spec: { user: "alice", resourceAttributes: { namespace: "other", verb: "get", resource: "pods" } } } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace');
  });

  test("admin and edit users of a namespace may ask there (system:aggregate-to-admin)", async () => {
    await create(s, `${rbacApi}/namespaces/dev/rolebindings`, { metadata: { name: "dave-admin" }, roleRef: roleRef("ClusterRole", "admin"), subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "dave" }] });
    const body = { spec: { user: "alice", resourceAttributes: { namespace: "dev", verb: "get", resource: "pods" } } };
    expect((await s.json("POST", path, { as: caller("dave"), body })).status).toBe(201);
    expect((await s.json("POST", `${authzApi}/namespaces/default/localsubjectaccessreviews`, { as: caller("dave"), body })).status).toBe(403);
  });
});

describe("SelfSubjectRulesReview", () => {
  test("lists the caller's resource and non-resource rules in a namespace", async () => {
    const res = await s.json("POST", `${authzApi}/selfsubjectrulesreviews`, { as: serviceAccountCaller("default", "read-only-user"), body: { spec: { namespace: "default" } } });
    expect(res.status).toBe(201);
    expect(res.body.status.incomplete).toBe(false);
    expect(res.body.status.resourceRules).toContainEqual({ verbs: ["list"], apiGroups: [""], resources: ["pods"] });
    expect(res.body.status.resourceRules).toContainEqual({ verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] });
    expect(res.body.status.nonResourceRules).toContainEqual({ verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"] });
    expect(res.body.status.evaluationError).toBeUndefined();
  });

  test("a missing role becomes the evaluationError", async () => {
    const res = await s.json("POST", `${authzApi}/selfsubjectrulesreviews`, { as: caller("carol"), body: { spec: { namespace: "dev" } } });
    expect(res.body.status.evaluationError).toBe('clusterrole.rbac.authorization.k8s.io "gone" not found');
  });

  test("a namespace is required", async () => {
    const res = await s.json("POST", `${authzApi}/selfsubjectrulesreviews`, { body: { spec: {} } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("no namespace on request");
  });
});

describe("discovery", () => {
  test("authorization.k8s.io/v1 lists the four reviews, create only", async () => {
    const res = await s.json("GET", "/apis/authorization.k8s.io/v1");
    const resources = res.body.resources.map((r: any) => [r.name, r.namespaced, r.verbs]);
    expect(resources).toEqual([
      ["localsubjectaccessreviews", true, ["create"]],
      ["selfsubjectaccessreviews", false, ["create"]],
      ["selfsubjectrulesreviews", false, ["create"]],
      ["subjectaccessreviews", false, ["create"]],
    ]);
  });
});
