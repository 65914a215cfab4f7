import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, meta } from "./testing.ts";

const template = {
  metadata: { labels: { app: "web" } },
  spec: {
    nodeSelector: { "kubernetes.io/os": "linux", disk: "ssd" },
    containers: [
      { name: "app", image: "nginx:1.27" },
      { name: "log", image: "fluent-bit:3" },
    ],
  },
};

describe("deployment printer", () => {
  const deployments = printerFor("apps", "deployments");

  test("columns", () => {
    expect(deployments.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ["Name", "string", 0],
      ["Ready", "string", 0],
      ["Up-to-date", "string", 0],
      ["Available", "string", 0],
      ["Age", "string", 0],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ]);
  });

  test("rolling out", () => {
    const d = {
      metadata: meta("web", 86400 * 3),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["front", "api"] }] },
        template,
      },
      status: { replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 },
    };
    expect(deployments.cells(d, NOW)).toEqual(["web", "2/3", 1, 2, "3d", "app,log", "nginx:1.27,fluent-bit:3", "app=web,tier in (api,front)"]);
  });

  test("new deployment without status", () => {
    const d = { metadata: meta("new", 5), spec: { replicas: 0, selector: { matchLabels: { a: "b" } }, template } };
    expect(deployments.cells(d, NOW).slice(0, 5)).toEqual(["new", "0/0", 0, 0, "5s"]);
  });

  test("invalid selector", () => {
    const d = { metadata: meta("bad", 5), spec: { selector: { matchExpressions: [{ key: "x", operator: "In" }] }, template } };
    expect(deployments.cells(d, NOW)[7]).toBe("<invalid>");
  });
});

describe("replicaset printer", () => {
  test("integer cells and selector", () => {
    const rs = {
      metadata: meta("web-7d4b9c", 600),
      spec: { replicas: 3, selector: { matchLabels: { app: "web", "pod-template-hash": "7d4b9c" } }, template },
      status: { replicas: 3, readyReplicas: 1 },
    };
    expect(printerFor("apps", "replicasets").cells(rs, NOW)).toEqual([
      "web-7d4b9c",
      3,
      3,
      1,
      "10m",
      "app,log",
      "nginx:1.27,fluent-bit:3",
      "app=web,pod-template-hash=7d4b9c",
    ]);
    expect(printerFor("apps", "replicasets").columns.slice(1, 4).map((c) => c.type)).toEqual(["integer", "integer", "integer"]);
  });
});

describe("statefulset printer", () => {
  test("ready/desired", () => {
    const sts = { metadata: meta("db", 600), spec: { replicas: 3, serviceName: "db", template }, status: { readyReplicas: 2 } };
    const p = printerFor("apps", "statefulsets");
    expect(p.columns.map((c) => c.name)).toEqual(["Name", "Ready", "Age", "Containers", "Images"]);
    expect(p.cells(sts, NOW)).toEqual(["db", "2/3", "10m", "app,log", "nginx:1.27,fluent-bit:3"]);
  });
});

describe("daemonset printer", () => {
  test("counts and node selector", () => {
    const ds = {
      metadata: meta("agent", 600),
      spec: { selector: { matchExpressions: [{ key: "app", operator: "Exists" }, { key: "legacy", operator: "DoesNotExist" }] }, template },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
    };
    const p = printerFor("apps", "daemonsets");
    expect(p.columns.map((c) => c.name)).toEqual([
      "Name",
      "Desired",
      "Current",
      "Ready",
      "Up-to-date",
      "Available",
      "Node Selector",
      "Age",
      "Containers",
      "Images",
      "Selector",
    ]);
    expect(p.cells(ds, NOW)).toEqual([
      "agent",
      2,
      2,
      1,
      2,
      1,
      "disk=ssd,kubernetes.io/os=linux",
      "10m",
      "app,log",
      "nginx:1.27,fluent-bit:3",
      "app,!legacy",
    ]);
  });
});

describe("controllerrevision printer", () => {
  test("controller reference", () => {
    const cr = {
      metadata: meta("agent-5f6d", 600, {
        ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u", controller: true }],
      }),
      revision: 4,
    };
    const p = printerFor("apps", "controllerrevisions");
    expect(p.cells(cr, NOW)).toEqual(["agent-5f6d", "daemonset.apps/agent", 4, "10m"]);
    expect(p.cells({ metadata: meta("orphan", 600), revision: 1 }, NOW)[1]).toBe("<none>");
  });
});
