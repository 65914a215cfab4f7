// The official python client (`kubernetes` 22.x, Debian's python3-kubernetes) against
// `kapi serve`: each script in ./python prints one JSON document that is asserted here.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "../support/kubectl.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const scripts = join(import.meta.dir, "python");
let server: TestServer;
let python: string;

/** Debian's python3 (`command -v -p`), which sees python3-kubernetes; pyenv's does not. */
async function debianPython(): Promise<string> {
  const found = await run(["sh", "-c", "command -v -p python3"]);
  const path = found.stdout.trim();
  if (found.code !== 0 || !path) throw new Error("no python3 on the default PATH: apt-get install python3-kubernetes");
  const check = await run([path, "-c", "import kubernetes; print(kubernetes.__version__)"]);
  if (check.code !== 0) throw new Error(`${path} cannot import kubernetes: apt-get install python3-kubernetes\n${check.stderr}`);
  return path;
}

/** Runs one script against the server in a namespace of its own and parses its output. */
async function script(name: string, namespace: string): Promise<any> {
  const r = await run([python, join(scripts, name), server.kubeconfigPath, namespace], { PYTHONDONTWRITEBYTECODE: "1" });
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  [python, server] = await Promise.all([debianPython(), startTestServer()]);
});
afterAll(async () => {
  await server?.stop();
});

describe("python kubernetes client", () => {
  test("CoreV1Api lists namespaces and creates, merge-patches, reads and deletes a ConfigMap", async () => {
    const out = await script("crud.py", "py-crud");
    expect(out.namespaces).toEqual(expect.arrayContaining(["default", "kube-node-lease", "kube-public", "kube-system", "py-crud"]));
    expect(out.created).toMatchObject({
      name: "settings",
      namespace: "py-crud",
      labels: { app: "demo" },
      data: { color: "blue", size: "m" },
      hasUid: true,
      creationTimestampIsDatetime: true,
    });
    expect(out.created.resourceVersion).toMatch(/^\d+$/);

    // kubernetes 22.x sends a dict body as a strategic merge patch and has no way to pick
    // another type per call.
    expect(out.defaultPatch).toEqual({ contentType: "application/strategic-merge-patch+json", outcome: { status: 200, data: { a: "1", b: "2" } } });

    expect(out.mergePatch).toEqual({
      contentType: "application/merge-patch+json",
      data: { color: "red", shape: "round" },
      labels: { app: "demo", tier: "back" },
      resourceVersionChanged: true,
      sameUid: true,
    });
    expect(out.read).toEqual({ data: { color: "red", shape: "round" }, labels: { app: "demo", tier: "back" }, resourceVersion: true });
    expect(out.listedBySelector).toEqual(["settings"]);
    expect(out.listedAll).toEqual(["kube-root-ca.crt", "settings", "strategic"]);
    expect(out.deleted).toEqual({ kind: "Status", status: "Success", detailsName: "settings" });
    expect(out.readAfterDelete.status).toBe(404);
    expect(out.readAfterDelete.body).toMatchObject({ kind: "Status", reason: "NotFound", code: 404, message: 'configmaps "settings" not found' });
  });

  test("a Pod and an apps/v1 Deployment from typed models, listed with label selectors", async () => {
    const out = await script("workloads.py", "py-work");
    expect(out.pod).toEqual({
      name: "web-1",
      namespace: "py-work",
      labels: { app: "web", tier: "front" },
      image: "nginx:1.27",
      containerPort: 80,
      hasStatus: true,
    });
    expect(out.deployment).toEqual({
      created: "api",
      kind: "Deployment",
      apiVersion: "apps/v1",
      replicas: 2,
      selector: { app: "api" },
      templateLabels: { app: "api" },
      image: "nginx:1.27",
    });
    expect(out.selectors).toEqual({
      "app=web": ["web-1", "web-2"],
      "app=web,tier!=back": ["web-1"],
      "tier in (back)": ["db-1", "web-2"],
      "app notin (web,api)": ["db-1"],
      "!missing,app=db": ["db-1"],
      "deployments app=api": ["api"],
      "deployments app=web": [],
    });
    expect(out.allNamespaces).toEqual(["py-work/db-1"]);
    expect(out.deploymentAfterDelete).toBe(404);
  });

  test("the default patch of a dict body (strategic merge) merges containers and env by name", async () => {
    const out = await script("strategic.py", "py-smp");
    expect(out.contentType).toBe("application/strategic-merge-patch+json");
    expect(out.labels).toEqual({ app: "web", tier: "front" });
    expect(out.containers).toEqual([
      { name: "web", image: "nginx:1.28", env: [["LEVEL", "2"], ["MODE", "a"]] },
      { name: "side", image: "busybox:1.36", env: [["MODE", "a"]] },
    ]);
    // Without a fieldManager parameter the manager is the User-Agent's product name.
    expect(out.managers).toEqual([["OpenAPI-Generator", "Update"]]);
  });

  // The python client sends `?watch=True` (Python's str(True)); kube-apiserver reads every
  // boolean query parameter as true unless it is absent, "0" or "false" (any case).
  test("watch.Watch().stream sees ADDED, MODIFIED and DELETED, and timeout_seconds ends a quiet watch", async () => {
    const out = await script("watch.py", "py-watch");
    expect(out.changesError).toEqual([]);
    expect(out.events.map((e: any) => [e.type, e.name, e.data, e.model])).toEqual([
      ["ADDED", "seed", { n: "0" }, "V1ConfigMap"],
      ["ADDED", "live", { n: "1" }, "V1ConfigMap"],
      ["MODIFIED", "live", { n: "2" }, "V1ConfigMap"],
      ["DELETED", "live", { n: "2" }, "V1ConfigMap"],
    ]);
    const versions = out.events.slice(1).map((e: any) => Number(e.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
    expect(out.quietEvents).toEqual([]);
    expect(out.quietEnded).toBe(true);
  });
});
