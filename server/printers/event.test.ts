import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, ago, meta } from "./testing.ts";

const events = printerFor("", "events");

describe("event printer", () => {
  test("columns: NAME is last and wide", () => {
    expect(events.columns.map((c) => [c.name, c.format, c.priority])).toEqual([
      ["Last Seen", "", 0],
      ["Type", "", 0],
      ["Reason", "", 0],
      ["Object", "", 0],
      ["Subobject", "", 1],
      ["Source", "", 1],
      ["Message", "", 0],
      ["First Seen", "", 1],
      ["Count", "", 1],
      ["Name", "name", 1],
    ]);
    expect(printerFor("events.k8s.io", "events")).toBe(events);
  });

  test("a repeated core/v1 event", () => {
    const e = {
      apiVersion: "v1",
      kind: "Event",
      metadata: meta("web.17d2a", 900),
      involvedObject: { kind: "Pod", namespace: "default", name: "web", fieldPath: "spec.containers{app}" },
      reason: "BackOff",
      message: "Back-off restarting failed container app in pod web_default(uid)\n",
      source: { component: "kubelet", host: "kapi-node" },
      firstTimestamp: ago(900),
      lastTimestamp: ago(45),
      count: 12,
      type: "Warning",
    };
    expect(events.cells(e, NOW)).toEqual([
      "45s",
      "Warning",
      "BackOff",
      "pod/web",
      "spec.containers{app}",
      "kubelet, kapi-node",
      "Back-off restarting failed container app in pod web_default(uid)",
      "15m",
      12,
      "web.17d2a",
    ]);
  });

  test("a new-style singleton event: eventTime, reporting controller, no count", () => {
    const e = {
      metadata: meta("sched.1", 30),
      involvedObject: { kind: "Pod", name: "web" },
      reason: "Scheduled",
      message: "Successfully assigned default/web to kapi-node",
      source: {},
      eventTime: "2024-06-01T11:59:30.123456Z",
      reportingComponent: "default-scheduler",
      reportingInstance: "default-scheduler-kapi",
      type: "Normal",
    };
    expect(events.cells(e, NOW)).toEqual([
      "29s",
      "Normal",
      "Scheduled",
      "pod/web",
      "",
      "default-scheduler, default-scheduler-kapi",
      "Successfully assigned default/web to kapi-node",
      "29s",
      1,
      "sched.1",
    ]);
  });

  test("an event series", () => {
    const e = {
      metadata: meta("s", 3600),
      involvedObject: { kind: "Node" },
      reason: "Rebooted",
      source: { component: "kubelet" },
      eventTime: ago(3600),
      series: { count: 4, lastObservedTime: ago(120) },
      type: "Warning",
    };
    expect(events.cells(e, NOW)).toEqual(["2m", "Warning", "Rebooted", "node", "", "kubelet", "", "60m", 4, "s"]);
  });

  test("events.k8s.io/v1 events print like their core form", () => {
    const e = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: meta("web.1", 900),
      regarding: { kind: "Deployment", name: "web", namespace: "default" },
      note: "Scaled up replica set web-7d4b9c to 3",
      reason: "ScalingReplicaSet",
      type: "Normal",
      action: "Scale",
      reportingController: "deployment-controller",
      reportingInstance: "",
      deprecatedSource: { component: "deployment-controller" },
      deprecatedFirstTimestamp: ago(900),
      deprecatedLastTimestamp: ago(600),
      deprecatedCount: 2,
    };
    expect(printerFor("events.k8s.io", "events").cells(e, NOW)).toEqual([
      "10m",
      "Normal",
      "ScalingReplicaSet",
      "deployment/web",
      "",
      "deployment-controller",
      "Scaled up replica set web-7d4b9c to 3",
      "15m",
      2,
      "web.1",
    ]);
  });

  test("no timestamps at all", () => {
    const cells = events.cells({ metadata: { name: "x" }, involvedObject: {} }, NOW);
    expect(cells.slice(0, 4)).toEqual(["<unknown>", "", "", ""]);
    expect(cells[7]).toBe("<unknown>");
  });
});
