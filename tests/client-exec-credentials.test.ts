// Exec credential plugins (client.authentication.k8s.io v1beta1 and v1): kapi and real
// kubectl 1.33 run the same plugin script against the same `kapi serve` and must agree on
// the outcome, the error text, how often the plugin runs and what it is told.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { availableKubectls, run } from "./support/kubectl.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const KAPI = resolve(import.meta.dir, "../dist/kapi");
const k133 = availableKubectls().find((k) => k.version === "1.33")!;
let server: TestServer;
let adminCert = "";
let adminKey = "";
let saToken = "";

beforeAll(async () => {
  server = await startTestServer();
  const config = readFileSync(server.kubeconfigPath, "utf8");
  adminCert = /client-certificate-data: (\S+)/.exec(config)![1]!;
  adminKey = /client-key-data: (\S+)/.exec(config)![1]!;
  await server.kubectlOk(k133, ["create", "serviceaccount", "plugged"]);
  await server.kubectlOk(k133, ["create", "clusterrolebinding", "plugged-view", "--clusterrole=view", "--serviceaccount=default:plugged"]);
  saToken = (await server.kubectlOk(k133, ["create", "token", "plugged"])).trim();
});
afterAll(async () => {
  await server.stop();
});

/** A plugin script that logs each run (args and what it was told) and prints `status` as its ExecCredential. */
function plugin(name: string, body: string): { command: string; calls: string } {
  const command = join(server.dataDir, `${name}.sh`);
  const calls = join(server.dataDir, `${name}.calls`);
  writeFileSync(command, `#!/bin/sh\necho "run $* FOO=$FOO INFO=$KUBERNETES_EXEC_INFO" >> ${calls}\n${body}\n`);
  chmodSync(command, 0o755);
  return { command, calls };
}

const credential = (apiVersion: string, status: Record<string, unknown>) => `printf '%s\\n' '${JSON.stringify({ apiVersion, kind: "ExecCredential", status })}'`;

function kubeconfig(name: string, exec: Record<string, unknown>): string {
  const config = readFileSync(server.kubeconfigPath, "utf8");
  const server_ = /server: (\S+)/.exec(config)![1]!;
  const ca = /certificate-authority-data: (\S+)/.exec(config)![1]!;
  const path = join(server.dataDir, `${name}.kubeconfig`);
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server: server_, "certificate-authority-data": ca } }],
    users: [{ name: "plugged-user", user: { exec } }],
    contexts: [{ name: "x", context: { cluster: "c", user: "plugged-user" } }],
    "current-context": "x",
  };
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** Runs one tool with the kubeconfig; returns its result and the plugin's log for that run. */
async function runWith(tool: "kapi" | "kubectl", config: string, calls: string, args: string[]) {
  if (existsSync(calls)) rmSync(calls);
  const bin = tool === "kapi" ? KAPI : k133.path;
  const r = await run([bin, "--kubeconfig", config, ...args], { HOME: join(server.dataDir, `home-${tool}`), KUBECONFIG: "" });
  const log = existsSync(calls) ? readFileSync(calls, "utf8") : "";
  return { ...r, log };
}

async function both(name: string, exec: Record<string, unknown>, calls: string, args = ["get", "ns", "default", "-o", "name"]) {
  const config = kubeconfig(name, exec);
  const theirs = await runWith("kubectl", config, calls, args);
  const mine = await runWith("kapi", config, calls, args);
  expect({ code: mine.code, stdout: mine.stdout, stderr: mine.stderr.replaceAll("kapi", "kubectl") }).toEqual({ code: theirs.code, stdout: theirs.stdout, stderr: theirs.stderr });
  return { mine, theirs };
}

const v1beta1 = "client.authentication.k8s.io/v1beta1";
const v1 = "client.authentication.k8s.io/v1";

describe("exec plugins: kapi does what kubectl does", () => {
  test("a token plugin (v1beta1) authenticates; the plugin runs once with its args, env and KUBERNETES_EXEC_INFO", async () => {
    const p = plugin("token", credential(v1beta1, { token: saToken }));
    const exec = { apiVersion: v1beta1, command: p.command, args: ["one", "two"], env: [{ name: "FOO", value: "bar" }], provideClusterInfo: true };
    const { mine, theirs } = await both("token", exec, p.calls);
    expect(mine.stdout).toBe("namespace/default\n");
    expect(mine.log).toBe(theirs.log);
    expect(mine.log.split("\n").filter(Boolean)).toHaveLength(1);
    const info = JSON.parse(/INFO=(.*)$/m.exec(mine.log)![1]!);
    expect(info).toMatchObject({ kind: "ExecCredential", apiVersion: v1beta1, spec: { interactive: false, cluster: { server: server.url } } });
  });

  test("a v1 plugin returning a client certificate authenticates with it", async () => {
    const b64decode = (s: string) => Buffer.from(s, "base64").toString();
    const p = plugin("cert", credential(v1, { clientCertificateData: b64decode(adminCert), clientKeyData: b64decode(adminKey) }));
    const { mine } = await both("cert", { apiVersion: v1, command: p.command, interactiveMode: "Never" }, p.calls, ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
    expect(mine.stdout).toBe("kubernetes-admin");
  });

  test("a credential the server refuses: the plugin runs again once, then You must be logged in", async () => {
    const p = plugin("bogus", credential(v1beta1, { token: "not-a-valid-token" }));
    const { mine, theirs } = await both("bogus", { apiVersion: v1beta1, command: p.command }, p.calls);
    expect(mine.stderr).toBe("error: You must be logged in to the server (Unauthorized)\n");
    expect(mine.log.split("\n").filter(Boolean).length).toBe(theirs.log.split("\n").filter(Boolean).length);
  });

  test("an expired credential is not reused: the plugin runs for each request", async () => {
    const p = plugin("expired", credential(v1beta1, { token: saToken, expirationTimestamp: "2020-01-01T00:00:00Z" }));
    const { mine, theirs } = await both("expired", { apiVersion: v1beta1, command: p.command }, p.calls);
    expect(mine.stdout).toBe("namespace/default\n");
    expect(mine.log.split("\n").filter(Boolean).length).toBeGreaterThan(0);
    expect(theirs.log.split("\n").filter(Boolean).length).toBeGreaterThan(0);
  });

  test.each([
    ["a missing plugin, with its install hint", { apiVersion: v1beta1, command: "no-such-credential-plugin", installHint: "Install it with: apt install no-such-plugin" }],
    ["a v1 plugin without interactiveMode", { apiVersion: v1, command: "/bin/true" }],
    ["an unknown interactiveMode", { apiVersion: v1beta1, command: "/bin/true", interactiveMode: "Sometimes" }],
    ["a plugin that fails", { apiVersion: v1beta1, command: "/bin/false" }],
  ])("%s: the same error", async (name, exec) => {
    const { mine } = await both(name.replace(/\W+/g, "-"), exec, join(server.dataDir, "none.calls"));
    expect(mine.code).toBe(1);
  });

  test.each([
    ["another apiVersion", credential(v1, { token: "x" })],
    ["no status", `echo '{"apiVersion":"${v1beta1}","kind":"ExecCredential"}'`],
    ["neither token nor certificate", credential(v1beta1, {})],
    ["YAML without an apiVersion", "echo 'status: {token: x}'"],
  ])("a plugin that prints %s: the same error", async (name, body) => {
    const p = plugin(name.replace(/\W+/g, "-"), body);
    const { mine } = await both(name.replace(/\W+/g, "-"), { apiVersion: v1beta1, command: p.command }, p.calls);
    expect(mine.code).toBe(1);
  });
});
