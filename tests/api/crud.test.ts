// CRUD semantics against the in-process core, asserting kube-apiserver's behaviour:
// server-set metadata, generation, generateName, optimistic concurrency, dry run,
// finalizers, preconditions and the DELETE response shapes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment, listNames, openWatch, pod } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const cms = "/api/v1/namespaces/default/configmaps";
const deploys = "/apis/apps/v1/namespaces/default/deployments";
const merge = { "content-type": "application/merge-patch+json" };

describe("create", () => {
  test("sets uid, creationTimestamp and resourceVersion, and GET returns the same object", async () => {
    const { status, body } = await s.json("POST", cms, { body: configMap("meta-1") });
    expect(status).toBe(201);
    expect(body.kind).toBe("ConfigMap");
    expect(body.apiVersion).toBe("v1");
    expect(body.metadata.namespace).toBe("default");
    expect(body.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.metadata.resourceVersion).toMatch(/^[1-9]\d*$/);
    // ConfigMaps have no generation (only types whose strategy sets it).
    expect(body.metadata.generation).toBeUndefined();
    const got = await s.json("GET", `${cms}/meta-1`);
    expect(got.status).toBe(200);
    expect(got.body.metadata.uid).toBe(body.metadata.uid);
    expect(got.body.metadata.resourceVersion).toBe(body.metadata.resourceVersion);
    expect(got.body.data).toEqual({ k: "v" });
  });

  test("client-supplied uid and creationTimestamp are replaced by the server", async () => {
    const input = configMap("meta-2") as any;
    input.metadata.uid = "11111111-1111-1111-1111-111111111111";
    input.metadata.creationTimestamp = "2001-01-01T00:00:00Z";
    const { status, body } = await s.json("POST", cms, { body: input });
    expect(status).toBe(201);
    expect(body.metadata.uid).not.toBe("11111111-1111-1111-1111-111111111111");
    expect(body.metadata.creationTimestamp).not.toBe("2001-01-01T00:00:00Z");
  });

  test("generateName produces prefix + 5 characters from the upstream alphabet", async () => {
    const { status, body } = await s.json("POST", cms, { body: { metadata: { generateName: "gen-" }, data: {} } });
    expect(status).toBe(201);
    expect(body.metadata.generateName).toBe("gen-");
    expect(body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect((await s.json("GET", `${cms}/${body.metadata.name}`)).status).toBe(200);
  });

  test("neither name nor generateName → 422 Required", async () => {
    const { status, body } = await s.json("POST", cms, { body: { metadata: {}, data: {} } });
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    expect(body.details.causes).toEqual([{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }]);
  });

  test("a second create of the same name → 409 AlreadyExists", async () => {
    expect((await s.json("POST", cms, { body: configMap("dup") })).status).toBe(201);
    const { status, body } = await s.json("POST", cms, { body: configMap("dup") });
    expect(status).toBe(409);
    expect(body).toMatchObject({ kind: "Status", status: "Failure", reason: "AlreadyExists", code: 409, message: 'configmaps "dup" already exists' });
    expect(body.details).toEqual({ name: "dup", kind: "configmaps" });
    const dep = await s.json("POST", deploys, { body: deployment("dup-d") });
    expect(dep.status).toBe(201);
    const again = await s.json("POST", deploys, { body: deployment("dup-d") });
    expect(again.body.message).toBe('deployments.apps "dup-d" already exists');
    expect(again.body.details).toEqual({ name: "dup-d", group: "apps", kind: "deployments" });
  });

  test("dryRun=All create answers 201 with the object but writes nothing", async () => {
    const { status, body } = await s.json("POST", `${cms}?dryRun=All`, { body: configMap("dry-1") });
    expect(status).toBe(201);
    expect(body.metadata.name).toBe("dry-1");
    expect(body.metadata.uid).toBeString();
    // Upstream's DryRunnableStorage copies the object without storing it: no resourceVersion.
    expect(body.metadata.resourceVersion).toBeUndefined();
    expect((await s.json("GET", `${cms}/dry-1`)).status).toBe(404);
    expect(await listNames(s, cms)).not.toContain("dry-1");
  });

  test("an unsupported dryRun value → 422 Invalid CreateOptions", async () => {
    const { status, body } = await s.json("POST", `${cms}?dryRun=Maybe`, { body: configMap("dry-bad") });
    // handlers/create.go: ValidateCreateOptions → NewInvalid(meta.k8s.io CreateOptions).
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toBe('CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Maybe"}: supported values: "All"');
    expect((await s.json("GET", `${cms}/dry-bad`)).status).toBe(404);
  });

  test("fieldManager is accepted on create, update and patch", async () => {
    expect((await s.json("POST", `${cms}?fieldManager=my-tool`, { body: configMap("fm") })).status).toBe(201);
    const cur = (await s.json("GET", `${cms}/fm`)).body;
    expect((await s.json("PUT", `${cms}/fm?fieldManager=my-tool`, { body: { ...cur, data: { k: "2" } } })).status).toBe(200);
    expect((await s.json("PATCH", `${cms}/fm?fieldManager=my-tool`, { body: { data: { k: "3" } }, headers: merge })).status).toBe(200);
  });
});

describe("update", () => {
  test("PUT with a stale resourceVersion → 409 Conflict with upstream wording", async () => {
    const created = (await s.json("POST", cms, { body: configMap("occ") })).body;
    const first = await s.json("PUT", `${cms}/occ`, { body: { ...created, data: { k: "1" } } });
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const { status, body } = await s.json("PUT", `${cms}/occ`, { body: { ...created, data: { k: "stale" } } });
    expect(status).toBe(409);
    expect(body.reason).toBe("Conflict");
    expect(body.message).toBe('Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again');
    expect(body.details).toEqual({ name: "occ", kind: "configmaps" });
    expect((await s.json("GET", `${cms}/occ`)).body.data).toEqual({ k: "1" });
  });

  test("PUT without resourceVersion is an unconditional update", async () => {
    await s.json("POST", cms, { body: configMap("uncond") });
    const { status, body } = await s.json("PUT", `${cms}/uncond`, { body: configMap("uncond", { data: { k: "new" } }) });
    expect(status).toBe(200);
    expect(body.data).toEqual({ k: "new" });
  });

  test("PUT with a different metadata.uid → 409 Conflict (uid precondition)", async () => {
    const created = (await s.json("POST", cms, { body: configMap("uid-put") })).body;
    const bogus = "00000000-0000-0000-0000-000000000000";
    const { status, body } = await s.json("PUT", `${cms}/uid-put`, { body: { ...created, metadata: { ...created.metadata, uid: bogus } } });
    expect(status).toBe(409);
    expect(body.reason).toBe("Conflict");
    expect(body.message).toStartWith('Operation cannot be fulfilled on configmaps "uid-put": ');
    expect(body.message).toContain(`Precondition failed: UID in precondition: ${bogus}, UID in object meta: ${created.metadata.uid}`);
  });

  test("PUT of a missing configmap → 404 NotFound", async () => {
    const { status, body } = await s.json("PUT", `${cms}/nope`, { body: configMap("nope") });
    expect(status).toBe(404);
    expect(body.message).toBe('configmaps "nope" not found');
  });

  test("PUT with a name different from the URL → 400", async () => {
    await s.json("POST", cms, { body: configMap("url-name") });
    const { status, body } = await s.json("PUT", `${cms}/url-name`, { body: configMap("other-name") });
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect(body.message).toBe("the name of the object (other-name) does not match the name on the URL (url-name)");
  });

  test("dryRun=All update answers the new object but does not store it", async () => {
    const created = (await s.json("POST", cms, { body: configMap("dry-upd") })).body;
    const { status, body } = await s.json("PUT", `${cms}/dry-upd?dryRun=All`, { body: { ...created, data: { k: "dry" } } });
    expect(status).toBe(200);
    expect(body.data).toEqual({ k: "dry" });
    const got = (await s.json("GET", `${cms}/dry-upd`)).body;
    expect(got.data).toEqual({ k: "v" });
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  test("deployment generation: 1 on create, +1 on spec change, unchanged on labels and status", async () => {
    const created = (await s.json("POST", deploys, { body: deployment("gen") })).body;
    expect(created.metadata.generation).toBe(1);
    const labelled = await s.json("PATCH", `${deploys}/gen`, { body: { metadata: { labels: { tier: "web" } } }, headers: merge });
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await s.json("PATCH", `${deploys}/gen`, { body: { spec: { replicas: 4 } }, headers: merge });
    expect(scaled.body.metadata.generation).toBe(2);
    const status = await s.json("PATCH", `${deploys}/gen/status`, { body: { status: { observedGeneration: 2, replicas: 4 } }, headers: merge });
    expect(status.status).toBe(200);
    expect(status.body.metadata.generation).toBe(2);
    expect(status.body.status.replicas).toBe(4);
  });

  test("deployment generation also bumps on annotation changes (deployment strategy)", async () => {
    // pkg/registry/apps/deployment/strategy.go PrepareForUpdate: Spec or Annotations changed → Generation+1.
    await s.json("POST", deploys, { body: deployment("gen-ann") });
    const { body } = await s.json("PATCH", `${deploys}/gen-ann`, { body: { metadata: { annotations: { note: "x" } } }, headers: merge });
    expect(body.metadata.generation).toBe(2);
  });

  test("PUT re-applies defaults: a pod manifest without defaulted fields may change the image", async () => {
    // The update body is decoded with defaulting, so fields the client left out
    // (terminationMessagePath, imagePullPolicy, …) are defaulted again before validation.
    const created = (await s.json("POST", "/api/v1/namespaces/default/pods", { body: pod("put-defaults") })).body;
    // The stored pod minus what defaulting fills in (admission-set fields such as
    // tolerations stay: upstream forbids removing them on update).
    const manifest = structuredClone(created);
    for (const c of manifest.spec.containers) {
      delete c.terminationMessagePath;
      delete c.terminationMessagePolicy;
      delete c.imagePullPolicy;
    }
    delete manifest.spec.dnsPolicy;
    delete manifest.spec.restartPolicy;
    manifest.spec.containers[0].image = "nginx:1.28";
    const { status, body } = await s.json("PUT", "/api/v1/namespaces/default/pods/put-defaults", { body: manifest });
    expect(status).toBe(200);
    expect(body.spec.containers[0].image).toBe("nginx:1.28");
    expect(body.spec.containers[0].terminationMessagePath).toBe("/dev/termination-log");
  });

  test("main PUT cannot change status; PUT on /status changes only status", async () => {
    const created = (await s.json("POST", deploys, { body: deployment("st") })).body;
    const put = await s.json("PUT", `${deploys}/st`, { body: { ...created, status: { replicas: 9 } } });
    expect(put.status).toBe(200);
    expect(put.body.status.replicas).toBeUndefined();
    const cur = put.body;
    const viaStatus = await s.json("PUT", `${deploys}/st/status`, {
      body: { ...cur, metadata: { ...cur.metadata, labels: { sneaky: "yes" } }, spec: { ...cur.spec, replicas: 7 }, status: { replicas: 3 } },
    });
    expect(viaStatus.status).toBe(200);
    expect(viaStatus.body.status.replicas).toBe(3);
    expect(viaStatus.body.spec.replicas).toBe(1);
    expect(viaStatus.body.metadata.labels?.sneaky).toBeUndefined();
    expect(viaStatus.body.metadata.generation).toBe(1);
  });
});

describe("delete", () => {
  test("DELETE of a configmap returns a Success Status with name, kind and uid", async () => {
    const created = (await s.json("POST", cms, { body: configMap("del-cm") })).body;
    const { status, body } = await s.json("DELETE", `${cms}/del-cm`);
    expect(status).toBe(200);
    expect(body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: "del-cm", kind: "configmaps", uid: created.metadata.uid } });
    expect((await s.json("GET", `${cms}/del-cm`)).status).toBe(404);
  });

  test("DELETE of an unscheduled pod returns the Pod object and removes it", async () => {
    const created = (await s.json("POST", "/api/v1/namespaces/default/pods", { body: pod("del-pod") })).body;
    const { status, body } = await s.json("DELETE", "/api/v1/namespaces/default/pods/del-pod");
    expect(status).toBe(200);
    expect(body.kind).toBe("Pod");
    expect(body.metadata.uid).toBe(created.metadata.uid);
    expect((await s.json("GET", "/api/v1/namespaces/default/pods/del-pod")).status).toBe(404);
  });

  test("DELETE of a missing object → 404", async () => {
    const { status, body } = await s.json("DELETE", `${cms}/ghost`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ reason: "NotFound", message: 'configmaps "ghost" not found', details: { name: "ghost", kind: "configmaps" } });
  });

  test("dryRun=All delete leaves the object in place", async () => {
    await s.json("POST", cms, { body: configMap("dry-del") });
    expect((await s.json("DELETE", `${cms}/dry-del?dryRun=All`)).status).toBe(200);
    expect((await s.json("GET", `${cms}/dry-del`)).status).toBe(200);
  });

  test("finalizers hold the object until a patch removes them; watchers see DELETED", async () => {
    const created = (await s.json("POST", cms, { body: configMap("fin", { finalizers: ["example.com/hold"] }) })).body;
    const watch = await openWatch(s, `${cms}?watch=true&resourceVersion=${created.metadata.resourceVersion}&fieldSelector=metadata.name%3Dfin`);
    try {
      const del = await s.json("DELETE", `${cms}/fin`);
      expect(del.status).toBe(200);
      expect(del.body.kind).toBe("ConfigMap");
      expect(del.body.metadata.deletionTimestamp).toBeString();
      expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
      const still = await s.json("GET", `${cms}/fin`);
      expect(still.status).toBe(200);
      expect(still.body.metadata.finalizers).toEqual(["example.com/hold"]);
      const patched = await s.json("PATCH", `${cms}/fin`, { body: { metadata: { finalizers: null } }, headers: merge });
      expect(patched.status).toBe(200);
      expect((await s.json("GET", `${cms}/fin`)).status).toBe(404);
      const events = await watch.take(2);
      expect(events.map((e) => e.type)).toEqual(["MODIFIED", "DELETED"]);
      expect(events[1].object.metadata.name).toBe("fin");
    } finally {
      await watch.close();
    }
  });

  test("deleting a deployment held by a finalizer bumps its generation (store.go markAsDeleting)", async () => {
    const d = deployment("gen-del") as any;
    d.metadata.finalizers = ["example.com/hold"];
    await s.json("POST", deploys, { body: d });
    const { body } = await s.json("DELETE", `${deploys}/gen-del`);
    expect(body.metadata.deletionTimestamp).toBeString();
    expect(body.metadata.generation).toBe(2);
    await s.json("PATCH", `${deploys}/gen-del`, { body: { metadata: { finalizers: null } }, headers: merge });
  });

  test("a uid precondition that does not match → 409 Conflict, object kept", async () => {
    const created = (await s.json("POST", cms, { body: configMap("pre-uid") })).body;
    const { status, body } = await s.json("DELETE", `${cms}/pre-uid`, { body: { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid: "not-the-uid" } } });
    expect(status).toBe(409);
    expect(body.reason).toBe("Conflict");
    // rest/delete.go BeforeDelete names the Kind (GroupResource{Resource: gvk.Kind}).
    expect(body.message).toBe(
      `Operation cannot be fulfilled on ConfigMap "pre-uid": the UID in the precondition (not-the-uid) does not match the UID in record (${created.metadata.uid}). The object might have been deleted and then recreated`,
    );
    expect((await s.json("GET", `${cms}/pre-uid`)).status).toBe(200);
  });

  test("a resourceVersion precondition that does not match → 409 Conflict, object kept", async () => {
    const created = (await s.json("POST", cms, { body: configMap("pre-rv") })).body;
    const rv = created.metadata.resourceVersion;
    const { status, body } = await s.json("DELETE", `${cms}/pre-rv`, { body: { preconditions: { resourceVersion: "1" } } });
    expect(status).toBe(409);
    expect(body.message).toBe(
      `Operation cannot be fulfilled on ConfigMap "pre-rv": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${rv}). The object might have been modified`,
    );
    expect((await s.json("GET", `${cms}/pre-rv`)).status).toBe(200);
    const ok = await s.json("DELETE", `${cms}/pre-rv`, { body: { preconditions: { uid: created.metadata.uid, resourceVersion: rv } } });
    expect(ok.status).toBe(200);
  });

  test("an invalid propagationPolicy → 422 Invalid DeleteOptions", async () => {
    await s.json("POST", cms, { body: configMap("prop") });
    for (const req of [
      { path: `${cms}/prop?propagationPolicy=Sideways`, opts: {} },
      { path: `${cms}/prop`, opts: { body: { propagationPolicy: "Sideways" } } },
    ]) {
      const { status, body } = await s.json("DELETE", req.path, req.opts);
      expect(status).toBe(422);
      expect(body.reason).toBe("Invalid");
      expect(body.message).toBe('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"');
      expect(body.details).toMatchObject({ group: "meta.k8s.io", kind: "DeleteOptions" });
    }
    expect((await s.json("GET", `${cms}/prop`)).status).toBe(200);
    for (const policy of ["Background", "Orphan", "Foreground"]) {
      await s.json("POST", cms, { body: configMap(`prop-${policy.toLowerCase()}`) });
      expect((await s.json("DELETE", `${cms}/prop-${policy.toLowerCase()}?propagationPolicy=${policy}`)).status).toBe(200);
    }
  });

  test("deletecollection with a labelSelector deletes only the matching objects", async () => {
    const ns = "/api/v1/namespaces/kube-public/configmaps";
    for (const [name, team] of [["dc-a", "red"], ["dc-b", "red"], ["dc-c", "blue"]]) {
      expect((await s.json("POST", ns, { body: configMap(name, { labels: { team } }) })).status).toBe(201);
    }
    const { status, body } = await s.json("DELETE", `${ns}?labelSelector=team%3Dred`);
    expect(status).toBe(200);
    expect(body.kind).toBe("ConfigMapList");
    expect(body.items.map((i: any) => i.metadata.name).sort()).toEqual(["dc-a", "dc-b"]);
    expect(await listNames(s, ns)).toEqual(["dc-c"]);
  });
});
