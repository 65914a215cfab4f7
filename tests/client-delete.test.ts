// `kapi delete` against `kapi serve`, compared with real kubectl 1.33 (kapi prints 1.33's
// `pod "x" deleted`; 1.35 adds ` from NS namespace`) on the same server: output, errors, exit
// codes, the DeleteOptions bodies and the wait requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type Recorded, type RecordingServer } from "./support/recording-server.ts";
import { runBoth } from "./support/compare.ts";

const k = availableKubectls().find((k) => k.version === "1.33")!;
const dir = mkdtempSync(join(tmpdir(), "kapi-delete-"));
let srv: RecordingServer;
let id = 1000;

beforeAll(async () => {
  srv = await startRecordingServer();
  await srv.kapi(["create", "namespace", "del"]);
});
afterAll(async () => {
  await srv.stop();
});

/** Config maps for the kubectl run and the kapi run of test `n`: each `@` becomes `k<n>x` / `a<n>x`. */
async function seed(n: number, names: string[], labels: Record<string, string> = {}, finalizers: string[] = []): Promise<void> {
  for (const who of ["k", "a"]) {
    for (const name of names) {
      const fill = (v: string) => v.replaceAll("@", `${who}${n}x`);
      const metadata = { name: fill(name), labels: Object.fromEntries(Object.entries(labels).map(([lk, lv]) => [lk, fill(lv)])), finalizers };
      const res = await srv.api("POST", "/api/v1/namespaces/del/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata });
      if (res.status !== 201) throw new Error(`seeding ${metadata.name}: ${res.status} ${await res.text()}`);
    }
  }
}

async function same(n: number, args: string[], opts: { stdin?: string } = {}) {
  const { kubectl, kapi } = await runBoth(srv, k, args, { ...opts, id: n });
  expect({ code: kapi.code, stdout: kapi.stdout, stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: kubectl.stdout, stderr: kubectl.stderr });
  expect(kapi.requests).toEqual(kubectl.requests);
  expect(kapi.bodies).toEqual(kubectl.bodies);
  return { kubectl, kapi };
}

describe("delete", () => {
  test("by type and names: DELETE each, then GET each to confirm it is gone", async () => {
    const n = ++id;
    await seed(n, ["n1-@", "n2-@"]);
    const { kapi } = await same(n, ["delete", "configmap", "n1-@", "n2-@", "-n", "del"]);
    expect(kapi.stdout).toBe('configmap "n1-@" deleted\nconfigmap "n2-@" deleted\n');
  });

  test("type/name, -o name, and the DeleteOptions of each flag", async () => {
    const n = ++id;
    await seed(n, ["t1-@", "t2-@", "t3-@", "t4-@", "t5-@", "t6-@"]);
    // Orphan and foreground deletions finish asynchronously (garbage collector), so no wait here.
    await same(n, ["delete", "cm/t1-@", "-n", "del", "-o", "name", "--cascade=orphan", "--wait=false"]);
    await same(n, ["delete", "cm", "t2-@", "-n", "del", "--now", "--cascade=foreground", "--wait=false"]);
    await same(n, ["delete", "cm", "t3-@", "-n", "del", "--grace-period=0", "--force"]);
    await same(n, ["delete", "cm", "t4-@", "-n", "del", "--grace-period=0"]);
    await same(n, ["delete", "cm", "t5-@", "-n", "del", "--dry-run=server"]);
    await same(n, ["delete", "cm", "t5-@", "-n", "del", "--dry-run=client"]);
    await same(n, ["delete", "cm", "t6-@", "-n", "del", "--cascade"]);
  });

  test("by label selector, field selector and --all; nothing found", async () => {
    const n = ++id;
    await seed(n, ["l1-@", "l2-@"], { sel: "@" });
    await same(n, ["delete", "cm", "-l", "sel=@", "-n", "del"]);
    await same(n, ["delete", "cm", "-l", "sel=@", "-n", "del"]);
    await same(n, ["delete", "cm,secrets", "--field-selector", "metadata.name=none", "-n", "del"]);
    await same(n, ["delete", "cm", "-A", "-l", "nothing=here"]);
    // A fresh namespace holds only the CA bundle config map its controller adds.
    await srv.kapi(["create", "namespace", `all-k${n}x`]);
    await srv.kapi(["create", "namespace", `all-a${n}x`]);
    await same(n, ["delete", "cm", "--all", "-n", "all-@"]);
  });

  test("from files and stdin", async () => {
    const n = ++id;
    await seed(n, ["f1-@"]);
    const stdin = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f1-@\n  namespace: del\n";
    await same(n, ["delete", "-f", "-"], { stdin });
    await same(n, ["delete", "-f", "-"], { stdin });
    await same(n, ["delete", "-f", "-", "--ignore-not-found"], { stdin });
    const path = join(dir, "cm.yaml");
    writeFileSync(path, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\n");
    await same(n, ["delete", "-f", path, "-n", "del"]);
  });

  test.each([
    [["delete", "cm", "missing-@", "-n", "del"]],
    [["delete", "cm", "missing-@", "-n", "del", "--ignore-not-found"]],
    [["delete", "cm,secret", "missing-@", "-n", "del"]],
    [["delete", "cm/missing-@", "secret/missing-@", "-n", "del"]],
    [["delete", "widgets", "x"]],
    [["delete", "cm"]],
    [["delete"]],
    [["delete", "cm", "a", "cm/b"]],
    [["delete", "cm/"]],
    [["delete", "cm", "x", "--all"]],
    [["delete", "cm", "--all", "-l", "a=b"]],
    [["delete", "cm", "x", "-l", "a=b"]],
    [["delete", "cm", "x", "-o", "json"]],
    [["delete", "cm", "x", "--cascade=sideways"]],
    [["delete", "cm", "x", "--now", "--grace-period=3"]],
    [["delete", "cm", "x", "--force", "--grace-period=3"]],
    [["delete", "cm", "x", "--dry-run=sometimes"]],
    [["delete", "-f", "/nonexistent.yaml"]],
  ])("%p", async (args) => {
    const n = ++id;
    await same(n, args);
  });

  test("an object held by a finalizer: LIST by name, WATCH from its resourceVersion until DELETED", async () => {
    const n = ++id;
    await seed(n, ["held-@"], {}, ["example.com/hold"]);
    const run = async (who: "kubectl" | "kapi"): Promise<Recorded> => {
      const name = `held-${who === "kubectl" ? "k" : "a"}${n}x`;
      const from = srv.requests.length;
      const started = srv.start(who === "kubectl" ? k : "kapi", ["delete", "cm", name, "-n", "del"]);
      // Release the object once the client is watching it.
      while (!srv.requests.slice(from).some((r) => r.query.get("watch") === "true")) await Bun.sleep(20);
      const res = await srv.api("PATCH", `/api/v1/namespaces/del/configmaps/${name}`, { metadata: { finalizers: null } }, "application/merge-patch+json");
      expect(res.status).toBe(200);
      return started.done;
    };
    const kubectl = await run("kubectl");
    const kapi = await run("kapi");
    const shape = (r: Recorded, token: string) => ({
      code: r.code,
      stdout: r.stdout.replace(token, "@"),
      stderr: r.stderr,
      requests: r.requests.map((q) =>
        `${q.method} ${q.url} ${q.headers.get("accept")}`
          .replace(token, "@")
          .replace(/resourceVersion=\d+/, "resourceVersion=RV")
          .replace(/timeoutSeconds=(\d+)/, (_, n) => `timeoutSeconds=${Number(n) >= 300 && Number(n) < 600 ? "300..600" : n}`),
      ),
    });
    expect(shape(kapi, `a${n}x`)).toEqual(shape(kubectl, `k${n}x`));
  });

  test("--timeout gives up with kubectl's message", async () => {
    const n = ++id;
    await seed(n, ["stuck-@"], {}, ["example.com/hold"]);
    const { kubectl, kapi } = await same(n, ["delete", "cm", "stuck-@", "-n", "del", "--timeout=1s"]);
    expect(kapi.stderr).toBe("error: timed out waiting for the condition on configmaps/stuck-@\n");
    expect(kubectl.code).toBe(1);
  });
});

describe("delete --raw", () => {
  test.each([
    [["delete", "--raw", "/api/v1/namespaces/del/configmaps/raw-@"]],
    [["delete", "--raw", "/api/v1/namespaces/del/configmaps/raw-@", "-f", "OPTIONS"]],
    [["delete", "--raw", "/api/v1/namespaces/del/configmaps/nope-@"]],
    [["delete", "--raw", "/x", "-f", "OPTIONS", "-f", "OPTIONS"]],
    [["delete", "--raw", "/x", "-R", "-f", "OPTIONS"]],
    [["delete", "--raw", "x"]],
    [["delete", "--raw", "/api/v1/namespaces/del/configmaps/nope-@", "pods", "-l", "a=b"]],
  ])("%p", async (args) => {
    const n = ++id;
    await seed(n, ["raw-@"]);
    const options = join(dir, "options.json");
    writeFileSync(options, '{"propagationPolicy":"Orphan"}');
    const { kubectl, kapi } = await runBoth(srv, k, args.map((a) => (a === "OPTIONS" ? options : a)), { id: n });
    const mask = (s: string) => s.replace(/"uid":"[^"]+"/g, '"uid":"UID"').replace(/"resourceVersion":"\d+"/g, '"resourceVersion":"RV"').replace(/"(creationTimestamp|deletionTimestamp)":"[^"]+"/g, '"$1":"T"');
    expect({ code: kapi.code, stdout: mask(kapi.stdout), stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: mask(kubectl.stdout), stderr: kubectl.stderr });
    expect(kapi.requests).toEqual(kubectl.requests);
    expect(kapi.raw.requests.map((r) => [r.headers.get("content-type"), r.body])).toEqual(kubectl.raw.requests.map((r) => [r.headers.get("content-type"), r.body]));
  });
});
