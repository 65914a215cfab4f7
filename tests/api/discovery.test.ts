// Discovery (legacy and aggregated v2/v2beta1), health and version endpoints, and what an
// unauthenticated caller may see under kube-apiserver's default policy.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const v2beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
// What kubectl ≥ 1.30 sends.
const kubectlAccept = `${v2},${v2beta1},application/json`;

function mediaParams(contentType: string | null): Record<string, string> {
  const [type, ...params] = (contentType ?? "").split(";").map((p) => p.trim());
  const out: Record<string, string> = { type };
  for (const p of params) {
    const [k, v] = p.split("=");
    out[k] = v;
  }
  return out;
}

describe("legacy discovery", () => {
  test("/api lists v1 with serverAddressByClientCIDRs", async () => {
    const { status, body, headers } = await s.json("GET", "/api");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toStartWith("application/json");
    expect(body.kind).toBe("APIVersions");
    expect(body.versions).toEqual(["v1"]);
    expect(body.serverAddressByClientCIDRs).toEqual([{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }]);
  });

  test("/apis lists the groups with preferred versions", async () => {
    const { status, body } = await s.json("GET", "/apis");
    expect(status).toBe(200);
    expect(body.kind).toBe("APIGroupList");
    expect(body.apiVersion).toBe("v1");
    const groups = body.groups.map((g: any) => g.name);
    for (const g of ["apps", "rbac.authorization.k8s.io", "coordination.k8s.io", "events.k8s.io"]) expect(groups).toContain(g);
    const apps = body.groups.find((g: any) => g.name === "apps");
    expect(apps.versions).toEqual([{ groupVersion: "apps/v1", version: "v1" }]);
    expect(apps.preferredVersion).toEqual({ groupVersion: "apps/v1", version: "v1" });
  });

  test("/api/v1 resource list: names, kinds, verbs, shortNames, categories, subresources", async () => {
    const { status, body } = await s.json("GET", "/api/v1");
    expect(status).toBe(200);
    expect(body.kind).toBe("APIResourceList");
    expect(body.groupVersion).toBe("v1");
    const byName = new Map(body.resources.map((r: any) => [r.name, r]));
    expect(byName.get("pods")).toMatchObject({ name: "pods", singularName: "pod", namespaced: true, kind: "Pod", shortNames: ["po"], categories: ["all"] });
    expect([...(byName.get("pods") as any).verbs].sort()).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(byName.get("pods/status")).toMatchObject({ namespaced: true, kind: "Pod", verbs: ["get", "patch", "update"] });
    expect(byName.get("pods/binding")).toMatchObject({ namespaced: true, kind: "Binding", verbs: ["create"] });
    expect(byName.get("namespaces")).toMatchObject({ namespaced: false, kind: "Namespace", shortNames: ["ns"] });
    expect((byName.get("namespaces") as any).verbs).not.toContain("deletecollection");
    expect(byName.get("namespaces/finalize")).toMatchObject({ kind: "Namespace", verbs: ["update"] });
    expect(byName.get("configmaps")).toMatchObject({ kind: "ConfigMap", shortNames: ["cm"] });
    expect((byName.get("configmaps") as any).storageVersionHash).toBeString();
  });

  test("/apis/apps/v1 lists deployments/scale in group autoscaling", async () => {
    const { body } = await s.json("GET", "/apis/apps/v1");
    expect(body.groupVersion).toBe("apps/v1");
    const scale = body.resources.find((r: any) => r.name === "deployments/scale");
    expect(scale).toMatchObject({ namespaced: true, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] });
    const deployments = body.resources.find((r: any) => r.name === "deployments");
    expect(deployments).toMatchObject({ kind: "Deployment", singularName: "deployment", shortNames: ["deploy"], categories: ["all"] });
  });

  test("/apis/apps answers its APIGroup; unknown groups and versions → 404", async () => {
    const { body } = await s.json("GET", "/apis/apps");
    expect(body).toMatchObject({ kind: "APIGroup", apiVersion: "v1", name: "apps", preferredVersion: { groupVersion: "apps/v1", version: "v1" } });
    expect((await s.json("GET", "/apis/nope.example.com")).status).toBe(404);
    expect((await s.json("GET", "/apis/apps/v7")).status).toBe(404);
    expect((await s.json("GET", "/api/v2")).status).toBe(404);
  });
});

describe("aggregated discovery", () => {
  for (const [version, accept] of [["v2", v2], ["v2beta1", v2beta1]] as const) {
    test(`/apis and /api as APIGroupDiscoveryList ${version}`, async () => {
      const res = await s.request("GET", "/apis", { headers: { accept } });
      expect(res.status).toBe(200);
      expect(mediaParams(res.headers.get("content-type"))).toMatchObject({ type: "application/json", g: "apidiscovery.k8s.io", v: version, as: "APIGroupDiscoveryList" });
      const body = (await res.json()) as any;
      expect(body.kind).toBe("APIGroupDiscoveryList");
      expect(body.apiVersion).toBe(`apidiscovery.k8s.io/${version}`);
      const apps = body.items.find((i: any) => i.metadata.name === "apps");
      const deployments = apps.versions[0].resources.find((r: any) => r.resource === "deployments");
      expect(deployments).toMatchObject({ responseKind: { group: "apps", version: "v1", kind: "Deployment" }, scope: "Namespaced", singularResource: "deployment", shortNames: ["deploy"] });
      expect(deployments.subresources.find((sr: any) => sr.subresource === "scale")).toMatchObject({ responseKind: { group: "autoscaling", version: "v1", kind: "Scale" } });
      const core = await s.request("GET", "/api", { headers: { accept } });
      const coreBody = (await core.json()) as any;
      expect(coreBody.items.length).toBe(1);
      const pods = coreBody.items[0].versions[0].resources.find((r: any) => r.resource === "pods");
      expect(pods).toMatchObject({ responseKind: { group: "", version: "v1", kind: "Pod" }, scope: "Namespaced", categories: ["all"] });
    });
  }

  test("kubectl's Accept list selects v2", async () => {
    const res = await s.request("GET", "/apis", { headers: { accept: kubectlAccept } });
    expect(mediaParams(res.headers.get("content-type")).v).toBe("v2");
    expect(((await res.json()) as any).apiVersion).toBe("apidiscovery.k8s.io/v2");
  });

  test("an ETag is returned and If-None-Match answers 304", async () => {
    const first = await s.request("GET", "/apis", { headers: { accept: v2 } });
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    await first.text();
    const again = await s.request("GET", "/apis", { headers: { accept: v2, "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const other = await s.request("GET", "/apis", { headers: { accept: v2, "if-none-match": '"stale"' } });
    expect(other.status).toBe(200);
  });
});

describe("health and version", () => {
  test("/readyz?verbose lists the checks as [+]name ok", async () => {
    const res = await s.request("GET", "/readyz?verbose");
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split("\n");
    expect(lines).toContain("[+]ping ok");
    expect(lines).toContain("[+]etcd ok");
    expect(lines.at(-1)).toBe("readyz check passed");
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^\[\+\][\w/-]+ ok$/);
  });

  test("/healthz, /livez, /readyz answer ok; /healthz/ping answers ok; unknown checks → 404", async () => {
    for (const path of ["/healthz", "/livez", "/readyz", "/healthz/ping", "/livez/ping"]) {
      const res = await s.request("GET", path);
      expect({ path, status: res.status, text: await res.text() }).toEqual({ path, status: 200, text: "ok" });
    }
    expect((await s.request("GET", "/healthz/no-such-check")).status).toBe(404);
  });

  test("/readyz?exclude=etcd marks the check excluded", async () => {
    const text = await (await s.request("GET", "/readyz?verbose&exclude=etcd")).text();
    expect(text).toContain("[+]etcd excluded: ok");
  });

  test("/version has kube-apiserver's fields", async () => {
    const { status, body } = await s.json("GET", "/version");
    expect(status).toBe(200);
    expect(body.major).toBe("1");
    expect(body.minor).toMatch(/^\d+$/);
    expect(body.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(body.platform).toMatch(/^linux\/(amd64|arm64)$/);
    for (const key of ["gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler"]) expect(body[key]).toBeString();
  });
});

describe("unauthenticated callers", () => {
  test("anonymous GET /api/v1/pods → 403 with upstream wording", async () => {
    const { status, body } = await s.json("GET", "/api/v1/pods", { as: "anonymous" });
    expect(status).toBe(403);
    expect(body).toMatchObject({ kind: "Status", status: "Failure", reason: "Forbidden", code: 403, details: { kind: "pods" } });
    expect(body.message).toBe('pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope');
  });

  test("anonymous access to one namespaced object names it and its namespace", async () => {
    const { status, body } = await s.json("GET", "/api/v1/namespaces/default/configmaps/x", { as: "anonymous" });
    expect(status).toBe(403);
    expect(body.message).toBe('configmaps "x" is forbidden: User "system:anonymous" cannot get resource "configmaps" in API group "" in the namespace "default"');
  });

  test("anonymous list of namespaces is denied 'at the cluster scope'", async () => {
    const { status, body } = await s.json("GET", "/api/v1/namespaces", { as: "anonymous" });
    expect(status).toBe(403);
    expect(body.message).toBe('namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope');
  });

  test("anonymous callers may read /healthz, /livez, /readyz and /version", async () => {
    for (const path of ["/healthz", "/livez", "/readyz", "/version"]) {
      const res = await s.request("GET", path, { as: "anonymous" });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      await res.text();
    }
  });

  test("anonymous discovery is forbidden (system:discovery binds only system:authenticated)", async () => {
    for (const path of ["/api", "/apis", "/api/v1", "/apis/apps/v1"]) {
      const { status, body } = await s.json("GET", path, { as: "anonymous" });
      expect({ path, status }).toEqual({ path, status: 403 });
      expect(body.message).toBe(`forbidden: User "system:anonymous" cannot get path "${path}"`);
    }
  });
});
