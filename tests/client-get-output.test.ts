// `kapi get -o …` compared with real kubectl 1.33 against the same `kapi serve`: yaml, json,
// name, jsonpath (kubectl's dialect: range/end, filters, literals), jsonpath-as-json,
// custom-columns and custom-columns-file, --no-headers, and the watch outputs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { api, expectSameAsKubectl, seen } from "./support/get-compare.ts";

let srv: RecordingServer;
const k133 = availableKubectls().find((k) => k.version === "1.33")!;
const dir = mkdtempSync(join(tmpdir(), "kapi-get-out-"));
const columnsFile = join(dir, "columns.txt");
const n = ["-n", "out"];

const pod = (name: string, labels: Record<string, string>, image: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels, annotations: { "note.example.com/text": "a: b\nmulti-line ünïcode" } },
  // Bound to a node that does not exist, so nothing changes the pod while tests run.
  spec: {
    nodeName: "nowhere",
    containers: [{ name: "main", image, ports: [{ containerPort: 80, name: "http" }], env: [{ name: "N", value: "1" }] }, { name: "side", image: "busybox" }],
  },
});

beforeAll(async () => {
  srv = await startRecordingServer();
  await api(srv, "POST", "/api/v1/namespaces", { metadata: { name: "out" } });
  await api(srv, "POST", "/api/v1/namespaces/out/pods", pod("web-1", { app: "web", tier: "front" }, "nginx:1.27"));
  await api(srv, "POST", "/api/v1/namespaces/out/pods", pod("web-2", { app: "web" }, "nginx:1.28"));
  await api(srv, "POST", "/api/v1/namespaces/out/pods", pod("db", { app: "db" }, "postgres:17"));
  await api(srv, "POST", "/api/v1/namespaces/out/configmaps", { metadata: { name: "settings" }, data: { "a.txt": "x", b: "line1\nline2\n", c: "" } });
  await api(srv, "POST", "/api/v1/namespaces/out/secrets", { metadata: { name: "creds" }, type: "Opaque", data: { password: btoa("s3cret") } });
  writeFileSync(columnsFile, "NAME          IMAGE\nmetadata.name spec.containers[0].image\n");
});
afterAll(async () => {
  await srv.stop();
});

// Timestamps, uids and resourceVersions differ between the runs of one comparison only when
// an object changes in between, which nothing does here; no normalisation is needed.
describe("object outputs match kubectl 1.33", () => {
  test.each([
    [["get", "pod", "web-1", "-o", "yaml", ...n]],
    [["get", "pods", "-o", "yaml", ...n]],
    [["get", "pod", "web-1", "-o", "json", ...n]],
    [["get", "pods", "-l", "app=web", "-o", "json", ...n]],
    [["get", "cm", "settings", "-o", "yaml", ...n]],
    [["get", "secret", "creds", "-o", "json", ...n]],
    [["get", "pods,cm", "-o", "name", ...n]],
    [["get", "pod/web-1", "cm/settings", "-o", "yaml", ...n]],
    [["get", "ns", "out", "-o", "yaml"]],
    [["get", "pods", "-o", "yaml", "-n", "empty-namespace-that-does-not-exist"]],
  ])("kapi %p", async (args) => {
    await expectSameAsKubectl(srv, k133, args);
  });
});

describe("jsonpath and custom columns match kubectl 1.33", () => {
  test.each([
    [["get", "pods", "-o", "jsonpath={.items[*].metadata.name}", ...n]],
    [["get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.containers[0].image}{\"\\n\"}{end}", ...n]],
    [["get", "pods", "-o", "jsonpath={.items[?(@.metadata.labels.app==\"web\")].metadata.name}", ...n]],
    [["get", "pods", "-o", "jsonpath={.items[0].spec.containers[*].ports}", ...n]],
    [["get", "pods", "-o", "jsonpath={.items[-1:].metadata.name}", ...n]],
    [["get", "pod", "web-1", "-o", "jsonpath={.metadata.labels}", ...n]],
    [["get", "pod", "web-1", "-o", "jsonpath={.metadata.annotations}", ...n]],
    [["get", "pod", "web-1", "-o", "jsonpath='{.metadata.name}'", ...n]],
    [["get", "pod", "web-1", "-o", "jsonpath={.metadata.nope}", ...n]],
    [["get", "pod", "web-1", "-o", "jsonpath={.metadata.name", ...n]],
    [["get", "pods", "-o", "jsonpath-as-json={.items[*].metadata.name}", ...n]],
    [["get", "secret", "creds", "-o", "jsonpath={.data.password}", ...n]],
    [["get", "cm", "settings", "-o", "jsonpath={.data}", ...n]],
    [["get", "pods", "-o", "custom-columns=NAME:.metadata.name,APP:.metadata.labels.app,PORTS:.spec.containers[*].ports[*].containerPort", ...n]],
    [["get", "pods", "-o", "custom-columns=NAME:.metadata.name,MISSING:.status.nope", "--no-headers", ...n]],
    [["get", "pods", "-o", `custom-columns-file=${columnsFile}`, "--sort-by=.metadata.name", ...n]],
    [["get", "pods", "-o", "custom-columns=BAD", ...n]],
    [["get", "pods", "--no-headers", "-o", "wide", ...n]],
  ])("kapi %p", async (args) => {
    await expectSameAsKubectl(srv, k133, args);
  });
});

describe("watch outputs match kubectl 1.33", () => {
  // Each watch ends after --request-timeout; the label change below happens while it runs.
  async function watchWhileChanging(who: "kapi" | typeof k133, args: string[], label: string) {
    const run = srv.start(who, [...args, "--request-timeout=2s"]);
    await Bun.sleep(1000);
    const res = await srv.api("PATCH", "/api/v1/namespaces/out/configmaps/settings", { metadata: { labels: { seen: label } } }, "application/merge-patch+json");
    expect(res.status).toBe(200);
    // The two runs differ only in the label value set during the watch and in the objects' age.
    const normalise = (s: string) => s.replace(/\b(seen: |"seen": "|seen=)?[ab]\b/g, "$1X").replace(/ \d+s$/gm, " AGE");
    return seen(await run.done, normalise);
  }

  test.each([
    [["get", "cm", "settings", "-w", "-o", "name", ...n]],
    [["get", "cm", "-w", "--output-watch-events", "-o", "name", ...n]],
    [["get", "cm", "settings", "--watch-only", "-o", "jsonpath={.metadata.labels.seen}{\"\\n\"}", ...n]],
    [["get", "cm", "settings", "-w", ...n]],
  ])("kapi %p", async (args) => {
    const before = await watchWhileChanging(k133, args, "a");
    const mine = await watchWhileChanging("kapi", args, "b");
    expect(mine.stdout).toBe(before.stdout);
    expect(mine.code).toBe(before.code);
    expect(mine.requests).toEqual(before.requests);
  });
});
