// The built-in node's registration and heartbeat, and the scheduler's placement rules, with
// the simulated runtime (pods go Running without processes).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { podBody, startNodeServer, type NodeServer } from "./in-process-node.ts";
import { eventually } from "./helpers.ts";

let s: NodeServer;
const pods = "/api/v1/namespaces/default/pods";
beforeAll(async () => {
  s = await startNodeServer("simulated");
});
afterAll(async () => {
  await s.stop();
});

const eventsOf = async (name: string) => (await s.json("GET", `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).body.items;
const nginx = [{ name: "web", image: "nginx" }];

describe("node", () => {
  test("registers a Ready node with capacity, addresses and node info", async () => {
    const node = await s.waitFor("/api/v1/nodes/node-1", (n) => n.status?.conditions?.some((c: any) => c.type === "Ready"));
    expect(node.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "node-1", "kubernetes.io/os": "linux" });
    expect(node.status.conditions.find((c: any) => c.type === "Ready")).toMatchObject({ status: "True", reason: "KubeletReady" });
    expect(node.status.addresses).toEqual([
      { address: "127.0.0.1", type: "InternalIP" },
      { address: "node-1", type: "Hostname" },
    ]);
    expect(Number(node.status.capacity.cpu)).toBeGreaterThan(0);
    expect(node.status.capacity.pods).toBe("110");
    expect(node.status.nodeInfo.containerRuntimeVersion).toStartWith("simulated://");
  });

  test("holds a Lease in kube-node-lease, owned by the Node", async () => {
    const lease = await s.waitFor("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1", (l) => Boolean(l?.spec));
    const node = (await s.json("GET", "/api/v1/nodes/node-1")).body;
    expect(lease.spec).toMatchObject({ holderIdentity: "node-1", leaseDurationSeconds: 40 });
    expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Node", name: "node-1", uid: node.metadata.uid }]);
  });
});

describe("scheduler", () => {
  test("binds a pending pod to the node, with a Scheduled event and the PodScheduled condition", async () => {
    await s.create(pods, podBody("placed", nginx));
    const pod = await s.waitFor(`${pods}/placed`, (p) => p.status.phase === "Running");
    expect(pod.spec.nodeName).toBe("node-1");
    expect(pod.status.conditions.find((c: any) => c.type === "PodScheduled").status).toBe("True");
    const scheduled = await eventually(async () => (await eventsOf("placed")).find((e: any) => e.reason === "Scheduled"));
    expect(scheduled).toMatchObject({ type: "Normal", message: "Successfully assigned default/placed to node-1", source: { component: "default-scheduler" } });
  });

  test("honours nodeSelector: a pod no node matches stays Pending with FailedScheduling", async () => {
    await s.create(pods, podBody("picky", nginx, { nodeSelector: { disk: "ssd" } }));
    const message = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    const pod = await s.waitFor(`${pods}/picky`, (p) => p.status.conditions?.some((c: any) => c.type === "PodScheduled"));
    expect(pod.status.phase).toBe("Pending");
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status.conditions.find((c: any) => c.type === "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable", message });
    const failed = await eventually(async () => (await eventsOf("picky")).find((e: any) => e.reason === "FailedScheduling"));
    expect(failed).toMatchObject({ type: "Warning", message });
  });

  test("a node that gains the label takes the waiting pod", async () => {
    const node = (await s.json("GET", "/api/v1/nodes/node-1")).body;
    node.metadata.labels.disk = "ssd";
    expect((await s.json("PUT", "/api/v1/nodes/node-1", { body: node })).status).toBe(200);
    const pod = await s.waitFor(`${pods}/picky`, (p) => p.status.phase === "Running");
    expect(pod.spec.nodeName).toBe("node-1");
  });

  test("leaves pods of other schedulers alone and runs pods that name the node themselves", async () => {
    await s.create(pods, podBody("elsewhere", nginx, { schedulerName: "my-scheduler" }));
    await s.create(pods, podBody("pinned", nginx, { nodeName: "node-1" }));
    const pinned = await s.waitFor(`${pods}/pinned`, (p) => p.status.phase === "Running");
    expect(pinned.status.conditions.some((c: any) => c.type === "PodScheduled")).toBe(false);
    expect((await eventsOf("pinned")).some((e: any) => e.reason === "Scheduled")).toBe(false);
    const other = (await s.json("GET", `${pods}/elsewhere`)).body;
    expect(other.spec.nodeName).toBeUndefined();
    expect(other.status.phase).toBe("Pending");
  });

  test("the simulated runtime reports Running containers with no process and no NoCommand event", async () => {
    const pod = (await s.json("GET", `${pods}/placed`)).body;
    expect(pod.status.containerStatuses[0]).toMatchObject({ name: "web", ready: true, started: true, restartCount: 0 });
    expect(pod.status.containerStatuses[0].containerID).toStartWith("simulated://");
    expect((await eventsOf("placed")).map((e: any) => e.reason)).not.toContain("NoCommand");
  });
});
