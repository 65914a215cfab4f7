// PATCH: JSON merge patch and JSON patch on pods, configmaps and deployments, failures,
// strategic merge and optimistic concurrency.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment, pod } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const cms = "/api/v1/namespaces/default/configmaps";
const pods = "/api/v1/namespaces/default/pods";
const deploys = "/apis/apps/v1/namespaces/default/deployments";
const merge = { "content-type": "application/merge-patch+json" };
const jsonPatch = { "content-type": "application/json-patch+json" };

describe("JSON merge patch", () => {
  test("configmap: adds, replaces and (with null) removes keys", async () => {
    await s.json("POST", cms, { body: configMap("mp-cm", { data: { a: "1", b: "2" } }) });
    const { status, body } = await s.json("PATCH", `${cms}/mp-cm`, { body: { data: { a: "10", b: null, c: "3" } }, headers: merge });
    expect(status).toBe(200);
    expect(body.data).toEqual({ a: "10", c: "3" });
    expect((await s.json("GET", `${cms}/mp-cm`)).body.data).toEqual({ a: "10", c: "3" });
  });

  test("pod: labels and the container image (a mutable field)", async () => {
    await s.json("POST", pods, { body: pod("mp-pod", { app: "x" }) });
    const labels = await s.json("PATCH", `${pods}/mp-pod`, { body: { metadata: { labels: { tier: "db" } } }, headers: merge });
    expect(labels.status).toBe(200);
    expect(labels.body.metadata.labels).toEqual({ app: "x", tier: "db" });
    // A merge patch replaces lists wholesale: the container list must be complete.
    const image = await s.json("PATCH", `${pods}/mp-pod`, { body: { spec: { containers: [{ name: "c", image: "nginx:1.28" }] } }, headers: merge });
    expect(image.status).toBe(200);
    expect(image.body.spec.containers[0].image).toBe("nginx:1.28");
  });

  test("pod: changing an immutable spec field → 422 Invalid", async () => {
    await s.json("POST", pods, { body: pod("mp-immut") });
    const { status, body } = await s.json("PATCH", `${pods}/mp-immut`, { body: { spec: { restartPolicy: "Never" } }, headers: merge });
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toStartWith('Pod "mp-immut" is invalid: spec: Forbidden: pod updates may not change fields other than');
  });

  test("deployment: replicas", async () => {
    await s.json("POST", deploys, { body: deployment("mp-dep") });
    const { status, body } = await s.json("PATCH", `${deploys}/mp-dep`, { body: { spec: { replicas: 5 } }, headers: merge });
    expect(status).toBe(200);
    expect(body.spec.replicas).toBe(5);
    expect(body.metadata.generation).toBe(2);
  });

  test("a merge patch whose body is not JSON → 400 BadRequest, nothing changed", async () => {
    await s.json("POST", cms, { body: configMap("mp-bad") });
    const { status, body } = await s.json("PATCH", `${cms}/mp-bad`, { text: "{not json", headers: merge });
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect((await s.json("GET", `${cms}/mp-bad`)).body.data).toEqual({ k: "v" });
  });

  test("a patch of a missing object → 404", async () => {
    const { status, body } = await s.json("PATCH", `${cms}/mp-missing`, { body: { data: { a: "1" } }, headers: merge });
    expect(status).toBe(404);
    expect(body.message).toBe('configmaps "mp-missing" not found');
  });
});

describe("JSON patch", () => {
  test("configmap: add, replace, remove, and a passing test op", async () => {
    await s.json("POST", cms, { body: configMap("jp-cm", { data: { a: "1", b: "2" } }) });
    const ops = [
      { op: "test", path: "/data/a", value: "1" },
      { op: "replace", path: "/data/a", value: "one" },
      { op: "remove", path: "/data/b" },
      { op: "add", path: "/data/c", value: "3" },
      { op: "add", path: "/metadata/labels", value: { x: "y" } },
    ];
    const { status, body } = await s.json("PATCH", `${cms}/jp-cm`, { body: ops, headers: jsonPatch });
    expect(status).toBe(200);
    expect(body.data).toEqual({ a: "one", c: "3" });
    expect(body.metadata.labels).toEqual({ x: "y" });
  });

  test("pod: replace the image through an array index", async () => {
    await s.json("POST", pods, { body: pod("jp-pod") });
    const { status, body } = await s.json("PATCH", `${pods}/jp-pod`, {
      body: [{ op: "replace", path: "/spec/containers/0/image", value: "busybox:1.36" }],
      headers: jsonPatch,
    });
    expect(status).toBe(200);
    expect(body.spec.containers[0].image).toBe("busybox:1.36");
  });

  test("deployment: replace replicas and add a template annotation", async () => {
    await s.json("POST", deploys, { body: deployment("jp-dep") });
    const { status, body } = await s.json("PATCH", `${deploys}/jp-dep`, {
      body: [
        { op: "replace", path: "/spec/replicas", value: 3 },
        { op: "add", path: "/spec/template/metadata/annotations", value: { "kubectl.kubernetes.io/restartedAt": "now" } },
      ],
      headers: jsonPatch,
    });
    expect(status).toBe(200);
    expect(body.spec.replicas).toBe(3);
    expect(body.spec.template.metadata.annotations).toEqual({ "kubectl.kubernetes.io/restartedAt": "now" });
  });

  test("a failing test op → 422 with upstream's generic message, nothing changed", async () => {
    const created = (await s.json("POST", cms, { body: configMap("jp-test", { data: { a: "1" } }) })).body;
    const { status, body } = await s.json("PATCH", `${cms}/jp-test`, {
      body: [
        { op: "test", path: "/data/a", value: "2" },
        { op: "replace", path: "/data/a", value: "changed" },
      ],
      headers: jsonPatch,
    });
    expect(status).toBe(422);
    expect(body.kind).toBe("Status");
    expect(body.reason).toBe("Invalid");
    // handlers/patch.go applyJSPatch: NewGenericServerResponse(422, "", GroupResource{}, "", err, 0, false).
    expect(body.message).toBe("the server rejected our request due to an error in our request");
    const got = (await s.json("GET", `${cms}/jp-test`)).body;
    expect(got.data).toEqual({ a: "1" });
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  test("an op on a path that does not exist → 422, nothing changed", async () => {
    await s.json("POST", cms, { body: configMap("jp-path") });
    const { status, body } = await s.json("PATCH", `${cms}/jp-path`, { body: [{ op: "replace", path: "/data/missing/deeper", value: "x" }], headers: jsonPatch });
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toBe("the server rejected our request due to an error in our request");
    expect((await s.json("GET", `${cms}/jp-path`)).body.data).toEqual({ k: "v" });
  });

  test("a JSON patch that is not an array of operations → 400 BadRequest", async () => {
    await s.json("POST", cms, { body: configMap("jp-shape") });
    // patch.go: jsonpatch.DecodePatch fails → errors.NewBadRequest.
    const { status, body } = await s.json("PATCH", `${cms}/jp-shape`, { body: { op: "add" }, headers: jsonPatch });
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
  });
});

describe("patch types and concurrency", () => {
  test("strategic merge patch merges containers by name and keeps the rest", async () => {
    await s.json("POST", deploys, { body: deployment("smp-dep") });
    const smp = { "content-type": "application/strategic-merge-patch+json" };
    const patch = { spec: { template: { spec: { containers: [{ name: "side", image: "busybox" }] } } } };
    const { status, body } = await s.json("PATCH", `${deploys}/smp-dep`, { body: patch, headers: smp });
    expect(status).toBe(200);
    expect(body.spec.template.spec.containers.map((c: any) => [c.name, c.image])).toEqual([
      ["side", "busybox"],
      ["web", "nginx:1.27"],
    ]);
    const image = await s.json("PATCH", `${deploys}/smp-dep`, { body: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:2" }] } } } }, headers: smp });
    expect(image.body.spec.template.spec.containers.map((c: any) => c.image)).toEqual(["busybox", "nginx:2"]);
  });

  test("a strategic merge patch with a bad directive → 400, nothing changed", async () => {
    await s.json("POST", cms, { body: configMap("smp-bad") });
    const { status, body } = await s.json("PATCH", `${cms}/smp-bad`, { body: { data: { $patch: "explode" } }, headers: { "content-type": "application/strategic-merge-patch+json" } });
    expect(status).toBe(400);
    expect(body.message).toBe("unknown patch type: explode in map: map[$patch:explode]");
    expect((await s.json("GET", `${cms}/smp-bad`)).body.data).toEqual({ k: "v" });
  });

  test("an unknown patch Content-Type → 415", async () => {
    await s.json("POST", cms, { body: configMap("patch-ct") });
    const { status, body } = await s.json("PATCH", `${cms}/patch-ct`, { text: "{}", headers: { "content-type": "text/plain" } });
    expect(status).toBe(415);
    expect(body.reason).toBe("UnsupportedMediaType");
  });

  test("a merge patch carrying a stale metadata.resourceVersion → 409 Conflict", async () => {
    const created = (await s.json("POST", cms, { body: configMap("patch-rv") })).body;
    await s.json("PATCH", `${cms}/patch-rv`, { body: { data: { k: "1" } }, headers: merge });
    const { status, body } = await s.json("PATCH", `${cms}/patch-rv`, {
      body: { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { k: "stale" } },
      headers: merge,
    });
    expect(status).toBe(409);
    expect(body.reason).toBe("Conflict");
    expect(body.message).toBe('Operation cannot be fulfilled on configmaps "patch-rv": the object has been modified; please apply your changes to the latest version and try again');
    expect((await s.json("GET", `${cms}/patch-rv`)).body.data).toEqual({ k: "1" });
  });

  test("concurrent merge patches without a resourceVersion are all applied: one that lost the race is made again on the newer object", async () => {
    await s.json("POST", cms, { body: configMap("patch-race", { data: {} }) });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.json("PATCH", `${cms}/patch-race`, { body: { data: { [`k${i}`]: String(i) } }, headers: merge })));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const final = (await s.json("GET", `${cms}/patch-race`)).body;
    expect(Object.keys(final.data).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`).sort());
    // Each answer is the object as that patch stored it: its own key, at its own revision.
    const revisions = new Set(results.map((r) => r.body.metadata.resourceVersion));
    expect(revisions.size).toBe(12);
    results.forEach((r, i) => expect(r.body.data[`k${i}`]).toBe(String(i)));
  });

  test("the answer to a patch is the stored object: the same JSON a GET returns", async () => {
    await s.json("POST", pods, { body: pod("patch-answer", { app: "x" }) });
    const res = await s.request("PATCH", `${pods}/patch-answer`, { body: { metadata: { labels: { tier: "web" } } }, headers: { ...merge, "user-agent": "kubectl/v1.33.0 (linux/amd64) kubernetes/abcdef0" } });
    expect(res.status).toBe(200);
    const answered = await res.text();
    const read = await (await s.request("GET", `${pods}/patch-answer`)).text();
    expect(answered).toBe(read);
    expect(JSON.parse(answered).metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(["kubectl"]);
  });

  test("a merge patch carrying the current resourceVersion succeeds", async () => {
    const created = (await s.json("POST", cms, { body: configMap("patch-rv-ok") })).body;
    const { status, body } = await s.json("PATCH", `${cms}/patch-rv-ok`, {
      body: { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { k: "fresh" } },
      headers: merge,
    });
    expect(status).toBe(200);
    expect(body.data).toEqual({ k: "fresh" });
  });

  test("a JSON patch that changes metadata.uid is refused and the uid is kept", async () => {
    const created = (await s.json("POST", cms, { body: configMap("patch-uid") })).body;
    const { status, body } = await s.json("PATCH", `${cms}/patch-uid`, {
      body: [{ op: "replace", path: "/metadata/uid", value: "00000000-0000-0000-0000-000000000000" }],
      headers: jsonPatch,
    });
    // Upstream: the immutable-uid check (422) or a uid precondition (409), never a success.
    expect([409, 422]).toContain(status);
    expect(body.kind).toBe("Status");
    expect((await s.json("GET", `${cms}/patch-uid`)).body.metadata.uid).toBe(created.metadata.uid);
  });

  test("a patch cannot rename the object", async () => {
    await s.json("POST", cms, { body: configMap("patch-name") });
    const { status } = await s.json("PATCH", `${cms}/patch-name`, { body: { metadata: { name: "renamed" } }, headers: merge });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect((await s.json("GET", `${cms}/renamed`)).status).toBe(404);
  });
});
