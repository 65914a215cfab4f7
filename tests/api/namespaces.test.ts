// Namespaces: the system namespaces, NamespaceLifecycle admission (missing → 404,
// terminating → 403), and deletion (Terminating, contents removed, then the namespace).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment, eventually, listNames, pod } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

async function createNamespace(name: string) {
  const res = await s.json("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name } } });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body;
}

describe("system namespaces", () => {
  test("default, kube-system, kube-public and kube-node-lease exist and are Active", async () => {
    const { status, body } = await s.json("GET", "/api/v1/namespaces");
    expect(status).toBe(200);
    expect(body.kind).toBe("NamespaceList");
    const names = body.items.map((n: any) => n.metadata.name);
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      expect(names).toContain(name);
      const ns = body.items.find((n: any) => n.metadata.name === name);
      expect(ns.status.phase).toBe("Active");
      expect(ns.spec.finalizers).toEqual(["kubernetes"]);
      expect(ns.metadata.labels["kubernetes.io/metadata.name"]).toBe(name);
    }
  });

  test("a new namespace gets the kubernetes finalizer, phase Active and the name label", async () => {
    const ns = await createNamespace("fresh");
    expect(ns.kind).toBe("Namespace");
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.spec.finalizers).toEqual(["kubernetes"]);
    expect(ns.status.phase).toBe("Active");
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "fresh" });
  });

  test("namespace names must be DNS-1123 labels", async () => {
    const upper = await s.json("POST", "/api/v1/namespaces", { body: { metadata: { name: "Upper" } } });
    expect(upper.status).toBe(422);
    expect(upper.body.reason).toBe("Invalid");
    expect(upper.body.message).toStartWith('Namespace "Upper" is invalid: metadata.name: Invalid value: "Upper": a lowercase RFC 1123 label must consist of');
    expect(upper.body.details.causes[0].field).toBe("metadata.name");
    // IsDNS1123Label: a valid subdomain that is not a label "must not contain dots".
    const dotted = await s.json("POST", "/api/v1/namespaces", { body: { metadata: { name: "has.dot" } } });
    expect(dotted.status).toBe(422);
    expect(dotted.body.message).toBe('Namespace "has.dot" is invalid: metadata.name: Invalid value: "has.dot": must not contain dots');
    expect(await listNames(s, "/api/v1/namespaces")).not.toContain("has.dot");
  });

  test("fieldSelector status.phase on namespaces", async () => {
    expect(await listNames(s, "/api/v1/namespaces?fieldSelector=status.phase%3DTerminating")).toEqual([]);
    const active = await listNames(s, "/api/v1/namespaces?fieldSelector=status.phase%3DActive");
    expect(active).toContain("default");
  });
});

describe("NamespaceLifecycle admission", () => {
  test("create in a missing namespace → 404 namespaces \"x\" not found, nothing written", async () => {
    const { status, body } = await s.json("POST", "/api/v1/namespaces/no-such-ns/configmaps", { body: configMap("orphan") });
    expect(status).toBe(404);
    expect(body).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", code: 404, message: 'namespaces "no-such-ns" not found' });
    expect(body.details).toEqual({ name: "no-such-ns", kind: "namespaces" });
    expect(await listNames(s, "/api/v1/configmaps?fieldSelector=metadata.name%3Dorphan")).toEqual([]);
  });

  test("create of a deployment in a missing namespace → 404 as well", async () => {
    const { status, body } = await s.json("POST", "/apis/apps/v1/namespaces/no-such-ns/deployments", { body: deployment("d") });
    expect(status).toBe(404);
    expect(body.message).toBe('namespaces "no-such-ns" not found');
  });
});

describe("namespace deletion", () => {
  test("DELETE → Terminating; creates are forbidden; contents go, then the namespace", async () => {
    await createNamespace("doomed");
    const base = "/api/v1/namespaces/doomed";
    expect((await s.json("POST", `${base}/configmaps`, { body: configMap("cm1") })).status).toBe(201);
    expect((await s.json("POST", `${base}/pods`, { body: pod("p1") })).status).toBe(201);
    expect((await s.json("POST", "/apis/apps/v1/namespaces/doomed/deployments", { body: deployment("d1") })).status).toBe(201);

    const del = await s.json("DELETE", "/api/v1/namespaces/doomed");
    expect(del.status).toBe(200);
    expect(del.body.kind).toBe("Namespace");
    expect(del.body.metadata.deletionTimestamp).toBeString();
    expect(del.body.status.phase).toBe("Terminating");

    const refused = await s.json("POST", `${base}/configmaps`, { body: configMap("late") });
    if (refused.status === 403) {
      expect(refused.body.reason).toBe("Forbidden");
      expect(refused.body.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
      expect(refused.body.details).toMatchObject({ name: "late", kind: "configmaps" });
    } else {
      // The namespace may already be gone: then it is simply not found.
      expect(refused.status).toBe(404);
    }

    const gone = await eventually(async () => (await s.json("GET", "/api/v1/namespaces/doomed")).status === 404);
    expect(gone).toBe(true);
    expect(await listNames(s, "/api/v1/configmaps?fieldSelector=metadata.namespace%3Ddoomed")).toEqual([]);
    expect(await listNames(s, "/api/v1/pods?fieldSelector=metadata.namespace%3Ddoomed")).toEqual([]);
    expect(await listNames(s, "/apis/apps/v1/deployments?fieldSelector=metadata.namespace%3Ddoomed")).toEqual([]);
  });

  test("a terminating namespace held by content with a finalizer refuses creates with 403", async () => {
    await createNamespace("held");
    const base = "/api/v1/namespaces/held/configmaps";
    expect((await s.json("POST", base, { body: configMap("anchor", { finalizers: ["example.com/hold"] }) })).status).toBe(201);
    expect((await s.json("DELETE", "/api/v1/namespaces/held")).status).toBe(200);

    const refused = await s.json("POST", base, { body: configMap("late") });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
    expect(refused.body.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace held because it is being terminated');

    const ns = (await s.json("GET", "/api/v1/namespaces/held")).body;
    expect(ns.status.phase).toBe("Terminating");
    // The controller marks the held object for deletion but must wait for its finalizer.
    const anchor = await eventually(async () => {
      const got = await s.json("GET", `${base}/anchor`);
      return got.body.metadata?.deletionTimestamp ? got.body : null;
    });
    expect(anchor.metadata.finalizers).toEqual(["example.com/hold"]);
    expect((await s.json("GET", "/api/v1/namespaces/held")).status).toBe(200);

    await s.json("PATCH", `${base}/anchor`, { body: { metadata: { finalizers: null } }, headers: { "content-type": "application/merge-patch+json" } });
    await eventually(async () => (await s.json("GET", "/api/v1/namespaces/held")).status === 404);
    // Each state the namespace went through is seen by the next create: gone, then new again.
    expect((await s.json("POST", base, { body: configMap("after") })).status).toBe(404);
    await createNamespace("held");
    expect((await s.json("POST", base, { body: configMap("after") })).status).toBe(201);

    // NamespaceLifecycle adds the NamespaceTerminating cause that controllers test with HasStatusCause.
    expect(refused.body.details).toEqual({
      name: "late",
      kind: "configmaps",
      causes: [{ reason: "NamespaceTerminating", message: "namespace held is being terminated", field: "metadata.namespace" }],
    });
  });

  test("deleting default, kube-system or kube-public is refused", async () => {
    // apiserver admission/plugin/namespace/lifecycle: immortal namespaces → 403 Forbidden.
    const own = await startInProcessServer();
    try {
      for (const name of ["default", "kube-system", "kube-public"]) {
        const { status, body } = await own.json("DELETE", `/api/v1/namespaces/${name}`);
        expect(status).toBe(403);
        expect(body.reason).toBe("Forbidden");
        expect(body.message).toBe(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
        const ns = (await own.json("GET", `/api/v1/namespaces/${name}`)).body;
        expect(ns.status.phase).toBe("Active");
        expect(ns.metadata.deletionTimestamp).toBeUndefined();
      }
    } finally {
      await own.close();
    }
  });
});

describe("namespaces/finalize", () => {
  test("PUT /finalize replaces spec.finalizers only", async () => {
    const ns = await createNamespace("fin-ns");
    const { status, body } = await s.json("PUT", "/api/v1/namespaces/fin-ns/finalize", {
      body: { ...ns, spec: { finalizers: [] }, status: { phase: "Terminating" } },
    });
    expect(status).toBe(200);
    expect(body.spec.finalizers ?? []).toEqual([]);
    expect(body.status.phase).toBe("Active");
    // Without finalizers a DELETE removes the namespace at once (or within the controller's pass).
    expect((await s.json("DELETE", "/api/v1/namespaces/fin-ns")).status).toBe(200);
    await eventually(async () => (await s.json("GET", "/api/v1/namespaces/fin-ns")).status === 404);
  });

  test("a main PUT cannot change spec.finalizers", async () => {
    const ns = await createNamespace("fin-main");
    const { status, body } = await s.json("PUT", "/api/v1/namespaces/fin-main", { body: { ...ns, spec: { finalizers: [] } } });
    expect(status).toBe(200);
    expect(body.spec.finalizers).toEqual(["kubernetes"]);
  });

  test("GET on /finalize is not allowed (405)", async () => {
    const { status, body } = await s.json("GET", "/api/v1/namespaces/default/finalize");
    expect(status).toBe(405);
    expect(body.reason).toBe("MethodNotAllowed");
  });
});
