// ReplicaSet and Deployment controllers with the simulated runtime: pods from templates,
// scaling, rolling updates within maxSurge/maxUnavailable, revisions and history, Recreate,
// status and conditions, and cascading deletion through the garbage collector.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startNodeServer, type NodeServer } from "./in-process-node.ts";
import { eventually } from "./helpers.ts";

let s: NodeServer;
const ns = "/api/v1/namespaces/default";
const apps = "/apis/apps/v1/namespaces/default";
beforeAll(async () => {
  s = await startNodeServer("simulated");
});
afterAll(async () => {
  await s.stop();
});

const template = (app: string, image = "nginx:1.27") => ({ metadata: { labels: { app } }, spec: { containers: [{ name: "web", image }] } });
const workload = (kind: string, name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind,
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...extra },
});
const podsOf = async (app: string) => (await s.json("GET", `${ns}/pods?labelSelector=app%3D${app}`)).body.items as any[];
const setsOf = async (app: string) => (await s.json("GET", `${apps}/replicasets?labelSelector=app%3D${app}`)).body.items as any[];
const running = (items: any[]) => items.filter((p) => p.status.phase === "Running" && !p.metadata.deletionTimestamp);
const rolledOut = (d: any) =>
  d.status?.observedGeneration >= d.metadata.generation && d.status.updatedReplicas === d.spec.replicas && d.status.replicas === d.spec.replicas && d.status.availableReplicas === d.spec.replicas;

describe("ReplicaSet", () => {
  test("creates its replicas from the template, owned by it, and reports them ready", async () => {
    const rs = await s.create(`${apps}/replicasets`, workload("ReplicaSet", "cache", 3));
    await s.waitFor(`${apps}/replicasets/cache`, (r) => r.status?.readyReplicas === 3 && r.status?.availableReplicas === 3);
    const pods = await podsOf("cache");
    expect(running(pods).length).toBe(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^cache-[a-z0-9]{5}$/);
      expect(pod.metadata.generateName).toBe("cache-");
      expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "cache", uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
  });

  test("replaces a deleted pod and removes surplus ones when scaled down", async () => {
    const [victim] = await podsOf("cache");
    await s.json("DELETE", `${ns}/pods/${victim.metadata.name}`);
    await eventually(async () => {
      const pods = running(await podsOf("cache"));
      return pods.length === 3 && !pods.some((p) => p.metadata.name === victim.metadata.name);
    });
    expect(running(await podsOf("cache")).length).toBe(3);
    await s.json("PATCH", `${apps}/replicasets/cache/scale`, { body: { spec: { replicas: 1 } }, headers: { "content-type": "application/merge-patch+json" } });
    const rs = await s.waitFor(`${apps}/replicasets/cache`, (r) => r.status?.replicas === 1);
    expect(rs.status.observedGeneration).toBe(rs.metadata.generation);
    expect(await eventually(async () => (await podsOf("cache")).length === 1)).toBe(true);
  });
});

describe("Deployment", () => {
  test("reaches its replicas through a ReplicaSet labelled with the pod-template-hash, revision 1", async () => {
    await s.create(`${apps}/deployments`, workload("Deployment", "web", 3));
    const d = await s.waitFor(`${apps}/deployments/web`, rolledOut);
    const [rs] = await setsOf("web");
    const hash = rs.metadata.labels["pod-template-hash"];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs.spec.selector.matchLabels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs.metadata.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4" });
    expect(running(await podsOf("web")).length).toBe(3);
    expect(d.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ["Available", "True", "MinimumReplicasAvailable"],
      ["Progressing", "True", "NewReplicaSetAvailable"],
    ]);
    expect(d.status.conditions[1].message).toBe(`ReplicaSet "${rs.metadata.name}" has successfully progressed.`);
  });

  test("an image change rolls out a revision 2 ReplicaSet, never above replicas + maxSurge", async () => {
    const watch = await s.request("GET", `${apps}/replicasets?watch=true&labelSelector=app%3Dweb`);
    const d = (await s.json("GET", `${apps}/deployments/web`)).body;
    d.spec.template.spec.containers[0].image = "nginx:1.28";
    expect((await s.json("PUT", `${apps}/deployments/web`, { body: d })).status).toBe(200);
    const done = await s.waitFor(`${apps}/deployments/web`, (x) => x.metadata.generation === 2 && rolledOut(x));
    expect(done.status.updatedReplicas).toBe(3);
    const sets = await setsOf("web");
    const byRevision = Object.fromEntries(sets.map((rs) => [rs.metadata.annotations["deployment.kubernetes.io/revision"], rs]));
    expect(byRevision["1"].spec.replicas).toBe(0);
    expect(byRevision["2"].spec.replicas).toBe(3);
    expect(byRevision["2"].spec.template.spec.containers[0].image).toBe("nginx:1.28");
    expect((await podsOf("web")).every((p) => p.spec.containers[0].image === "nginx:1.28" || p.metadata.deletionTimestamp)).toBe(true);
    // Every ReplicaSet update the rollout made kept the total at or under 3 + 1 (25% surge, rounded up).
    const reader = watch.body!.getReader();
    const replicas = new Map<string, number>();
    const decoder = new TextDecoder();
    let buffer = "";
    let max = 0;
    for (let i = 0; i < 500 && replicas.get(byRevision["2"].metadata.name) !== 3; i++) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        const event = JSON.parse(line);
        replicas.set(event.object.metadata.name, event.object.spec.replicas);
        max = Math.max(max, [...replicas.values()].reduce((a, b) => a + b, 0));
      }
    }
    await reader.cancel();
    expect(max).toBeLessThanOrEqual(4);
    expect(max).toBeGreaterThanOrEqual(3);
  });

  test("scaling changes the current ReplicaSet only", async () => {
    const d = (await s.json("GET", `${apps}/deployments/web`)).body;
    d.spec.replicas = 5;
    await s.json("PUT", `${apps}/deployments/web`, { body: d });
    await s.waitFor(`${apps}/deployments/web`, (x) => x.spec.replicas === 5 && rolledOut(x));
    expect(running(await podsOf("web")).length).toBe(5);
    expect((await setsOf("web")).map((rs) => rs.spec.replicas).sort()).toEqual([0, 5]);
  });

  test("revisionHistoryLimit keeps that many old ReplicaSets", async () => {
    await s.create(`${apps}/deployments`, workload("Deployment", "hist", 1, { revisionHistoryLimit: 1 }));
    for (const image of ["nginx:1", "nginx:2", "nginx:3"]) {
      const d = await s.waitFor(`${apps}/deployments/hist`, rolledOut);
      d.spec.template.spec.containers[0].image = image;
      await s.json("PUT", `${apps}/deployments/hist`, { body: d });
    }
    await s.waitFor(`${apps}/deployments/hist`, (x) => x.metadata.generation === 4 && rolledOut(x));
    const sets = await eventually(async () => {
      const found = await setsOf("hist");
      return found.length === 2 ? found : undefined;
    });
    expect(sets!.map((rs) => rs.metadata.annotations["deployment.kubernetes.io/revision"]).sort()).toEqual(["3", "4"]);
  });

  test("Recreate scales the old ReplicaSet to zero before the new one gets pods", async () => {
    await s.create(`${apps}/deployments`, workload("Deployment", "recreate", 2, { strategy: { type: "Recreate" } }));
    const d = await s.waitFor(`${apps}/deployments/recreate`, rolledOut);
    d.spec.template.spec.containers[0].image = "nginx:next";
    await s.json("PUT", `${apps}/deployments/recreate`, { body: d });
    await s.waitFor(`${apps}/deployments/recreate`, (x) => x.metadata.generation === 2 && rolledOut(x));
    const sets = await setsOf("recreate");
    expect(sets.map((rs) => [rs.metadata.annotations["deployment.kubernetes.io/revision"], rs.spec.replicas]).sort()).toEqual([
      ["1", 0],
      ["2", 2],
    ]);
  });

  test("deleting a Deployment removes its ReplicaSets and pods", async () => {
    await s.json("DELETE", `${apps}/deployments/web`);
    expect(await eventually(async () => (await setsOf("web")).length === 0 && (await podsOf("web")).length === 0)).toBe(true);
  });
});
