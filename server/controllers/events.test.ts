import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openSqliteStore, type Store } from "../../store/index.ts";
import { defaultCatalog } from "../registry/catalog.ts";
import { ObjectWriter } from "../registry/object-writer.ts";
import { createEventRecorder, startEventTtlController } from "./events.ts";

let store: Store;
const catalog = defaultCatalog();
const events = catalog.lookup("", "v1", "events")!;
let writer: ObjectWriter;
beforeAll(async () => {
  store = await openSqliteStore(":memory:");
  writer = new ObjectWriter(store);
});
afterAll(async () => {
  await store.close();
});

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default", uid: "uid-1", resourceVersion: "7" } };
const node = { apiVersion: "v1", kind: "Node", metadata: { name: "node-1", uid: "uid-2" } };
const list = async () => (await writer.reader.list(events, "", {})).items;

describe("event recorder", () => {
  test("an event names its object, source and times", async () => {
    const recorder = createEventRecorder(catalog, writer, { component: "kubelet", host: "node-1" });
    recorder.record(pod, "Normal", "Pulled", 'Container image "nginx" already present on machine', { fieldPath: "spec.containers{web}" });
    await recorder.flush();
    const [event] = await list();
    expect(event.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
    expect(event.metadata.namespace).toBe("default");
    expect(event.involvedObject).toEqual({ kind: "Pod", name: "web", namespace: "default", uid: "uid-1", apiVersion: "v1", resourceVersion: "7", fieldPath: "spec.containers{web}" });
    expect(event).toMatchObject({ reason: "Pulled", type: "Normal", count: 1, source: { component: "kubelet", host: "node-1" }, reportingComponent: "kubelet", reportingInstance: "node-1" });
    expect(event.firstTimestamp).toBe(event.lastTimestamp);
  });

  test("repeats of the same event raise its count; another message is another event", async () => {
    const recorder = createEventRecorder(catalog, writer, { component: "default-scheduler" });
    for (let i = 0; i < 3; i++) recorder.record(pod, "Warning", "FailedScheduling", "0/1 nodes are available");
    recorder.record(pod, "Warning", "FailedScheduling", "no nodes available to schedule pods");
    await recorder.flush();
    const failed = (await list()).filter((e) => e.reason === "FailedScheduling");
    expect(failed.map((e) => [e.message, e.count]).sort()).toEqual([
      ["0/1 nodes are available", 3],
      ["no nodes available to schedule pods", 1],
    ]);
  });

  test("events about cluster-scoped objects go to the default namespace", async () => {
    const recorder = createEventRecorder(catalog, writer, { component: "kubelet", host: "node-1" });
    recorder.record(node, "Normal", "Starting", "Starting kubelet.");
    await recorder.flush();
    const starting = (await list()).find((e) => e.reason === "Starting")!;
    expect(starting.metadata.namespace).toBe("default");
    expect(starting.involvedObject.namespace).toBeUndefined();
  });

  test("the TTL controller deletes events whose last write is older than the TTL", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
    await writer.create(events, "default", { metadata: { name: "stale" }, involvedObject: { kind: "Pod", name: "x" }, reason: "Old" });
    await writer.create(events, "default", { metadata: { name: "touched" }, involvedObject: { kind: "Pod", name: "x" }, reason: "Recent", lastTimestamp: later });
    await Bun.sleep(60);
    const ttl = startEventTtlController(store, catalog, writer, { ttlMs: 50, intervalMs: 20 });
    for (let i = 0; i < 100 && (await list()).some((e) => e.metadata.name === "stale"); i++) await Bun.sleep(20);
    ttl.stop();
    const names = (await list()).map((e) => e.metadata.name);
    expect(names).not.toContain("stale");
    expect(names).toContain("touched");
  });
});
