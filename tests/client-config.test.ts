// `kapi config …` compared with real kubectl 1.33 on the same kubeconfig files: output,
// errors, exit codes, and the files each leaves behind (several KUBECONFIG files included).
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { availableKubectls, run } from "./support/kubectl.ts";

const k = availableKubectls().find((k) => k.version === "1.33")!;
const MAIN = resolve(import.meta.dir, "../cmd/main.ts");

const A = `apiVersion: v1
kind: Config
current-context: ctx-a
clusters:
- name: c1
  cluster:
    server: https://1.2.3.4:6443
    certificate-authority-data: Zm9vYmFy
- name: c2
  cluster:
    server: https://5.6.7.8
    insecure-skip-tls-verify: true
    proxy-url: http://proxy:3128
    tls-server-name: api.example
contexts:
- name: ctx-a
  context:
    cluster: c1
    user: u1
    namespace: team-a
- name: ctx-b
  context:
    cluster: c2
    user: u2
users:
- name: u1
  user:
    client-certificate-data: Y2VydA==
    client-key-data: a2V5
- name: u2
  user:
    token: secret-token
    username: bob
    password: pw
    unknown-field: dropped
preferences: {}
`;

const B = `apiVersion: v1
kind: Config
current-context: ctx-c
clusters:
- name: c3
  cluster:
    server: https://9.9.9.9
    certificate-authority: ca.crt
    extensions:
    - name: ext
      extension: {z: 1, a: [x]}
contexts:
- name: ctx-c
  context: {cluster: c3, user: u3}
- name: ctx-a
  context: {cluster: c3, user: u3}
users:
- name: u3
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: my-plugin
      env: [{name: X, value: "1"}]
    as: admin
    as-groups: [g1]
- name: u4
  user:
    auth-provider: {name: oidc, config: {id-token: t, client-id: c}}
`;

/** Two copies of the same files: one for kubectl, one for kapi. */
function fixture(files: Record<string, string>): { kubectl: string; kapi: string } {
  const base = mkdtempSync(join(tmpdir(), "kapi-config-"));
  const dirs = { kubectl: join(base, "kubectl"), kapi: join(base, "kapi") };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, "ca.crt"), "PEM DATA\n");
  }
  return dirs;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out[name] = `${readFileSync(path, "utf8")}|mode=${(statSync(path).mode & 0o777).toString(8)}`;
  }
  return out;
}

async function same(files: Record<string, string>, kubeconfig: string[], args: string[]) {
  const dirs = fixture(files);
  const env = (dir: string) => ({ KUBECONFIG: kubeconfig.map((f) => join(dir, f)).join(":"), HOME: dir });
  const fix = (dir: string, s: string) => s.replaceAll(dir, "DIR").replace(/'kubectl /g, "'kapi ").replace(/kubectl(?=[ ,])/g, "kapi");
  const kubectl = await run([k.path, ...args], env(dirs.kubectl));
  const kapi = await run([process.execPath, MAIN, ...args], env(dirs.kapi));
  const shape = (r: typeof kubectl, dir: string) => ({ code: r.code, stdout: fix(dir, r.stdout), stderr: fix(dir, r.stderr), files: snapshot(dir) });
  const got = shape(kapi, dirs.kapi);
  const want = shape(kubectl, dirs.kubectl);
  // Help text is kapi's own; the error line under it must match.
  if (want.stdout.includes("Usage:")) {
    got.stdout = got.stdout.includes("Usage:") ? "HELP" : got.stdout;
    want.stdout = "HELP";
  }
  expect(got).toEqual(want);
}

describe("config view", () => {
  test.each([
    [["config", "view"]],
    [["config", "view", "--raw"]],
    [["config", "view", "-o", "json"]],
    [["config", "view", "--raw", "-o", "json"]],
    [["config", "view", "--minify"]],
    [["config", "view", "--minify", "--raw", "-o", "json"]],
    [["config", "view", "--minify", "--context", "ctx-b"]],
    [["config", "view", "-o", "jsonpath={.users[*].name}"]],
    [["config", "view", "-o", "jsonpath={.contexts[?(@.name == \"ctx-b\")].context.cluster}"]],
    [["config", "view", "-o", "wide"]],
  ])("%p", async (args) => {
    await same({ "a.yaml": A, "b.yaml": B }, ["a.yaml", "b.yaml"], args);
  });

  test("an empty or missing kubeconfig", async () => {
    await same({ "e.yaml": "apiVersion: v1\nkind: Config\ncontexts: []\n" }, ["e.yaml"], ["config", "view"]);
    await same({}, ["missing.yaml"], ["config", "view", "-o", "json"]);
    await same({}, ["missing.yaml"], ["config", "view", "--minify"]);
  });

  test("--flatten inlines referenced files", async () => {
    await same({ "b.yaml": B }, ["b.yaml"], ["config", "view", "--flatten"]);
    await same({ "b.yaml": B.replace("ca.crt", "missing.crt") }, ["b.yaml"], ["config", "view", "--flatten"]);
  });
});

describe("config get-contexts / current-context / get-clusters / get-users", () => {
  test.each([
    [["config", "get-contexts"]],
    [["config", "get-contexts", "ctx-b"]],
    [["config", "get-contexts", "--no-headers"]],
    [["config", "get-contexts", "-o", "name"]],
    [["config", "get-contexts", "nope"]],
    [["config", "get-contexts", "ctx-a", "nope"]],
    [["config", "current-context"]],
  ])("%p", async (args) => {
    await same({ "a.yaml": A, "b.yaml": B }, ["a.yaml", "b.yaml"], args);
  });

  test.each([["get-clusters"], ["get-users"]])("config %s (kubectl's order is Go's random map order: compared sorted)", async (sub) => {
    const dirs = fixture({ "a.yaml": A, "b.yaml": B });
    const env = { KUBECONFIG: `${join(dirs.kapi, "a.yaml")}:${join(dirs.kapi, "b.yaml")}` };
    const kubectl = await run([k.path, "config", sub], env);
    const kapi = await run([process.execPath, MAIN, "config", sub], env);
    const lines = (s: string) => {
      const [head, ...rest] = s.trimEnd().split("\n");
      return [head, ...rest.sort()];
    };
    expect(kapi.stdout).toBe(`${lines(kubectl.stdout).join("\n")}\n`);
    expect([kapi.code, kapi.stderr]).toEqual([kubectl.code, kubectl.stderr]);
  });

  test("current-context when none is set", async () => {
    await same({ "e.yaml": "apiVersion: v1\nkind: Config\n" }, ["e.yaml"], ["config", "current-context"]);
  });
});

describe("changing kubeconfig files", () => {
  test.each([
    [["config", "use-context", "ctx-b"]],
    [["config", "use", "ctx-c"]],
    [["config", "use-context", "nope"]],
    [["config", "use-context"]],
    [["config", "set-context", "--current", "--namespace=dev"]],
    [["config", "set-context", "ctx-c", "--namespace=other", "--user=u1"]],
    [["config", "set-context", "ctx-a", "--namespace="]],
    [["config", "set-context", "fresh", "--cluster=c1", "--user=u1"]],
    [["config", "set-context"]],
    [["config", "set-context", "x", "--current"]],
    [["config", "set-context", "a", "b"]],
    [["config", "delete-context", "ctx-b"]],
    [["config", "rename-context", "ctx-a", "renamed"]],
  ])("%p with two KUBECONFIG files", async (args) => {
    await same({ "a.yaml": A, "b.yaml": B }, ["a.yaml", "b.yaml"], args);
  });

  test("the current-context goes to the first existing file", async () => {
    await same({ "a.yaml": A.replace("current-context: ctx-a\n", ""), "b.yaml": B }, ["missing.yaml", "a.yaml", "b.yaml"], ["config", "use-context", "ctx-b"]);
  });

  test("set-context --current with no current context", async () => {
    await same({ "e.yaml": "apiVersion: v1\nkind: Config\n" }, ["e.yaml"], ["config", "set-context", "--current", "--namespace=x"]);
  });
});
