// Subresources: deployments/replicasets scale (autoscaling/v1 Scale), pods/binding and
// pods/status. namespaces/finalize is covered in namespaces.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment, pod, requestWithoutContentType } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const deploys = "/apis/apps/v1/namespaces/default/deployments";
const pods = "/api/v1/namespaces/default/pods";
const merge = { "content-type": "application/merge-patch+json" };

function binding(name: string, node: string) {
  return { apiVersion: "v1", kind: "Binding", metadata: { name }, target: { apiVersion: "v1", kind: "Node", name: node } };
}

describe("deployments/scale", () => {
  test("GET returns an autoscaling/v1 Scale with status.selector", async () => {
    const created = (await s.json("POST", deploys, { body: deployment("sc-get", 2) })).body;
    const { status, body } = await s.json("GET", `${deploys}/sc-get/scale`);
    expect(status).toBe(200);
    expect(body.kind).toBe("Scale");
    expect(body.apiVersion).toBe("autoscaling/v1");
    expect(body.metadata).toMatchObject({
      name: "sc-get",
      namespace: "default",
      uid: created.metadata.uid,
      resourceVersion: created.metadata.resourceVersion,
      creationTimestamp: created.metadata.creationTimestamp,
    });
    expect(body.spec).toEqual({ replicas: 2 });
    expect(body.status).toEqual({ replicas: 0, selector: "app=sc-get" });
  });

  test("PATCH merge {spec:{replicas:3}} scales the deployment and bumps its generation", async () => {
    await s.json("POST", deploys, { body: deployment("sc-patch") });
    const { status, body } = await s.json("PATCH", `${deploys}/sc-patch/scale`, { body: { spec: { replicas: 3 } }, headers: merge });
    expect(status).toBe(200);
    expect(body.kind).toBe("Scale");
    expect(body.spec.replicas).toBe(3);
    const dep = (await s.json("GET", `${deploys}/sc-patch`)).body;
    expect(dep.spec.replicas).toBe(3);
    expect(dep.metadata.generation).toBe(2);
    expect(body.metadata.resourceVersion).toBe(dep.metadata.resourceVersion);
  });

  test("JSON patch on /scale", async () => {
    await s.json("POST", deploys, { body: deployment("sc-jp") });
    const { status, body } = await s.json("PATCH", `${deploys}/sc-jp/scale`, {
      body: [{ op: "replace", path: "/spec/replicas", value: 4 }],
      headers: { "content-type": "application/json-patch+json" },
    });
    expect(status).toBe(200);
    expect(body.spec.replicas).toBe(4);
  });

  test("PUT of a Scale without a Content-Type header is read as JSON", async () => {
    await s.json("POST", deploys, { body: deployment("sc-put") });
    const res = await requestWithoutContentType(s, "PUT", `${deploys}/sc-put/scale`, {
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      metadata: { name: "sc-put", namespace: "default" },
      spec: { replicas: 5 },
    });
    expect(res.sentContentType).toBeNull();
    expect(res.status).toBe(200);
    expect(res.body.spec.replicas).toBe(5);
    expect((await s.json("GET", `${deploys}/sc-put`)).body.spec.replicas).toBe(5);
  });

  test("PUT of a Scale with a stale resourceVersion → 409 Conflict on deployments.apps", async () => {
    const created = (await s.json("POST", deploys, { body: deployment("sc-stale") })).body;
    await s.json("PATCH", `${deploys}/sc-stale`, { body: { metadata: { labels: { x: "y" } } }, headers: merge });
    const { status, body } = await s.json("PUT", `${deploys}/sc-stale/scale`, {
      body: { apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "sc-stale", resourceVersion: created.metadata.resourceVersion }, spec: { replicas: 9 } },
    });
    expect(status).toBe(409);
    expect(body.reason).toBe("Conflict");
    expect(body.message).toBe('Operation cannot be fulfilled on deployments.apps "sc-stale": the object has been modified; please apply your changes to the latest version and try again');
    expect((await s.json("GET", `${deploys}/sc-stale`)).body.spec.replicas).toBe(1);
  });

  test("negative replicas through /scale → 422 Invalid naming Scale.autoscaling", async () => {
    await s.json("POST", deploys, { body: deployment("sc-neg") });
    const { status, body } = await s.json("PATCH", `${deploys}/sc-neg/scale`, { body: { spec: { replicas: -1 } }, headers: merge });
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    // registry/apps/deployment/storage: scaleUpdatedObjectInfo → ValidateScale → NewInvalid(autoscaling.Kind("Scale"), …).
    expect(body.message).toBe('Scale.autoscaling "sc-neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect((await s.json("GET", `${deploys}/sc-neg`)).body.spec.replicas).toBe(1);
  });

  test("a body of the wrong kind → 400, and a missing deployment → 404", async () => {
    await s.json("POST", deploys, { body: deployment("sc-kind") });
    const wrong = await s.json("PUT", `${deploys}/sc-kind/scale`, { body: { ...deployment("sc-kind"), spec: { replicas: 2 } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.reason).toBe("BadRequest");
    const missing = await s.json("GET", `${deploys}/nope/scale`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('deployments.apps "nope" not found');
  });

  test("replicasets/scale works the same way", async () => {
    const rs = { ...deployment("rs-sc"), kind: "ReplicaSet" } as any;
    expect((await s.json("POST", "/apis/apps/v1/namespaces/default/replicasets", { body: rs })).status).toBe(201);
    const { status, body } = await s.json("PATCH", "/apis/apps/v1/namespaces/default/replicasets/rs-sc/scale", { body: { spec: { replicas: 2 } }, headers: merge });
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 2 }, status: { selector: "app=rs-sc" } });
  });
});

describe("pods/binding", () => {
  test("POST binding sets spec.nodeName and PodScheduled, answers a 201 Success Status", async () => {
    await s.json("POST", pods, { body: pod("bind-me") });
    const { status, body } = await s.json("POST", `${pods}/bind-me/binding`, { body: binding("bind-me", "node-a") });
    expect(status).toBe(201);
    expect(body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    const p = (await s.json("GET", `${pods}/bind-me`)).body;
    expect(p.spec.nodeName).toBe("node-a");
    const scheduled = p.status.conditions.find((c: any) => c.type === "PodScheduled");
    expect(scheduled.status).toBe("True");
  });

  test("a second binding → 409 Conflict on pods/binding", async () => {
    await s.json("POST", pods, { body: pod("bind-twice") });
    expect((await s.json("POST", `${pods}/bind-twice/binding`, { body: binding("bind-twice", "node-a") })).status).toBe(201);
    const { status, body } = await s.json("POST", `${pods}/bind-twice/binding`, { body: binding("bind-twice", "node-b") });
    expect(status).toBe(409);
    expect(body.reason).toBe("Conflict");
    expect(body.message).toBe('Operation cannot be fulfilled on pods/binding "bind-twice": pod bind-twice is already assigned to node "node-a"');
    expect((await s.json("GET", `${pods}/bind-twice`)).body.spec.nodeName).toBe("node-a");
  });

  test("binding a missing pod → 404", async () => {
    const { status, body } = await s.json("POST", `${pods}/ghost/binding`, { body: binding("ghost", "node-a") });
    expect(status).toBe(404);
    expect(body.message).toBe('pods "ghost" not found');
  });

  test("a binding body of the wrong kind → 400", async () => {
    await s.json("POST", pods, { body: pod("bind-kind") });
    const { status, body } = await s.json("POST", `${pods}/bind-kind/binding`, { body: configMap("bind-kind") });
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect((await s.json("GET", `${pods}/bind-kind`)).body.spec.nodeName).toBeUndefined();
  });

  test("dryRun=All binding does not assign the pod", async () => {
    await s.json("POST", pods, { body: pod("bind-dry") });
    expect((await s.json("POST", `${pods}/bind-dry/binding?dryRun=All`, { body: binding("bind-dry", "node-a") })).status).toBe(201);
    expect((await s.json("GET", `${pods}/bind-dry`)).body.spec.nodeName).toBeUndefined();
  });

  test("GET on pods/binding is not allowed (405)", async () => {
    await s.json("POST", pods, { body: pod("bind-get") });
    const { status, body } = await s.json("GET", `${pods}/bind-get/binding`);
    expect(status).toBe(405);
    expect(body.reason).toBe("MethodNotAllowed");
  });
});

describe("pods/status", () => {
  test("PUT /status changes status only; spec changes in the body are ignored", async () => {
    const created = (await s.json("POST", pods, { body: pod("st-pod") })).body;
    expect(created.status.phase).toBe("Pending");
    const body = { ...created, spec: { ...created.spec, containers: [{ ...created.spec.containers[0], image: "changed:1" }] }, status: { ...created.status, phase: "Running", podIP: "10.0.0.9" } };
    const res = await s.json("PUT", `${pods}/st-pod/status`, { body });
    expect(res.status).toBe(200);
    expect(res.body.status.phase).toBe("Running");
    expect(res.body.status.podIP).toBe("10.0.0.9");
    expect(res.body.spec.containers[0].image).toBe("nginx:1.27");
    const got = (await s.json("GET", `${pods}/st-pod/status`)).body;
    expect(got.kind).toBe("Pod");
    expect(got.status.phase).toBe("Running");
  });

  test("a main PUT of a pod cannot change its status", async () => {
    const created = (await s.json("POST", pods, { body: pod("st-main") })).body;
    const res = await s.json("PUT", `${pods}/st-main`, { body: { ...created, status: { phase: "Succeeded" } } });
    expect(res.status).toBe(200);
    expect(res.body.status.phase).toBe("Pending");
  });

  test("PUT /status with a stale resourceVersion → 409", async () => {
    const created = (await s.json("POST", pods, { body: pod("st-stale") })).body;
    await s.json("PATCH", `${pods}/st-stale/status`, { body: { status: { phase: "Running" } }, headers: merge });
    const { status, body } = await s.json("PUT", `${pods}/st-stale/status`, { body: { ...created, status: { phase: "Failed" } } });
    expect(status).toBe(409);
    expect(body.message).toBe('Operation cannot be fulfilled on pods "st-stale": the object has been modified; please apply your changes to the latest version and try again');
  });

  test("a subresource a type does not have → 404", async () => {
    await s.json("POST", "/api/v1/namespaces/default/configmaps", { body: configMap("no-status") });
    const { status, body } = await s.json("GET", "/api/v1/namespaces/default/configmaps/no-status/status");
    expect(status).toBe(404);
    expect(body.reason).toBe("NotFound");
  });
});
