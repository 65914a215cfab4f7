// `kapi create -f` against `kapi serve`, compared with real kubectl 1.33 on the same server:
// output, errors, exit codes, and every request (OpenAPI and discovery included).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { runBoth } from "./support/compare.ts";

const k = availableKubectls().find((k) => k.version === "1.33")!;
const dir = mkdtempSync(join(tmpdir(), "kapi-create-f-"));
let srv: RecordingServer;

const cm = (name: string, extra = "") => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  a: "1"\n`;
const deploy = (name: string, ns = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ""}spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: nginx}]
`;

beforeAll(async () => {
  srv = await startRecordingServer();
  await srv.kapi(["create", "namespace", "files"]);
  await srv.kapi(["create", "namespace", "other"]);
});
afterAll(async () => {
  await srv.stop();
});

// Server-assigned values differ between the two runs.
function mask(text: string): string {
  return text
    .replace(/(uid|"uid"):\s*"?[0-9a-f-]{36}"?/g, "$1: UID")
    .replace(/(resourceVersion|"resourceVersion"):\s*"\d+"/g, '$1: "RV"')
    .replace(/(creationTimestamp|"creationTimestamp"):\s*"[^"]+"/g, '$1: "TIME"')
    .replace(/(time|"time"):\s*"[^"]+"/g, '$1: "TIME"');
}

/** Writes a file whose `@` become the run's unique name part when passed through runBoth's stdin, or as-is. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function same(args: string[], opts: { stdin?: string; allRequests?: boolean } = {}) {
  const { kubectl, kapi } = await runBoth(srv, k, args, opts);
  expect({ code: kapi.code, stdout: mask(kapi.stdout), stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: mask(kubectl.stdout), stderr: kubectl.stderr });
  expect(kapi.requests).toEqual(kubectl.requests);
  expect(kapi.bodies).toEqual(kubectl.bodies);
  if (opts.allRequests) {
    const lines = (r: typeof kapi) => r.raw.requests.map((q) => `${q.method} ${q.url} A:${q.headers.get("accept")} CT:${q.headers.get("content-type")}`.replace(/[ak]\d+x/g, "@"));
    expect(lines(kapi)).toEqual(lines(kubectl));
  }
  return { kubectl, kapi };
}

describe("create -f", () => {
  test("one object from stdin: OpenAPI root and group-version document, discovery, then the POST", async () => {
    await same(["create", "-f", "-", "-n", "files"], { stdin: cm("one-@"), allRequests: true });
  });

  test("several documents, a List, another namespace and an existing object", async () => {
    const stdin = `${cm("m1-@")}---\n${deploy("m2-@", "other")}---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: m3-@}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: m1-@}}\n`;
    await same(["create", "-f", "-", "-n", "files"], { stdin });
  });

  test("a file, by path: the source named in errors", async () => {
    const path = file("pod.yaml", `apiVersion: v1\nkind: Pod\nmetadata:\n  name: fixed-pod\nspec:\n  containers:\n  - name: c\n    image: nginx\n`);
    const first = await srv.kapi(["create", "-f", path, "-n", "files"]);
    expect(first.stdout).toBe("pod/fixed-pod created\n");
    await same(["create", "-f", path, "-n", "files"]);
  });

  test("every error when several objects fail", async () => {
    const path = file("two.yaml", `${cm("dup-a")}---\n${cm("dup-b")}`);
    await srv.kapi(["create", "-f", path, "-n", "files"]);
    await same(["create", "-f", path, "-n", "files"]);
  });

  test.each([
    [["--dry-run=client"]],
    [["--dry-run=server", "-o", "name"]],
    [["--dry-run=client", "-o", "yaml"]],
    [["--dry-run=client", "-o", "json", "--validate=false"]],
    [["--dry-run=server", "-o", "json"]],
    [["--save-config", "--dry-run=client", "-o", "yaml"]],
    [["--validate=false", "--field-manager=mine"]],
    [["--validate=warn", "-o", "yaml"]],
    [["-l", "tier=web"]],
  ])("output and flags: %p", async (extra) => {
    const stdin = `${cm("o1-@", "  labels: {tier: web}\n")}---\n${deploy("o2-@")}`;
    await same(["create", "-f", "-", "-n", "files", ...extra], { stdin });
  });

  test("directories: only .json/.yaml/.yml files, -R descends", async () => {
    const base = join(dir, "tree");
    file("tree/a.yaml", cm("tree-a"));
    file("tree/b.json", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "tree-b" } }));
    file("tree/notes.txt", "not a manifest");
    file("tree/sub/c.yml", cm("tree-c"));
    await same(["create", "-f", base, "-n", "files", "--dry-run=client"]);
    await same(["create", "-f", base, "-R", "-n", "files", "--dry-run=client", "-o", "name"]);
  });

  test("a kind the server does not serve is reported after the rest", async () => {
    const stdin = `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w-@\n---\n${cm("after-@")}`;
    const { kubectl, kapi } = await runBoth(srv, k, ["create", "-f", "-", "-n", "files", "--validate=false"], { stdin });
    expect([kapi.code, kapi.stdout, kapi.stderr]).toEqual([kubectl.code, kubectl.stdout, kubectl.stderr]);
    expect(kapi.requests).toEqual(kubectl.requests);
  });

  test.each([
    [["create", "-f", "/nonexistent/pod.yaml"], undefined],
    [["create"], undefined],
    [["create", "-f", "-", "-n", "other"], deploy("ns-@", "files")],
    [["create", "-f", "-", "pods"], cm("x")],
  ])("%p", async (args, stdin) => {
    await same(args, { stdin });
  });

  test("a document that is not YAML: the same error, in the YAML library's words", async () => {
    const { kubectl, kapi } = await runBoth(srv, k, ["create", "-f", "-", "--validate=false"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n" });
    const prefix = "error: error parsing STDIN: error converting YAML to JSON: ";
    expect([kapi.code, kapi.stdout, kapi.stderr.startsWith(prefix)]).toEqual([kubectl.code, kubectl.stdout, kubectl.stderr.startsWith(prefix)]);
    expect(kapi.requests).toEqual([]);
  });
});
