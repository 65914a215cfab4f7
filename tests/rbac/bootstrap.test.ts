// The bootstrap policy: what a fresh server holds, what it lets anonymous and authenticated
// callers do, and how a restart completes (never prunes) an edited policy.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/index.ts";
import { createServerCore, type ServerCore } from "../../server/index.ts";
import { startInProcessServer } from "../support/in-process.ts";
import { caller, rbacApi } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-rbac-bootstrap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a fresh server", () => {
  test("holds upstream's bootstrap roles and bindings, labelled and auto-updated", async () => {
    const s = await startInProcessServer();
    try {
      const roles = (await s.json("GET", `${rbacApi}/clusterroles`)).body.items.map((r: any) => r.metadata.name);
      for (const name of ["cluster-admin", "admin", "edit", "view", "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view", "system:discovery", "system:basic-user", "system:public-info-viewer", "system:monitoring", "system:auth-delegator", "system:kube-scheduler", "system:kube-controller-manager", "system:node"]) {
        expect(roles).toContain(name);
      }
      const admin = (await s.json("GET", `${rbacApi}/clusterroles/cluster-admin`)).body;
      expect(admin.metadata.labels).toEqual({ "kubernetes.io/bootstrapping": "rbac-defaults" });
      expect(admin.metadata.annotations).toEqual({ "rbac.authorization.kubernetes.io/autoupdate": "true" });
      expect(admin.rules).toEqual([{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verbs: ["*"], nonResourceURLs: ["*"] }]);
      const subjects = async (name: string) => (await s.json("GET", `${rbacApi}/clusterrolebindings/${name}`)).body.subjects;
      expect(await subjects("cluster-admin")).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }]);
      expect(await subjects("system:discovery")).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }]);
      expect(await subjects("system:basic-user")).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }]);
      expect(await subjects("system:public-info-viewer")).toEqual([
        { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" },
        { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:unauthenticated" },
      ]);
    } finally {
      await s.close();
    }
  });

  test("anonymous callers get health and version only; any authenticated user also discovery and OpenAPI; checks need system:monitoring", async () => {
    const s = await startInProcessServer();
    try {
      const status = async (path: string, as: any) => {
        const res = await s.request("GET", path, { as });
        await res.body?.cancel();
        return res.status;
      };
      for (const path of ["/healthz", "/livez", "/readyz", "/version"]) {
        expect({ path, anonymous: await status(path, "anonymous") }).toEqual({ path, anonymous: 200 });
      }
      for (const path of ["/api", "/api/v1", "/apis", "/apis/apps/v1", "/openapi/v2", "/openapi/v3"]) {
        expect({ path, anonymous: await status(path, "anonymous"), user: await status(path, caller("someone")) }).toEqual({ path, anonymous: 403, user: 200 });
      }
      // system:discovery names /healthz, /livez and /readyz exactly; their checks need system:monitoring.
      for (const path of ["/metrics", "/healthz/ping", "/readyz/etcd"]) expect({ path, user: await status(path, caller("someone")) }).toEqual({ path, user: 403 });
      expect(await status("/livez/ping", caller("prometheus", ["system:monitoring"]))).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe("reconciliation at start", () => {
  test("restores missing rules and subjects, keeps additions, and leaves autoupdate=false objects alone", async () => {
    const path = join(dir, "kapi.db");
    const first = await open(path);
    const basicUser = (await call(first, "GET", `${rbacApi}/clusterroles/system:basic-user`)).body;
    const extra = { verbs: ["get"], apiGroups: [""], resources: ["configmaps"] };
    await call(first, "PUT", `${rbacApi}/clusterroles/system:basic-user`, { ...basicUser, rules: [basicUser.rules[1], extra] });
    const discovery = (await call(first, "GET", `${rbacApi}/clusterrolebindings/system:discovery`)).body;
    await call(first, "PUT", `${rbacApi}/clusterrolebindings/system:discovery`, { ...discovery, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "only-me" }] });
    const viewer = (await call(first, "GET", `${rbacApi}/clusterroles/system:public-info-viewer`)).body;
    viewer.metadata.annotations["rbac.authorization.kubernetes.io/autoupdate"] = "false";
    await call(first, "PUT", `${rbacApi}/clusterroles/system:public-info-viewer`, { ...viewer, rules: [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }] });
    expect((await call(first, "DELETE", `${rbacApi}/clusterroles/system:monitoring`)).status).toBe(200);
    await first.core.close();
    await first.close();

    const second = await open(path);
    try {
      const rules = (await call(second, "GET", `${rbacApi}/clusterroles/system:basic-user`)).body.rules;
      expect(rules).toEqual([basicUser.rules[1], extra, { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews"] }, { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectrulesreviews"] }]);
      const subjects = (await call(second, "GET", `${rbacApi}/clusterrolebindings/system:discovery`)).body.subjects;
      expect(subjects).toEqual([
        { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "only-me" },
        { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" },
      ]);
      expect((await call(second, "GET", `${rbacApi}/clusterroles/system:public-info-viewer`)).body.rules).toEqual([{ verbs: ["get"], nonResourceURLs: ["/healthz"] }]);
      expect((await call(second, "GET", `${rbacApi}/clusterroles/system:monitoring`)).status).toBe(200);
    } finally {
      await second.core.close();
      await second.close();
    }
  });
});

async function open(path: string): Promise<{ core: ServerCore; close(): Promise<void> }> {
  const store = await openSqliteStore(path);
  const core = await createServerCore(store, { serverAddress: "127.0.0.1:6443", endpoint: { ip: "127.0.0.1", port: 6443 }, dataDir: dir });
  return { core, close: () => store.close() };
}

async function call(server: { core: ServerCore }, method: string, path: string, body?: object): Promise<{ status: number; body: any }> {
  const admin = { commonName: "kubernetes-admin", organizations: ["system:masters"] };
  const init: RequestInit = { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined };
  const res = await server.core.app.fetch(new Request(`https://127.0.0.1:6443${path}`, init), { remoteAddress: "127.0.0.1", peerCertificate: admin });
  return { status: res.status, body: await res.json() };
}
