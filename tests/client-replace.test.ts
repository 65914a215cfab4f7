// `kapi replace` (-f, --force, --raw) against `kapi serve`, compared with real kubectl 1.33
// on the same server: output, errors, exit codes and the requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { runBoth } from "./support/compare.ts";

const k = availableKubectls().find((k) => k.version === "1.33")!;
let srv: RecordingServer;
let id = 2000;

beforeAll(async () => {
  srv = await startRecordingServer();
  await srv.kapi(["create", "namespace", "rep"]);
});
afterAll(async () => {
  await srv.stop();
});

const cm = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: rep\ndata:\n  a: "${value}"\n`;

async function seed(n: number, name: string): Promise<void> {
  for (const who of ["k", "a"]) {
    const res = await srv.api("POST", "/api/v1/namespaces/rep/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: name.replaceAll("@", `${who}${n}x`) }, data: { a: "1" } });
    if (res.status !== 201) throw new Error(`seed: ${res.status}`);
  }
}

const mask = (s: string) =>
  s
    .replace(/(uid|"uid"):\s*"?[0-9a-f-]{36}"?/g, "$1: UID")
    .replace(/(resourceVersion|"resourceVersion"):\s*"\d+"/g, '$1: "RV"')
    .replace(/(creationTimestamp|"creationTimestamp"|time|"time"):\s*"[^"]+"/g, '$1: "T"')
    .replace(/"manager":"[^"]+"/g, '"manager":"M"');

async function same(n: number, args: string[], stdin?: string) {
  const { kubectl, kapi } = await runBoth(srv, k, args, { stdin, id: n });
  expect({ code: kapi.code, stdout: mask(kapi.stdout), stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: mask(kubectl.stdout), stderr: kubectl.stderr });
  expect(kapi.requests).toEqual(kubectl.requests);
  const bodies = (b: unknown[]) => JSON.parse(mask(JSON.stringify(b)).replace(/"resourceVersion":"\d+"/g, '"resourceVersion":"RV"'));
  expect(bodies(kapi.bodies)).toEqual(bodies(kubectl.bodies));
  return { kubectl, kapi };
}

describe("replace -f", () => {
  test("PUT with the live resourceVersion, after OpenAPI and discovery", async () => {
    const n = ++id;
    await seed(n, "r1-@");
    const { kubectl, kapi } = await same(n, ["replace", "-f", "-"], cm("r1-@", "2"));
    const all = (r: typeof kapi) => r.raw.requests.map((q) => `${q.method} ${q.url.replace(/[ak]\d+x/, "@")} ${q.headers.get("accept")}`);
    expect(all(kapi)).toEqual(all(kubectl));
  });

  test.each([
    [["--dry-run=server", "-o", "name"]],
    [["--dry-run=client"]],
    [["--save-config", "-o", "yaml", "--validate=false"]],
    [["-o", "json", "--field-manager=me"]],
    [["--force"]],
    [["--force", "--grace-period=0", "-o", "name"]],
    [["--grace-period=3"]],
    [["--timeout=3s"]],
    [["--force", "--dry-run=server"]],
  ])("%p", async (extra) => {
    const n = ++id;
    await seed(n, "r2-@");
    await same(n, ["replace", "-f", "-", ...extra], cm("r2-@", "3"));
  });

  test.each([
    [["replace", "-f", "-"], cm("missing-@", "1")],
    [["replace"], undefined],
    [["replace", "cm", "x"], undefined],
  ])("%p", async (args, stdin) => {
    await same(++id, args, stdin);
  });
});

describe("replace --raw", () => {
  test("PUT the file as is, print the answer", async () => {
    const n = ++id;
    await seed(n, "raw-@");
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "raw-@", namespace: "rep" }, data: { b: "2" } });
    await same(n, ["replace", "--raw", "/api/v1/namespaces/rep/configmaps/raw-@", "-f", "-"], body);
    await same(n, ["replace", "--raw", "/api/v1/namespaces/rep/configmaps/raw-@"]);
    await same(n, ["replace", "--raw", "/x", "-f", "-", "-o", "json"], body);
  });
});
