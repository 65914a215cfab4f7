// ClusterRole aggregation: the bootstrap admin/edit/view roles are filled from their
// aggregate-to-* sources before the first request, and the controller keeps every
// aggregating role equal to the union of the roles its selectors match.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { caller, create, eventually, namespace, rbacApi, roleRef } from "./helpers.ts";

let s: InProcessServer;
const widgets = { verbs: ["get", "list", "watch"], apiGroups: ["example.com"], resources: ["widgets"] };

beforeAll(async () => {
  s = await startInProcessServer();
  await namespace(s, "agg");
});
afterAll(() => s.close());

const rulesOf = async (name: string): Promise<any[]> => (await s.json("GET", `${rbacApi}/clusterroles/${name}`)).body.rules ?? [];
const has = (rules: any[], rule: object) => rules.some((r) => JSON.stringify(r) === JSON.stringify(rule));

describe("bootstrap aggregation", () => {
  test("view, edit and admin hold their sources' rules from the start, each including the one below", async () => {
    const view = await rulesOf("view");
    const edit = await rulesOf("edit");
    const admin = await rulesOf("admin");
    expect(view).toContainEqual({ verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["namespaces"] });
    expect(view.every((r) => has(edit, r))).toBe(true);
    expect(edit.every((r) => has(admin, r))).toBe(true);
    expect(edit).toContainEqual({ verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"] });
    expect(admin).toContainEqual({ verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"] });
    expect(has(view, { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"] })).toBe(false);
  });

  test("a user bound to view may read pods and logs but not secrets", async () => {
    await create(s, `${rbacApi}/namespaces/agg/rolebindings`, { metadata: { name: "viewer" }, roleRef: roleRef("ClusterRole", "view"), subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "viewer" }] });
    expect((await s.json("GET", "/api/v1/namespaces/agg/pods", { as: caller("viewer") })).status).toBe(200);
    expect((await s.json("GET", "/api/v1/namespaces/agg/secrets", { as: caller("viewer") })).status).toBe(403);
  });
});

describe("the aggregation controller", () => {
  test("a role labelled aggregate-to-view reaches view, then edit and admin", async () => {
    await create(s, `${rbacApi}/clusterroles`, { metadata: { name: "widget-viewer", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }, rules: [widgets] });
    for (const role of ["view", "edit", "admin"]) await eventually(`${role} aggregates widgets`, async () => (has(await rulesOf(role), widgets) ? true : undefined));
    expect((await s.json("GET", "/apis/example.com/v1/namespaces/agg/widgets", { as: caller("viewer") })).status).not.toBe(403);
  });

  test("a custom aggregating role follows label changes and deletions of its sources", async () => {
    const label = "rbac.example.com/aggregate-to-monitoring";
    const a = { verbs: ["get"], apiGroups: [""], resources: ["services"] };
    const b = { verbs: ["list"], apiGroups: [""], resources: ["endpoints"] };
    await create(s, `${rbacApi}/clusterroles`, { metadata: { name: "monitoring" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: "true" } }] } });
    await create(s, `${rbacApi}/clusterroles`, { metadata: { name: "mon-a", labels: { [label]: "true" } }, rules: [a] });
    await create(s, `${rbacApi}/clusterroles`, { metadata: { name: "mon-b", labels: { [label]: "true" } }, rules: [b, a] });
    await eventually("both sources aggregated, each rule once, by source name", async () => {
      const rules = await rulesOf("monitoring");
      return JSON.stringify(rules) === JSON.stringify([a, b]) ? true : undefined;
    });

    const monB = (await s.json("GET", `${rbacApi}/clusterroles/mon-b`)).body;
    monB.metadata.labels = {};
    expect((await s.json("PUT", `${rbacApi}/clusterroles/mon-b`, { body: monB })).status).toBe(200);
    await eventually("unlabelled source dropped", async () => (JSON.stringify(await rulesOf("monitoring")) === JSON.stringify([a]) ? true : undefined));

    expect((await s.json("DELETE", `${rbacApi}/clusterroles/mon-a`)).status).toBe(200);
    await eventually("deleted source dropped", async () => ((await rulesOf("monitoring")).length === 0 ? true : undefined));
  });

  test("rules written by hand into an aggregating role are replaced by the aggregation", async () => {
    const view = (await s.json("GET", `${rbacApi}/clusterroles/view`)).body;
    const expected = JSON.stringify(view.rules);
    view.rules = [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }];
    expect((await s.json("PUT", `${rbacApi}/clusterroles/view`, { body: view })).status).toBe(200);
    await eventually("view restored", async () => (JSON.stringify(await rulesOf("view")) === expected ? true : undefined));
  });
});
