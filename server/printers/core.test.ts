import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, meta } from "./testing.ts";

function header(group: string, resource: string): string[] {
  return printerFor(group, resource).columns.map((c) => c.name);
}

describe("core printers", () => {
  test("namespaces", () => {
    expect(header("", "namespaces")).toEqual(["Name", "Status", "Age"]);
    const ns = { metadata: meta("kube-system", 86400 * 40), status: { phase: "Active" } };
    expect(printerFor("", "namespaces").cells(ns, NOW)).toEqual(["kube-system", "Active", "40d"]);
    const dying = { metadata: meta("old", 30, { deletionTimestamp: "2024-06-01T11:59:59Z" }), status: { phase: "Terminating" } };
    expect(printerFor("", "namespaces").cells(dying, NOW)).toEqual(["old", "Terminating", "30s"]);
  });

  test("configmaps count data and binaryData", () => {
    expect(header("", "configmaps")).toEqual(["Name", "Data", "Age"]);
    const cm = { metadata: meta("kube-root-ca.crt", 90), data: { "ca.crt": "..." , "b": "" }, binaryData: { logo: "iVBO" } };
    expect(printerFor("", "configmaps").cells(cm, NOW)).toEqual(["kube-root-ca.crt", 3, "90s"]);
    expect(printerFor("", "configmaps").cells({ metadata: meta("empty", 90) }, NOW)).toEqual(["empty", 0, "90s"]);
  });

  test("secrets", () => {
    expect(header("", "secrets")).toEqual(["Name", "Type", "Data", "Age"]);
    const s = { metadata: meta("tls", 600), type: "kubernetes.io/tls", data: { "tls.crt": "x", "tls.key": "y" } };
    expect(printerFor("", "secrets").cells(s, NOW)).toEqual(["tls", "kubernetes.io/tls", 2, "10m"]);
  });

  test("serviceaccounts", () => {
    expect(header("", "serviceaccounts")).toEqual(["Name", "Secrets", "Age"]);
    expect(printerFor("", "serviceaccounts").cells({ metadata: meta("default", 600) }, NOW)).toEqual(["default", 0, "10m"]);
    const sa = { metadata: meta("builder", 600), secrets: [{ name: "builder-token" }] };
    expect(printerFor("", "serviceaccounts").cells(sa, NOW)).toEqual(["builder", 1, "10m"]);
  });

  test("podtemplates", () => {
    const pt = {
      metadata: meta("tpl", 600),
      template: { metadata: { labels: { b: "2", a: "1" } }, spec: { containers: [{ name: "c", image: "i" }] } },
    };
    expect(printerFor("", "podtemplates").cells(pt, NOW)).toEqual(["tpl", "c", "i", "a=1,b=2"]);
  });

  test("replicationcontrollers", () => {
    const rc = {
      metadata: meta("rc", 600),
      spec: { replicas: 2, selector: { app: "x" }, template: { spec: { containers: [{ name: "c", image: "i" }] } } },
      status: { replicas: 2, readyReplicas: 1 },
    };
    expect(printerFor("", "replicationcontrollers").cells(rc, NOW)).toEqual(["rc", 2, 2, 1, "10m", "c", "i", "app=x"]);
  });

  test("componentstatuses", () => {
    const cs = { metadata: { name: "etcd-0" }, conditions: [{ type: "Healthy", status: "True", message: "ok" }] };
    expect(printerFor("", "componentstatuses").cells(cs, NOW)).toEqual(["etcd-0", "Healthy", "ok", ""]);
    expect(printerFor("", "componentstatuses").cells({ metadata: { name: "x" } }, NOW)).toEqual(["x", "Unknown", "", ""]);
  });

  test("resourcequotas split requests and limits", () => {
    const q = {
      metadata: meta("quota", 600),
      status: {
        hard: { "limits.cpu": "2", pods: "10", "requests.memory": "1Gi", "limits.memory": "2Gi" },
        used: { "limits.cpu": "500m", pods: "3", "requests.memory": "256Mi" },
      },
    };
    expect(printerFor("", "resourcequotas").cells(q, NOW)).toEqual([
      "quota",
      "pods: 3/10, requests.memory: 256Mi/1Gi",
      "limits.cpu: 500m/2, limits.memory: 0/2Gi",
      "10m",
    ]);
  });
});
