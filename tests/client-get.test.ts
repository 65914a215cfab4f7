// `kapi get` compared with real kubectl against the same `kapi serve`: tables (spacing, wide,
// -A, labels, kinds, several types, sorting, paging), errors and exit codes, and the requests
// each sends (method, path, query and Accept). kapi follows kubectl 1.33; the table basics
// are also checked against every kubectl on the machine.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { api, expectSameAsKubectl } from "./support/get-compare.ts";

let srv: RecordingServer;
const kubectls = availableKubectls();
const k133 = kubectls.find((k) => k.version === "1.33")!;
const dir = mkdtempSync(join(tmpdir(), "kapi-get-"));
const f = (name: string) => join(dir, name);

const pod = (name: string, labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels, annotations },
  // Bound to a node that does not exist, so nothing changes the pod while tests run.
  spec: { nodeName: "nowhere", containers: [{ name: "c", image: "nginx:1.27" }, { name: "sidecar", image: "busybox" }] },
});

beforeAll(async () => {
  srv = await startRecordingServer();
  for (const ns of ["gt", "empty", "other"]) await api(srv, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
  await api(srv, "POST", "/api/v1/namespaces/gt/pods", pod("web-1", { app: "web", tier: "front" }));
  await api(srv, "POST", "/api/v1/namespaces/gt/pods", pod("web-2", { app: "web", "app.kubernetes.io/name": "shop" }));
  await api(srv, "POST", "/api/v1/namespaces/gt/pods", pod("db-10", { app: "db" }, { note: "<b>&</b>" }));
  await api(srv, "POST", "/api/v1/namespaces/other/pods", pod("solo", {}));
  for (const [name, q] of [["q-1", "100m"], ["q-2", "1"], ["q-3", "500Mi"], ["q-4", "abc"]]) {
    await api(srv, "POST", "/api/v1/namespaces/gt/configmaps", { metadata: { name: name!, labels: { q: q! } }, data: { k: "v" } });
  }
  await api(srv, "POST", "/api/v1/namespaces/gt/services", { metadata: { name: "front" }, spec: { ports: [{ port: 80 }], selector: { app: "web" } } });
  writeFileSync(f("pods.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: nope\n");
  writeFileSync(f("one.json"), JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "db-10" } }));
  writeFileSync(f("unknown.yaml"), "apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q-1\n");
  writeFileSync(f("nokind.yaml"), "apiVersion: v1\nmetadata:\n  name: x\n");
  mkdirSync(f("tree/sub"), { recursive: true });
  writeFileSync(f("tree/a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q-2\n");
  writeFileSync(f("tree/ignored.txt"), "not yaml");
  writeFileSync(f("tree/sub/b.yml"), "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: front\n");
});
afterAll(async () => {
  await srv.stop();
});

const n = ["-n", "gt"];

describe("tables match kubectl 1.33", () => {
  test.each([
    [["get", "pods", ...n]],
    [["get", "pods", "-o", "wide", ...n]],
    [["get", "pods", "-A"]],
    [["get", "pod", "web-1", ...n]],
    [["get", "pods", "web-1", "db-10", ...n]],
    [["get", "pods/web-2", "configmap/q-1", ...n]],
    [["get", "pods,cm", ...n]],
    [["get", "all", ...n]],
    [["get", "ns"]],
    [["get", "namespaces", "gt", "empty"]],
    [["get", "pods", "--show-labels", "-L", "app", "-L", "app.kubernetes.io/name", ...n]],
    [["get", "pods", "-L", "tier,app", "-A"]],
    [["get", "pods", "--no-headers", ...n]],
    [["get", "pods,svc", "--no-headers", ...n]],
    [["get", "pods", "-l", "app=web", ...n]],
    [["get", "pods", "-l", "app in (web,db),tier!=front", ...n]],
    [["get", "pods", "--field-selector", "metadata.name=db-10", ...n]],
    [["get", "pods", "--sort-by=.metadata.name", ...n]],
    [["get", "pods", "--sort-by={.metadata.labels.app}", ...n]],
    [["get", "cm", "--sort-by=.metadata.labels.q", ...n]],
    [["get", "pods", "--sort-by=.metadata.nope", ...n]],
    [["get", "pods", "--chunk-size=1", ...n]],
    [["get", "pods", "--chunk-size=0", "-A"]],
    [["get", "cm", "--show-kind", ...n]],
    [["get", "pods", ...n, "--server-print=false"]],
    [["get", "pods", "-n", "empty"]],
    [["get", "pods,cm", "-n", "empty"]],
    [["get", "nodes", "--field-selector", "metadata.name=none"]],
    [["get", "pods", "-A", "-l", "app=none"]],
    [["get", "deployments.apps", ...n]],
    [["get", "deploy.v1.apps", ...n]],
    [["get", "Pod", ...n]],
    [["get", "po,cm", ...n]],
    [["get", "service.", ...n]],
    [["get", "-f", f("pods.yaml"), ...n]],
    [["get", "-f", f("one.json"), ...n]],
    [["get", "-f", f("tree"), ...n]],
    [["get", "-f", f("tree"), "-R", ...n]],
    [["get", "--request-timeout=5s", "pods", ...n]],
  ])("kapi %p", async (args) => {
    await expectSameAsKubectl(srv, k133, args);
  });

  test("-f - reads stdin", async () => {
    await expectSameAsKubectl(srv, k133, ["get", "-f", "-", ...n], { stdin: "apiVersion: v1\nkind: Service\nmetadata:\n  name: front\n" });
  });
});

describe("errors and exit codes match kubectl 1.33", () => {
  test.each([
    [["get", "pod", "nope", ...n]],
    [["get", "pods", "web-1", "nope", "nada", "nope", ...n]],
    [["get", "pods,svc", "nope", ...n]],
    [["get", "pod", "nope", "--ignore-not-found", ...n]],
    [["get", "pods", "web-1", "nope", "--ignore-not-found", ...n]],
    [["get", "widgets"]],
    [["get", "Widgets.example.com"]],
    [["get", "pods,widgets"]],
    [["get", "pods/web-1", "pods", ...n]],
    [["get", "pods/", ...n]],
    [["get", "a/b/c"]],
    [["get", "pods,services/web-1", ...n]],
    [["get", ",pods/web-1", ...n]],
    [["get", "pods", "web-1", "-l", "app=web", ...n]],
    [["get", "pod", "web-1", "-A"]],
    [["get", "pods", "-o", "foo"]],
    [["get", "pods", "-o", "jsonpath"]],
    [["get", "pods", "--subresource=logs", ...n]],
    [["get", "-f", f("missing.yaml")]],
    [["get", "-f", f("unknown.yaml"), ...n]],
    [["get", "-f", f("nokind.yaml"), ...n]],
    [["get", "pods,svc", "--sort-by=.metadata.name", ...n]],
    [["get"]],
  ])("kapi %p", async (args) => {
    await expectSameAsKubectl(srv, k133, args);
  });
});

test("sorting by a list stops with kubectl's fatal sorter line", async () => {
  const klogHeader = (s: string) => s.replace(/^F\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, "F<time> <pid> ");
  const r = await expectSameAsKubectl(srv, k133, ["get", "pods", "--sort-by=.spec.containers", ...n], { text: klogHeader });
  expect(r.stderr).toBe("F<time> <pid> sorter.go:375] Field {.spec.containers} in [][][]reflect.Value is an unsortable type: interface, err: unsortable type: []interface {}\n");
  expect(r.code).toBe(1);
});

test("a short name shared by two groups warns as kubectl ≥1.30 does", async () => {
  const r = await expectSameAsKubectl(srv, k133, ["get", "ev", ...n]);
  expect(r.stderr).toBe('Warning: short name "ev" could also match lower priority resource events.events.k8s.io\nNo resources found in gt namespace.\n');
});

test("the NotFound line and the exit code", async () => {
  const r = await srv.kapi(["get", "pod", "nope", ...n]);
  expect(r).toMatchObject({ code: 1, stdout: "", stderr: 'Error from server (NotFound): pods "nope" not found\n' });
});

for (const k of kubectls.filter((k) => k !== k133)) {
  test(`tables look the same as with kubectl ${k.version}`, async () => {
    for (const args of [["get", "pods", "-o", "wide", ...n], ["get", "all", "-A"], ["get", "pods", "--show-labels", ...n]]) {
      await expectSameAsKubectl(srv, k, args);
    }
  });
}
