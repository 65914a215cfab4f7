// Server-side apply (application/apply-patch+yaml) and managedFields on ordinary writes:
// create and update through apply, conflicts (409) and force, removal of fields a manager no
// longer applies, options validation, and managedFields after create/update/patch.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const cms = "/api/v1/namespaces/default/configmaps";
const deploys = "/apis/apps/v1/namespaces/default/deployments";
const applyYaml = { "content-type": "application/apply-patch+yaml" };

function apply(path: string, body: unknown, query: string) {
  return s.json("PATCH", `${path}?${query}`, { text: typeof body === "string" ? body : JSON.stringify(body), headers: applyYaml });
}

function managers(obj: any): [string, string][] {
  return (obj.metadata.managedFields ?? []).map((e: any) => [e.manager, e.operation]);
}

function ownedBy(obj: any, manager: string): unknown {
  return obj.metadata.managedFields.find((e: any) => e.manager === manager)?.fieldsV1;
}

describe("apply creates and updates", () => {
  test("concurrent applies by a dozen managers to one new object: one creates it, every other lands on the newer object", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => apply(`${cms}/ssa-race`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa-race" }, data: { [`k${i}`]: String(i) } }, `fieldManager=m${i}`)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(11).fill(200), 201]);
    const final = (await s.json("GET", `${cms}/ssa-race`)).body;
    expect(Object.keys(final.data).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`).sort());
    expect(managers(final).map(([m]) => m).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
  });

  test("the first apply creates the object (201), the second updates it (200)", async () => {
    const yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-1\n  labels:\n    app: demo\ndata:\n  a: '1'\n";
    const created = await apply(`${cms}/ssa-1`, yaml, "fieldManager=alice");
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ a: "1" });
    expect(created.body.metadata.uid).toBeString();
    expect(managers(created.body)).toEqual([["alice", "Apply"]]);
    expect(ownedBy(created.body, "alice")).toEqual({ "f:data": { "f:a": {} }, "f:metadata": { "f:labels": { "f:app": {} } } });
    const updated = await apply(`${cms}/ssa-1`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa-1", labels: { app: "demo" } }, data: { a: "2", b: "3" } }, "fieldManager=alice");
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ a: "2", b: "3" });
    expect(updated.body.metadata.uid).toBe(created.body.metadata.uid);
  });

  test("fields the manager stops applying are removed; defaults come back", async () => {
    const d = deployment("ssa-prune", 3) as any;
    d.metadata.labels = { keep: "yes", drop: "me" };
    await apply(`${deploys}/ssa-prune`, d, "fieldManager=alice");
    const slimmer = structuredClone(d);
    delete slimmer.spec.replicas;
    delete slimmer.metadata.labels.drop;
    const { body } = await apply(`${deploys}/ssa-prune`, slimmer, "fieldManager=alice");
    expect(body.metadata.labels).toEqual({ keep: "yes" });
    expect(body.spec.replicas).toBe(1);
  });

  test("a conflict with another manager → 409 listing managers and fields; force takes over", async () => {
    await apply(`${deploys}/ssa-conflict`, deployment("ssa-conflict", 2), "fieldManager=a");
    const other = deployment("ssa-conflict", 5);
    const conflict = await apply(`${deploys}/ssa-conflict`, other, "fieldManager=b&force=false");
    expect(conflict.status).toBe(409);
    expect(conflict.body.reason).toBe("Conflict");
    expect(conflict.body.message).toBe('Apply failed with 1 conflict: conflict with "a": .spec.replicas');
    expect(conflict.body.details.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".spec.replicas" }]);
    const forced = await apply(`${deploys}/ssa-conflict`, other, "fieldManager=b&force=true");
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
    expect((ownedBy(forced.body, "a") as any)["f:spec"]["f:replicas"]).toBeUndefined();
    expect((ownedBy(forced.body, "b") as any)["f:spec"]["f:replicas"]).toEqual({});
  });

  test("a conflict with an Update manager names the API version it used", async () => {
    await s.json("POST", `${deploys}?fieldManager=kubectl-client-side-apply`, { body: deployment("ssa-csa", 1) });
    const { status, body } = await apply(`${deploys}/ssa-csa`, deployment("ssa-csa", 4), "fieldManager=other");
    expect(status).toBe(409);
    expect(body.message).toStartWith('Apply failed with ');
    expect(body.message).toContain('conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });
});

describe("apply request checks", () => {
  test("fieldManager is required → 422", async () => {
    const { status, body } = await apply(`${cms}/ssa-noman`, configMap("ssa-noman"), "");
    expect(status).toBe(422);
    expect(body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  test("an undeclared field → 400 naming the typed patch object", async () => {
    const cm = { ...configMap("ssa-typo"), dataa: { x: "1" } };
    const { status, body } = await apply(`${cms}/ssa-typo`, cm, "fieldManager=m");
    expect(status).toBe(400);
    expect(body.message).toBe("failed to create typed patch object (/ssa-typo; /v1, Kind=ConfigMap): .dataa: field not declared in schema");
  });

  test("the wrong kind or version → 400 invalid object type", async () => {
    const { status, body } = await apply(`${cms}/ssa-kind`, { apiVersion: "v1", kind: "Secret", metadata: { name: "ssa-kind" } }, "fieldManager=m");
    expect(status).toBe(400);
    expect(body.message).toBe("invalid object type: /v1, Kind=Secret");
  });

  test("managedFields in the configuration → 400", async () => {
    const cm: any = configMap("ssa-mf");
    cm.metadata.managedFields = [];
    const { status, body } = await apply(`${cms}/ssa-mf`, cm, "fieldManager=m");
    expect(status).toBe(400);
    expect(body.message).toBe("metadata.managedFields must be nil");
  });

  test("repeated keys: Strict fails, Warn warns", async () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa-dup"},"data":{"a":"1","a":"2"}}';
    const strict = await apply(`${cms}/ssa-dup`, text, "fieldManager=m&fieldValidation=Strict");
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key "a" already set in map');
    const warn = await s.request("PATCH", `${cms}/ssa-dup?fieldManager=m&fieldValidation=Warn`, { text, headers: applyYaml });
    expect(warn.status).toBe(201);
    expect(warn.headers.get("warning")).toContain('key \\"a\\" already set in map');
  });
});

describe("managedFields on ordinary writes", () => {
  test("create, update and patch each record their manager as an Update", async () => {
    const created = (await s.json("POST", `${cms}?fieldManager=creator`, { body: configMap("mf-1", { data: { a: "1" } }) })).body;
    expect(managers(created)).toEqual([["creator", "Update"]]);
    expect(created.metadata.managedFields[0]).toMatchObject({ apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": { ".": {}, "f:a": {} } } });
    expect(created.metadata.managedFields[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const patched = (await s.json("PATCH", `${cms}/mf-1?fieldManager=patcher`, { body: { data: { b: "2" } }, headers: { "content-type": "application/merge-patch+json" } })).body;
    expect(managers(patched)).toEqual([["creator", "Update"], ["patcher", "Update"]]);
    expect(ownedBy(patched, "patcher")).toEqual({ "f:data": { "f:b": {} } });
    const put = (await s.json("PUT", `${cms}/mf-1?fieldManager=putter`, { body: { ...patched, data: { a: "10", b: "2" } } })).body;
    expect(ownedBy(put, "creator")).toEqual({ "f:data": {} });
    expect(ownedBy(put, "putter")).toEqual({ "f:data": { "f:a": {} } });
  });

  test("without fieldManager the manager is the User-Agent's first segment", async () => {
    const { body } = await s.json("POST", cms, { body: configMap("mf-ua"), headers: { "user-agent": "kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0" } });
    expect(managers(body)).toEqual([["kubectl", "Update"]]);
  });

  test("a status update records its manager with subresource status; main-resource writes never own status", async () => {
    const pods = "/api/v1/namespaces/default/pods";
    const created = (await s.json("POST", `${pods}?fieldManager=creator`, { body: { apiVersion: "v1", kind: "Pod", metadata: { name: "mf-status" }, spec: { containers: [{ name: "c", image: "nginx" }] }, status: { message: "ignored" } } })).body;
    expect(JSON.stringify(ownedBy(created, "creator"))).not.toContain("f:status");
    const next = { ...created, status: { ...created.status, message: "hello" } };
    const updated = (await s.json("PUT", `${pods}/mf-status/status?fieldManager=kubelet`, { body: next })).body;
    expect(updated.status.message).toBe("hello");
    const entry = updated.metadata.managedFields.find((e: any) => e.manager === "kubelet");
    expect(entry).toMatchObject({ operation: "Update", subresource: "status", fieldsV1: { "f:status": { "f:message": {} } } });
  });

  test("a PUT without managedFields keeps the stored ones", async () => {
    const created = (await s.json("POST", `${cms}?fieldManager=creator`, { body: configMap("mf-keep") })).body;
    const { managedFields, ...metadata } = created.metadata;
    const put = (await s.json("PUT", `${cms}/mf-keep?fieldManager=creator`, { body: { ...created, metadata } })).body;
    expect(put.metadata.managedFields).toEqual(managedFields);
  });
});
