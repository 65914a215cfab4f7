// Lists: label selectors (full grammar), field selectors, limit/continue snapshots,
// remainingItemCount, cross-namespace lists and resourceVersion / resourceVersionMatch rules.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, listNames, pod } from "./helpers.ts";

let s: InProcessServer;
const pods = "/api/v1/namespaces/default/pods";
const merge = { "content-type": "application/merge-patch+json" };

beforeAll(async () => {
  s = await startInProcessServer();
  const fixtures: [string, Record<string, string>][] = [
    ["p-web-1", { app: "web", tier: "frontend", env: "prod" }],
    ["p-web-2", { app: "web", tier: "frontend" }],
    ["p-db", { app: "db", tier: "backend", env: "prod" }],
    ["p-cache", { app: "cache", env: "dev" }],
  ];
  for (const [name, labels] of fixtures) {
    const res = await s.json("POST", `${pods}?fieldManager=lists-test`, { body: pod(name, labels) });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
  await s.json("POST", "/api/v1/namespaces/kube-public/pods", { body: pod("p-elsewhere", { app: "web" }) });
  const bound = await s.json("POST", `${pods}/p-db/binding`, {
    body: { apiVersion: "v1", kind: "Binding", metadata: { name: "p-db" }, target: { apiVersion: "v1", kind: "Node", name: "n1" } },
  });
  if (bound.status !== 201) throw new Error(JSON.stringify(bound.body));
  const running = await s.json("PATCH", `${pods}/p-web-1/status`, { body: { status: { phase: "Running" } }, headers: merge });
  if (running.status !== 200) throw new Error(JSON.stringify(running.body));
});
afterAll(async () => {
  await s.close();
});

const byLabels = (selector: string) => listNames(s, `${pods}?labelSelector=${encodeURIComponent(selector)}`);
const byFields = (selector: string, path = pods) => listNames(s, `${path}?fieldSelector=${encodeURIComponent(selector)}`);

describe("labelSelector", () => {
  test("equality: =, == and !=", async () => {
    expect(await byLabels("app=web")).toEqual(["p-web-1", "p-web-2"]);
    expect(await byLabels("app==web")).toEqual(["p-web-1", "p-web-2"]);
    // != also selects objects that lack the key.
    expect(await byLabels("env!=prod")).toEqual(["p-cache", "p-web-2"]);
  });

  test("set-based: in, notin, exists and !key", async () => {
    expect(await byLabels("tier in (frontend,backend)")).toEqual(["p-db", "p-web-1", "p-web-2"]);
    expect(await byLabels("tier notin (frontend)")).toEqual(["p-cache", "p-db"]);
    expect(await byLabels("env")).toEqual(["p-cache", "p-db", "p-web-1"]);
    expect(await byLabels("!env")).toEqual(["p-web-2"]);
  });

  test("requirements are ANDed", async () => {
    expect(await byLabels("app=web,env")).toEqual(["p-web-1"]);
    expect(await byLabels("tier in (frontend, backend), env=prod, app!=db")).toEqual(["p-web-1"]);
    expect(await byLabels("app=web,app=db")).toEqual([]);
  });

  test("a malformed selector → 400 with the labels parser's message", async () => {
    const { status, body } = await s.json("GET", `${pods}?labelSelector=${encodeURIComponent("tier in")}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
    expect(body.message).toBe("unable to parse requirement: found '' expected: '('");
    const eq = await s.json("GET", `${pods}?labelSelector=${encodeURIComponent("=web")}`);
    expect(eq.status).toBe(400);
    expect(eq.body.message).toBe("found '=', expected: !, identifier, or 'end of string'");
  });
});

describe("fieldSelector", () => {
  test("metadata.name and metadata.namespace", async () => {
    expect(await byFields("metadata.name=p-db")).toEqual(["p-db"]);
    expect(await byFields("metadata.name!=p-db")).toEqual(["p-cache", "p-web-1", "p-web-2"]);
    expect(await byFields("metadata.namespace=kube-public", "/api/v1/pods")).toEqual(["p-elsewhere"]);
  });

  test("pod fields status.phase and spec.nodeName", async () => {
    expect(await byFields("status.phase=Running")).toEqual(["p-web-1"]);
    expect(await byFields("status.phase=Pending")).toEqual(["p-cache", "p-db", "p-web-2"]);
    expect(await byFields("spec.nodeName=n1")).toEqual(["p-db"]);
    // kubectl's "unscheduled pods" query.
    expect(await byFields("spec.nodeName=")).toEqual(["p-cache", "p-web-1", "p-web-2"]);
    expect(await byFields("spec.nodeName=n1,status.phase=Pending")).toEqual(["p-db"]);
  });

  test("the rest of upstream's field-label conversions: pods spec.host/status.podIPs, services spec.type/spec.clusterIP", async () => {
    // pkg/apis/core/v1/conversion.go: spec.host is converted to spec.nodeName for old clients.
    expect(await byFields("spec.host=n1")).toEqual(["p-db"]);
    expect(await byFields("status.podIPs=")).toEqual(["p-cache", "p-db", "p-web-1", "p-web-2"]);
    const svc = "/api/v1/namespaces/default/services";
    expect(await listNames(s, `${svc}?fieldSelector=spec.type%3DClusterIP`)).toEqual(["kubernetes"]);
    expect(await listNames(s, `${svc}?fieldSelector=spec.clusterIP%3D10.96.0.1`)).toEqual(["kubernetes"]);
  });

  test("combined with a label selector", async () => {
    expect(await listNames(s, `${pods}?labelSelector=app%3Dweb&fieldSelector=status.phase%3DRunning`)).toEqual(["p-web-1"]);
  });

  test("pods: an unsupported field → 400 `field label not supported: x`", async () => {
    const { status, body } = await s.json("GET", `${pods}?fieldSelector=x%3D1`);
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect(body.message).toBe("field label not supported: x");
  });

  test("types without field-label conversions get DefaultMetaV1FieldSelectorConversion's message", async () => {
    // ConfigMap and Deployment register no conversion func: runtime.DefaultMetaV1FieldSelectorConversion.
    for (const path of ["/api/v1/namespaces/default/configmaps", "/apis/apps/v1/namespaces/default/deployments"]) {
      const { status, body } = await s.json("GET", `${path}?fieldSelector=spec.foo%3D1`);
      expect(status).toBe(400);
      expect(body.message).toBe('"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
    }
  });

  test("a malformed field selector → 400", async () => {
    const { status, body } = await s.json("GET", `${pods}?fieldSelector=${encodeURIComponent("metadata.name")}`);
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect(body.message).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  });
});

describe("across namespaces", () => {
  test("/api/v1/pods lists every namespace with namespaced items", async () => {
    const { status, body } = await s.json("GET", "/api/v1/pods");
    expect(status).toBe(200);
    expect(body.kind).toBe("PodList");
    const names = body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`).sort();
    expect(names).toEqual(["default/p-cache", "default/p-db", "default/p-web-1", "default/p-web-2", "kube-public/p-elsewhere"]);
    expect(body.items[0].kind).toBeUndefined();
  });

  test("a cross-namespace list with a label selector", async () => {
    expect(await listNames(s, "/api/v1/pods?labelSelector=app%3Dweb")).toEqual(["p-elsewhere", "p-web-1", "p-web-2"]);
  });
});

describe("limit and continue", () => {
  const ns = "/api/v1/namespaces/kube-node-lease/configmaps";

  test("pages form one consistent snapshot even with writes in between", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) await s.json("POST", ns, { body: configMap(`page-${n}`, { data: { v: "old" } }) });
    const first = await s.json("GET", `${ns}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: any) => i.metadata.name)).toEqual(["page-a", "page-b"]);
    expect(first.body.metadata.continue).toBeString();
    expect(first.body.metadata.remainingItemCount).toBe(3);
    const snapshot = first.body.metadata.resourceVersion;

    // Writes after the first page must not show up in later pages.
    await s.json("POST", ns, { body: configMap("page-bb") });
    await s.json("DELETE", `${ns}/page-d`);
    await s.json("PATCH", `${ns}/page-c`, { body: { data: { v: "new" } }, headers: merge });

    const second = await s.json("GET", `${ns}?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(second.status).toBe(200);
    expect(second.body.items.map((i: any) => i.metadata.name)).toEqual(["page-c", "page-d"]);
    expect(second.body.items[0].data).toEqual({ v: "old" });
    expect(second.body.metadata.resourceVersion).toBe(snapshot);
    expect(second.body.metadata.remainingItemCount).toBe(1);

    const third = await s.json("GET", `${ns}?limit=2&continue=${encodeURIComponent(second.body.metadata.continue)}`);
    expect(third.body.items.map((i: any) => i.metadata.name)).toEqual(["page-e"]);
    expect(third.body.metadata.continue).toBeUndefined();
    expect(third.body.metadata.remainingItemCount).toBeUndefined();

    expect(await listNames(s, ns)).toEqual(["page-a", "page-b", "page-bb", "page-c", "page-e"]);
  });

  test("limit with a label selector fills pages with matches only", async () => {
    const path = "/api/v1/pods?labelSelector=app%3Dweb&limit=2";
    const first = await s.json("GET", path);
    expect(first.body.items.length).toBe(2);
    const rest = await s.json("GET", `${path}&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    const all = [...first.body.items, ...rest.body.items].map((i: any) => i.metadata.name).sort();
    expect(all).toEqual(["p-elsewhere", "p-web-1", "p-web-2"]);
    // Matching reads objects without managedFields; the items listed are still whole, as a GET gives them.
    const item = first.body.items.find((i: any) => i.metadata.name === "p-web-1");
    const single = await s.json("GET", `/api/v1/namespaces/${item.metadata.namespace}/pods/${item.metadata.name}`);
    const { kind, apiVersion, ...whole } = single.body;
    expect(item.metadata.managedFields).toBeArray();
    expect(item).toEqual(whole);
  });

  test("continue together with resourceVersion → 400", async () => {
    const first = await s.json("GET", `${pods}?limit=1`);
    const token = encodeURIComponent(first.body.metadata.continue);
    const { status, body } = await s.json("GET", `${pods}?limit=1&continue=${token}&resourceVersion=${first.body.metadata.resourceVersion}`);
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect(body.message).toBe("specifying resource version is not allowed when using continue");
  });

  test("a garbage continue token → 400 BadRequest", async () => {
    const { status, body } = await s.json("GET", `${pods}?limit=1&continue=not-a-token`);
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
  });

  test("a continue token older than compaction → 410 Expired carrying a fresh continue token", async () => {
    const own = await startInProcessServer();
    try {
      const path = "/api/v1/namespaces/default/configmaps";
      for (const n of ["x1", "x2", "x3"]) await own.json("POST", path, { body: configMap(n) });
      const first = await own.json("GET", `${path}?limit=1`);
      await own.json("POST", path, { body: configMap("x4") });
      await own.core.store.compact(await own.core.store.currentRevision());
      const { status, body } = await own.json("GET", `${path}?limit=1&continue=${encodeURIComponent(first.body.metadata.continue)}`);
      expect(status).toBe(410);
      expect(body.reason).toBe("Expired");
      // storage/etcd3 handleCompactedErrorForPaging: inconsistentContinue + ListMeta.Continue.
      expect(body.message).toBe(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      );
      expect(body.metadata.continue).toBeString();
      const rest = await own.json("GET", `${path}?continue=${encodeURIComponent(body.metadata.continue)}`);
      expect(rest.status).toBe(200);
      expect(rest.body.items.map((i: any) => i.metadata.name)).toEqual(["x2", "x3", "x4"]);
    } finally {
      await own.close();
    }
  });
});

describe("resourceVersion and resourceVersionMatch", () => {
  const cms = "/api/v1/namespaces/default/configmaps";

  test("resourceVersion=0 answers a list", async () => {
    const { status, body } = await s.json("GET", `${pods}?resourceVersion=0`);
    expect(status).toBe(200);
    expect(body.items.length).toBe(4);
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  test("resourceVersionMatch=Exact at an older revision returns the old state", async () => {
    const v1 = (await s.json("POST", cms, { body: configMap("rv-old", { data: { v: "1" } }) })).body.metadata.resourceVersion;
    await s.json("PATCH", `${cms}/rv-old`, { body: { data: { v: "2" } }, headers: merge });
    await s.json("POST", cms, { body: configMap("rv-later") });
    const { status, body } = await s.json("GET", `${cms}?resourceVersion=${v1}&resourceVersionMatch=Exact`);
    expect(status).toBe(200);
    expect(body.metadata.resourceVersion).toBe(v1);
    const names = body.items.map((i: any) => i.metadata.name);
    expect(names).toContain("rv-old");
    expect(names).not.toContain("rv-later");
    expect(body.items.find((i: any) => i.metadata.name === "rv-old").data).toEqual({ v: "1" });
    const now = await s.json("GET", `${cms}?resourceVersion=${v1}&resourceVersionMatch=NotOlderThan`);
    expect(now.body.items.find((i: any) => i.metadata.name === "rv-old").data).toEqual({ v: "2" });
  });

  test("resourceVersionMatch without resourceVersion → 422 Invalid ListOptions", async () => {
    const { status, body } = await s.json("GET", `${cms}?resourceVersionMatch=NotOlderThan`);
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  });

  test("resourceVersionMatch=Exact with resourceVersion=0 → 422", async () => {
    const { status, body } = await s.json("GET", `${cms}?resourceVersion=0&resourceVersionMatch=Exact`);
    expect(status).toBe(422);
    expect(body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  });

  test("an unknown resourceVersionMatch → 422 NotSupported", async () => {
    const { status, body } = await s.json("GET", `${cms}?resourceVersion=1&resourceVersionMatch=Newest`);
    expect(status).toBe(422);
    expect(body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""');
  });

  test("a resourceVersion from the future → 504 Timeout with the ResourceVersionTooLarge cause", async () => {
    const { status, body } = await s.json("GET", `${cms}?resourceVersion=999999999`);
    expect(status).toBe(504);
    expect(body.reason).toBe("Timeout");
    // storage.NewTooLargeResourceVersionError → errors.NewTimeoutError prefixes "Timeout: ".
    expect(body.message).toMatch(/^Timeout: Too large resource version: 999999999, current: \d+$/);
    expect(body.details.causes).toEqual([{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }]);
  });

  test("a non-numeric resourceVersion is a client error, never a 500", async () => {
    const { status, body } = await s.json("GET", `${cms}?resourceVersion=abc`);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(body.kind).toBe("Status");
  });
});
