import { describe, expect, test } from "bun:test";
import { defaultPrinter, printerFor } from "./index.ts";
import { NOW } from "./testing.ts";

const registered: [string, string][] = [
  ["", "pods"],
  ["", "podtemplates"],
  ["", "replicationcontrollers"],
  ["", "services"],
  ["", "endpoints"],
  ["", "nodes"],
  ["", "events"],
  ["", "namespaces"],
  ["", "secrets"],
  ["", "serviceaccounts"],
  ["", "persistentvolumes"],
  ["", "persistentvolumeclaims"],
  ["", "componentstatuses"],
  ["", "configmaps"],
  ["", "resourcequotas"],
  ["apps", "deployments"],
  ["apps", "replicasets"],
  ["apps", "statefulsets"],
  ["apps", "daemonsets"],
  ["apps", "controllerrevisions"],
  ["batch", "jobs"],
  ["batch", "cronjobs"],
  ["autoscaling", "horizontalpodautoscalers"],
  ["events.k8s.io", "events"],
  ["coordination.k8s.io", "leases"],
  ["rbac.authorization.k8s.io", "rolebindings"],
  ["rbac.authorization.k8s.io", "clusterrolebindings"],
  ["discovery.k8s.io", "endpointslices"],
  ["networking.k8s.io", "ingresses"],
  ["networking.k8s.io", "ingressclasses"],
  ["networking.k8s.io", "networkpolicies"],
  ["storage.k8s.io", "storageclasses"],
  ["scheduling.k8s.io", "priorityclasses"],
  ["node.k8s.io", "runtimeclasses"],
  ["admissionregistration.k8s.io", "mutatingwebhookconfigurations"],
  ["admissionregistration.k8s.io", "validatingwebhookconfigurations"],
  ["certificates.k8s.io", "certificatesigningrequests"],
  ["policy", "poddisruptionbudgets"],
  ["apiregistration.k8s.io", "apiservices"],
];

describe("printerFor", () => {
  test.each(registered)("%s/%s has a printer of its own", (group, resource) => {
    expect(printerFor(group, resource)).not.toBe(defaultPrinter);
  });

  test.each(registered)("%s/%s: one cell per column, even for a bare object", (group, resource) => {
    const p = printerFor(group, resource);
    for (const obj of [{}, { metadata: { name: "x" } }]) {
      expect(p.cells(obj, NOW)).toHaveLength(p.columns.length);
    }
  });

  test.each(registered)("%s/%s: column definitions are complete", (group, resource) => {
    for (const c of printerFor(group, resource).columns) {
      expect(Object.keys(c).sort()).toEqual(["description", "format", "name", "priority", "type"]);
      expect(["string", "integer", "boolean", "date"]).toContain(c.type);
    }
  });

  test("the first column holds the name, except for events", () => {
    for (const [group, resource] of registered) {
      const p = printerFor(group, resource);
      if (resource === "events") continue;
      expect(p.columns[0]).toMatchObject({ name: "Name", format: "name" });
      expect(p.cells({ metadata: { name: "obj-1" } }, NOW)[0]).toBe("obj-1");
    }
  });

  test("unknown resources get the default convertor", () => {
    expect(printerFor("", "limitranges")).toBe(defaultPrinter);
    expect(printerFor("example.com", "widgets")).toBe(defaultPrinter);
    expect(printerFor("rbac.authorization.k8s.io", "clusterroles")).toBe(defaultPrinter);
    // a group-qualified lookup never falls back to a core printer of the same plural
    expect(printerFor("example.com", "pods")).toBe(defaultPrinter);
  });
});
