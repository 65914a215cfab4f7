// The official JavaScript client (@kubernetes/client-node 1.4.x, under Bun) against `kapi serve`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  server = await startTestServer();
  kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: "js" } } });
});
afterAll(async () => {
  await server?.stop();
});

/** The HTTP status of a rejected call (an ApiException from the generated client). */
async function statusOf(call: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiException) return { code: err.code, body: typeof err.body === "string" ? JSON.parse(err.body) : err.body };
    throw err;
  }
  return { code: 200, body: undefined };
}

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

describe("@kubernetes/client-node 1.4", () => {
  test("verifies the server against the kubeconfig's CA", async () => {
    const cluster = kc.getCurrentCluster()!;
    const user = kc.getCurrentUser()!;
    const wrong = new KubeConfig();
    // The admin client certificate is a valid PEM certificate but did not sign the serving one.
    wrong.loadFromOptions({
      clusters: [{ ...cluster, caData: user.certData }],
      users: [user],
      contexts: kc.getContexts(),
      currentContext: kc.getCurrentContext(),
    });
    const err = await wrong.makeApiClient(CoreV1Api).listNamespace().then(() => null, (e: unknown) => e);
    expect(err).not.toBeNull();
    expect(String((err as Error).message ?? err)).toMatch(/certificate/i);
  });

  test("CoreV1Api.listNamespace sees the bootstrap namespaces", async () => {
    const list = await core.listNamespace();
    expect(list.kind).toBe("NamespaceList");
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(list.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(["default", "kube-node-lease", "kube-public", "kube-system", "js"]));
  });

  test("creates, merge-patches, reads and deletes a ConfigMap", async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: "js",
      body: { metadata: { name: "settings", labels: { app: "demo" } }, data: { color: "blue", size: "m" } },
    });
    expect(created.metadata?.namespace).toBe("js");
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.data).toEqual({ color: "blue", size: "m" });

    const patched = await core.patchNamespacedConfigMap(
      { name: "settings", namespace: "js", body: { metadata: { labels: { tier: "back" } }, data: { color: "red", size: null, shape: "round" } } },
      mergePatch,
    );
    expect(patched.data).toEqual({ color: "red", shape: "round" });
    expect(patched.metadata?.labels).toEqual({ app: "demo", tier: "back" });
    expect(patched.metadata?.uid).toBe(created.metadata!.uid!);
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const read = await core.readNamespacedConfigMap({ name: "settings", namespace: "js" });
    expect(read.data).toEqual({ color: "red", shape: "round" });
    const selected = await core.listNamespacedConfigMap({ namespace: "js", labelSelector: "tier=back" });
    expect(selected.items.map((c) => c.metadata?.name)).toEqual(["settings"]);

    const status = await core.deleteNamespacedConfigMap({ name: "settings", namespace: "js" });
    expect(status).toMatchObject({ kind: "Status", status: "Success", details: { name: "settings", kind: "configmaps" } });
    const gone = await statusOf(core.readNamespacedConfigMap({ name: "settings", namespace: "js" }));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ reason: "NotFound", message: 'configmaps "settings" not found' });
  });

  // Without the header 1.4 sends `application/json-patch+json` (the first type the spec
  // lists); an object is not a JSON patch, which kube-apiserver rejects the same way.
  test("a patch without a Content-Type option is sent as a JSON patch", async () => {
    await core.createNamespacedConfigMap({ namespace: "js", body: { metadata: { name: "plain" }, data: { a: "1" } } });
    const r = await statusOf(core.patchNamespacedConfigMap({ name: "plain", namespace: "js", body: { data: { b: "2" } } }));
    expect(r.code).toBe(400);
    expect(r.body).toMatchObject({ kind: "Status", reason: "BadRequest" });
    const jsonPatch = await core.patchNamespacedConfigMap(
      { name: "plain", namespace: "js", body: [{ op: "add", path: "/data/b", value: "2" }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(jsonPatch.data).toEqual({ a: "1", b: "2" });
  });

  test("AppsV1Api creates a Deployment and lists it by label", async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: "js",
      body: {
        metadata: { name: "api", labels: { app: "api" } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "api" } },
          template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image: "nginx:1.27" }] } },
        },
      },
    });
    expect(created.kind).toBe("Deployment");
    expect(created.apiVersion).toBe("apps/v1");
    expect(created.spec?.replicas).toBe(2);
    expect(created.spec?.template.spec?.containers[0]?.image).toBe("nginx:1.27");
    const listed = await apps.listNamespacedDeployment({ namespace: "js", labelSelector: "app=api" });
    expect(listed.items.map((d) => d.metadata?.name)).toEqual(["api"]);
    const none = await apps.listNamespacedDeployment({ namespace: "js", labelSelector: "app in (web,db)" });
    expect(none.items).toEqual([]);
  });

  test("Watch sees ADDED, MODIFIED and DELETED for changes made while it streams", async () => {
    const name = "watched";
    const events: { phase: string; object: V1ConfigMap }[] = [];
    let sawDeleted!: () => void;
    const deleted = new Promise<void>((resolve) => (sawDeleted = resolve));
    let ended!: (err: unknown) => void;
    const done = new Promise<unknown>((resolve) => (ended = resolve));

    // watch() resolves once the response headers are in: from then on the stream is live.
    const controller = await new Watch(kc).watch(
      "/api/v1/namespaces/default/configmaps",
      {},
      (phase: string, object: KubernetesObject) => {
        if (object.metadata?.name !== name) return;
        events.push({ phase, object: object as V1ConfigMap });
        if (phase === "DELETED") sawDeleted();
      },
      (err: unknown) => ended(err),
    );

    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name }, data: { n: "1" } } });
    await core.patchNamespacedConfigMap({ name, namespace: "default", body: { data: { n: "2" } } }, mergePatch);
    await core.deleteNamespacedConfigMap({ name, namespace: "default" });

    // A bound, not a timed assertion: if DELETED never comes the assertions below say what did.
    const bound = setTimeout(sawDeleted, 20_000);
    await Promise.race([deleted, done]);
    clearTimeout(bound);
    controller.abort();

    expect(events.map((e) => [e.phase, e.object.kind, e.object.data])).toEqual([
      ["ADDED", "ConfigMap", { n: "1" }],
      ["MODIFIED", "ConfigMap", { n: "2" }],
      ["DELETED", "ConfigMap", { n: "2" }],
    ]);
    const versions = events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(versions[0]).toBeLessThan(versions[1]!);
    expect(versions[1]).toBeLessThan(versions[2]!);
  });
});
