import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, realpathSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { writeAdminKubeconfig, writeKubeconfig } from "./kubeconfig.ts";
import { startTlsListener, type ConnectionInfo } from "./listener.ts";
import { loadOrCreatePki } from "./pki.ts";
import { ipv6LoopbackAvailable } from "./test-support.ts";

// Real kubectl (Go crypto/x509 + crypto/tls) must accept our CA, serving and client certs.
const kubectl = Bun.which("kubectl");
if (!kubectl) throw new Error("kubectl is not on PATH: the TLS interop tests need real kubectl");

const VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-kapi",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "bun",
  compiler: "kapi",
  platform: "linux/amd64",
};

const seen: Array<{ method: string; path: string; userAgent: string; conn: ConnectionInfo }> = [];

function handler(request: Request, conn: ConnectionInfo): Response {
  const url = new URL(request.url);
  seen.push({ method: request.method, path: url.pathname, userAgent: request.headers.get("user-agent") ?? "", conn });
  if (url.pathname === "/version") return Response.json(VERSION);
  return Response.json(
    { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "not found", reason: "NotFound", code: 404 },
    { status: 404 },
  );
}

const hasIpv6 = await ipv6LoopbackAvailable();
const dataDir = mkdtempSync(join(tmpdir(), "kapi-kubectl-"));
const pki = loadOrCreatePki(dataDir);
const listener = await startTlsListener({ address: "127.0.0.1", port: 0, pki, fetch: handler });
afterAll(() => listener.close());

function adminKubeconfig(serverUrl: string, name: string): string {
  const path = join(dataDir, name);
  writeAdminKubeconfig(path, { serverUrl, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
  return path;
}

// Async on purpose: the listener lives in this process, so a blocking spawn would starve it.
async function run(binary: string, ...args: string[]) {
  const child = Bun.spawn([binary, ...args], {
    env: { ...process.env, HOME: dataDir, KUBECONFIG: "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

function requestsSince(start: number, path: string) {
  return seen.slice(start).filter((entry) => entry.path === path);
}

async function expectRawVersion(serverUrl: string): Promise<void> {
  const start = seen.length;
  const result = await run(kubectl!, "--kubeconfig", adminKubeconfig(serverUrl, "raw.kubeconfig"), "get", "--raw", "/version");
  expect({ serverUrl, stderr: result.stderr, code: result.code }).toEqual({ serverUrl, stderr: "", code: 0 });
  expect(JSON.parse(result.stdout)).toEqual(VERSION);
  expect(requestsSince(start, "/version")[0]?.conn.peerCertificate?.commonName).toBe("kubernetes-admin");
}

describe("real kubectl over our TLS", () => {
  test("kubectl version -o json authenticates with the admin certificate", async () => {
    const start = seen.length;
    const result = await run(kubectl, "--kubeconfig", adminKubeconfig(listener.url, "admin.kubeconfig"), "version", "-o", "json");
    expect(result.stderr).not.toContain("x509");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).serverVersion).toEqual(VERSION);
    const [request] = requestsSince(start, "/version");
    expect(request?.conn.peerCertificate?.commonName).toBe("kubernetes-admin");
    expect(request?.conn.peerCertificate?.organizations).toEqual(["system:masters"]);
    expect(request?.conn.protocol).toBe("h2");
  });

  test("kubectl get --raw /version via the localhost DNS SAN", async () => {
    await expectRawVersion(listener.url.replace("127.0.0.1", "localhost"));
  });

  test.if(hasIpv6)("kubectl get --raw /version via the ::1 IP SAN", async () => {
    const ipv6 = await startTlsListener({ address: "::1", port: 0, pki, fetch: handler });
    try {
      await expectRawVersion(ipv6.url);
    } finally {
      await ipv6.close();
    }
  });

  test("a user certificate issued later carries its groups through kubectl", async () => {
    const path = join(dataDir, "jane.kubeconfig");
    const jane = pki.issueClientCert({ commonName: "jane", organizations: ["dev", "ops"] });
    writeKubeconfig(path, { serverUrl: listener.url, caPem: pki.ca.certPem, credentials: jane, userName: "jane" });
    const start = seen.length;
    const result = await run(kubectl, "--kubeconfig", path, "get", "--raw", "/version");
    expect(result.code).toBe(0);
    expect(requestsSince(start, "/version")[0]?.conn.peerCertificate).toMatchObject({ commonName: "jane", organizations: ["dev", "ops"] });
  });

  test("kubectl reads names YAML 1.1 would take for something else as the same strings", async () => {
    const names = ["yes", "off", "123", "0x1F", "a: b", "-x", "#c", "jane@lab", "[::1]"];
    const path = join(dataDir, "tricky.kubeconfig");
    for (const name of names) {
      writeKubeconfig(path, { serverUrl: listener.url, caPem: pki.ca.certPem, credentials: { token: name }, clusterName: name, userName: `u${name}`, contextName: name, namespace: name });
      const result = await run(kubectl, "--kubeconfig", path, "config", "view", "--raw", "-o", "json");
      expect(result.code).toBe(0);
      const config = JSON.parse(result.stdout);
      expect([config["current-context"], config.clusters[0].name, config.users[0].name, config.users[0].user.token, config.contexts[0].context.namespace]).toEqual([name, name, `u${name}`, name, name]);
    }
  });

  test("a certificate from another CA is presented but not trusted", async () => {
    const other = loadOrCreatePki(mkdtempSync(join(tmpdir(), "kapi-other-")));
    const path = join(dataDir, "stranger.kubeconfig");
    writeKubeconfig(path, { serverUrl: listener.url, caPem: pki.ca.certPem, credentials: other.admin, userName: "stranger" });
    const start = seen.length;
    const result = await run(kubectl, "--kubeconfig", path, "get", "--raw", "/version");
    expect(result.code).toBe(0);
    expect(requestsSince(start, "/version")[0]?.conn.peerCertificate).toBeUndefined();
  });

  test("kubectl refuses a server whose certificate is from an unknown CA", async () => {
    const other = loadOrCreatePki(mkdtempSync(join(tmpdir(), "kapi-other-")));
    const path = join(dataDir, "wrong-ca.kubeconfig");
    writeKubeconfig(path, { serverUrl: listener.url, caPem: other.ca.certPem, credentials: pki.admin });
    const result = await run(kubectl, "--kubeconfig", path, "get", "--raw", "/version");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("certificate signed by unknown authority");
  });

  test("every kubectl minor version installed beside kubectl accepts the certificates", async () => {
    const dir = dirname(realpathSync(kubectl));
    const versions = readdirSync(dir).filter((name) => /^kubectl\.1\.\d+$/.test(name));
    const path = adminKubeconfig(listener.url, "versions.kubeconfig");
    for (const name of versions) {
      const start = seen.length;
      const result = await run(join(dir, name), "--kubeconfig", path, "get", "--raw", "/version");
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: "" });
      expect(requestsSince(start, "/version")[0]?.conn.peerCertificate?.commonName).toBe("kubernetes-admin");
    }
  });
});
