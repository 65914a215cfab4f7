import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StatusError } from "../api/status.ts";
import { resolveClientConfig, type ConfigOverrides } from "./client-config.ts";
import { ConnectionError, describeError } from "./errors.ts";
import { createTestPki, headerValues, startRecordingServer, type RecordingServer, type TestPki } from "./test-support.ts";
import { RestClient, userAgent, type RestClientOptions } from "./transport.ts";

let pki: TestPki;
let https: RecordingServer;
let http: RecordingServer;
const scratch = mkdtempSync(join(tmpdir(), "kapi-transport-test-"));
const UA = "kapi/v1.33.0+kapi.0.1.0 (linux/amd64) kubernetes/abcdef0";

beforeAll(async () => {
  pki = createTestPki();
  https = await startRecordingServer(pki);
  http = await startRecordingServer();
});

afterAll(async () => {
  await https.close();
  await http.close();
  pki.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function client(overrides: ConfigOverrides, options: Partial<RestClientOptions> = {}): Promise<RestClient> {
  const config = await resolveClientConfig(overrides, { env: { HOME: scratch }, cwd: scratch, inClusterDir: scratch });
  return new RestClient(config, { userAgent: UA, command: "kapi version", env: {}, ...options });
}

function last(server: RecordingServer) {
  return server.seen[server.seen.length - 1]!;
}

describe("headers", () => {
  test("kubectl's standard headers, and a bearer token over TLS", async () => {
    const c = await client({ server: https.url, certificateAuthority: pki.caFile, token: "secret-token" });
    expect(await c.requestJson({ path: "/version", discovery: true })).toEqual({ ok: true });
    const seen = last(https);
    expect(seen.url).toBe("/version?timeout=32s");
    expect(headerValues(seen, "Accept")).toEqual(["application/json, */*"]);
    expect(headerValues(seen, "User-Agent")).toEqual([UA]);
    expect(headerValues(seen, "Authorization")).toEqual(["Bearer secret-token"]);
    expect(headerValues(seen, "Kubectl-Command")).toEqual(["kapi version"]);
    expect(headerValues(seen, "Kubectl-Session")[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("one session id for every request of a client", async () => {
    const c = await client({ server: http.url });
    await c.requestText({ path: "/a" });
    await c.requestText({ path: "/b" });
    const [a, b] = http.seen.slice(-2).map((s) => headerValues(s, "Kubectl-Session")[0]);
    expect(a).toBe(b!);
  });

  test("KUBECTL_COMMAND_HEADERS=false drops the Kubectl-* headers", async () => {
    const c = await client({ server: http.url }, { env: { KUBECTL_COMMAND_HEADERS: "false" } });
    await c.requestText({ path: "/x" });
    expect(headerValues(last(http), "Kubectl-Command")).toEqual([]);
    expect(headerValues(last(http), "Kubectl-Session")).toEqual([]);
  });

  test("credentials never go over plain HTTP; impersonation does", async () => {
    const c = await client({ server: http.url, token: "secret-token", impersonate: "bob" });
    await c.requestText({ path: "/x" });
    expect(headerValues(last(http), "Authorization")).toEqual([]);
    expect(headerValues(last(http), "Impersonate-User")).toEqual(["bob"]);
    const basic = await client({ server: http.url, username: "u", password: "p" });
    await basic.requestText({ path: "/x" });
    expect(headerValues(last(http), "Authorization")).toEqual([]);
  });

  test("basic auth over TLS", async () => {
    const c = await client({ server: https.url, certificateAuthority: pki.caFile, username: "u", password: "p" });
    await c.requestText({ path: "/x" });
    expect(headerValues(last(https), "Authorization")).toEqual([`Basic ${btoa("u:p")}`]);
  });

  test("each impersonated group and extra value is its own header line", async () => {
    const kubeconfig = join(scratch, "impersonate.yaml");
    writeFileSync(
      kubeconfig,
      `clusters: [{name: c, cluster: {server: "${http.url}"}}]
users: [{name: u, user: {as: sa, as-user-extra: {scopes: [view, edit], reason.example.com: [on call]}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const c = await client({ kubeconfig, impersonateGroups: ["devs", "ops"], impersonateUid: "1234" });
    await c.requestText({ path: "/x" });
    const seen = last(http);
    expect(headerValues(seen, "Impersonate-User")).toEqual(["sa"]);
    expect(headerValues(seen, "Impersonate-Group")).toEqual(["devs", "ops"]);
    expect(headerValues(seen, "Impersonate-Uid")).toEqual(["1234"]);
    expect(headerValues(seen, "Impersonate-Extra-scopes")).toEqual(["view", "edit"]);
    expect(headerValues(seen, "Impersonate-Extra-reason.example.com")).toEqual(["on call"]);
  });

  test("request bodies, query parameters and --request-timeout's timeout parameter", async () => {
    const c = await client({ server: http.url, requestTimeout: "90" });
    await c.requestText({ method: "POST", path: "/api/v1/namespaces", query: { dryRun: "All", x: ["1", "2"] }, contentType: "application/json", body: '{"a":1}' });
    const seen = last(http);
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/api/v1/namespaces?dryRun=All&x=1&x=2&timeout=1m30s");
    expect(seen.body).toBe('{"a":1}');
    expect(headerValues(seen, "Content-Type")).toEqual(["application/json"]);
    const plain = await client({ server: http.url });
    await plain.requestText({ path: "/api/v1/pods" });
    expect(last(http).url).toBe("/api/v1/pods");
  });

  test("--disable-compression asks for identity encoding", async () => {
    const c = await client({ server: http.url, disableCompression: true });
    await c.requestText({ path: "/x" });
    expect(headerValues(last(http), "Accept-Encoding")).toEqual(["identity"]);
  });

  test("a cluster's proxy-url is used", async () => {
    const kubeconfig = join(scratch, "proxy.yaml");
    writeFileSync(kubeconfig, `clusters: [{name: c, cluster: {server: "http://api.example.invalid:6443", proxy-url: "${http.url}"}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x\n`);
    const c = await client({ kubeconfig });
    await c.requestText({ path: "/version" });
    expect(last(http).url).toBe("http://api.example.invalid:6443/version");
  });

  test("a token file is read on each request", async () => {
    const tokenFile = join(scratch, "token");
    const kubeconfig = join(scratch, "tokenfile.yaml");
    writeFileSync(kubeconfig, `clusters: [{name: c, cluster: {server: "${https.url}", certificate-authority: ${pki.caFile}}}]\nusers: [{name: u, user: {tokenFile: token}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
    writeFileSync(tokenFile, "first\n");
    const c = await client({ kubeconfig });
    await c.requestText({ path: "/x" });
    expect(headerValues(last(https), "Authorization")).toEqual(["Bearer first"]);
    writeFileSync(tokenFile, "rotated\n");
    await c.requestText({ path: "/x" });
    expect(headerValues(last(https), "Authorization")).toEqual(["Bearer rotated"]);
    rmSync(tokenFile);
    await expect(c.requestText({ path: "/x" })).rejects.toThrow(`open ${tokenFile}: no such file or directory`);
  });
});

describe("TLS", () => {
  test("client certificates are presented", async () => {
    const c = await client({ server: https.url, certificateAuthority: pki.caFile, clientCertificate: pki.clientCertFile, clientKey: pki.clientKeyFile });
    await c.requestText({ path: "/x" });
    expect(last(https).clientCN).toBe("alice");
  });

  test("an unknown authority is refused, as kubectl words it", async () => {
    const c = await client({ server: https.url, certificateAuthority: pki.otherCaFile, token: "t" });
    const err = await c.requestText({ path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(describeError(err)).toBe("Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority");
  });

  test("--insecure-skip-tls-verify skips verification", async () => {
    const c = await client({ server: https.url, insecureSkipTlsVerify: true, tlsServerName: "wrong.example" });
    expect((await c.requestText({ path: "/x" })).status).toBe(200);
  });

  test("the certificate must name the server, or --tls-server-name", async () => {
    const wrong = await client({ server: https.url, certificateAuthority: pki.caFile, tlsServerName: "foo" });
    expect(describeError(await wrong.requestText({ path: "/x" }).catch((e) => e))).toBe(
      "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for localhost, not foo",
    );
    const right = await client({ server: https.url, certificateAuthority: pki.caFile, tlsServerName: "localhost" });
    expect((await right.requestText({ path: "/x" })).status).toBe(200);
  });

  test("the same checks on the multi-header path", async () => {
    const groups = { impersonate: "a", impersonateGroups: ["x", "y"] };
    const wrong = await client({ server: https.url, certificateAuthority: pki.caFile, tlsServerName: "foo", ...groups });
    expect(describeError(await wrong.requestText({ path: "/x" }).catch((e) => e))).toBe(
      "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for localhost, not foo",
    );
    const c = await client({ server: https.url, certificateAuthority: pki.caFile, token: "t", clientCertificate: pki.clientCertFile, clientKey: pki.clientKeyFile, ...groups });
    await c.requestText({ path: "/x" });
    expect(headerValues(last(https), "Impersonate-Group")).toEqual(["x", "y"]);
    expect(headerValues(last(https), "Authorization")).toEqual(["Bearer t"]);
    expect(last(https).clientCN).toBe("alice");
  });
});

describe("errors", () => {
  test("a refused connection", async () => {
    const c = await client({ server: "http://127.0.0.1:1" });
    const err = await c.requestText({ path: "/version" }).catch((e) => e);
    expect(describeError(err)).toBe("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?");
  });

  test("Status bodies become StatusErrors; request() itself does not throw on 4xx", async () => {
    http.reply = (_req, res) => {
      res.writeHead(403, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", code: 403, message: 'pods is forbidden: User "x" cannot list resource "pods"' }));
    };
    try {
      const c = await client({ server: http.url });
      expect((await c.request({ path: "/api/v1/pods" })).status).toBe(403);
      const err = await c.requestJson({ path: "/api/v1/pods" }).catch((e) => e);
      expect(err).toBeInstanceOf(StatusError);
      expect(describeError(err)).toBe('Error from server (Forbidden): pods is forbidden: User "x" cannot list resource "pods"');
    } finally {
      http.reply = (_req, res) => res.end('{"ok":true}');
    }
  });

  test("--request-timeout gives up on a silent server", async () => {
    http.reply = () => {};
    try {
      const c = await client({ server: http.url, requestTimeout: "300ms" });
      expect(describeError(await c.requestText({ path: "/slow" }).catch((e) => e))).toBe(
        "Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
      );
    } finally {
      http.reply = (_req, res) => res.end('{"ok":true}');
    }
  });
});

describe("timeouts while reading the body", () => {
  test("a body that stops half way", async () => {
    http.reply = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"partial":');
    };
    try {
      const c = await client({ server: http.url, requestTimeout: "300ms" });
      expect(describeError(await c.requestText({ path: "/stuck" }).catch((e) => e))).toBe(
        "Unable to connect to the server: net/http: request canceled (Client.Timeout or context cancellation while reading body)",
      );
    } finally {
      http.reply = (_req, res) => res.end('{"ok":true}');
    }
  });
});

describe("server warnings", () => {
  test("each distinct 299 warning is reported once", async () => {
    http.reply = (_req, res) => {
      res.setHeader("Warning", ['299 - "first warning"', '299 - "second, with \\"quotes\\""', '199 - "ignored"']);
      res.end("{}");
    };
    try {
      const warned: string[] = [];
      const c = await client({ server: http.url }, { warn: (w) => warned.push(w) });
      await c.requestText({ path: "/x" });
      await c.requestText({ path: "/x" });
      expect(warned).toEqual(["first warning", 'second, with "quotes"']);
      expect(c.warnings.size).toBe(2);
    } finally {
      http.reply = (_req, res) => res.end('{"ok":true}');
    }
  });
});

describe("-v tracing", () => {
  async function trace(verbosity: number, overrides: ConfigOverrides = {}): Promise<string[]> {
    const lines: string[] = [];
    const c = await client({ server: https.url, certificateAuthority: pki.caFile, token: "secret-token", ...overrides }, { verbosity, log: (l) => lines.push(l) });
    await c.requestText({ path: "/version", discovery: true }).catch(() => {});
    return lines;
  }
  const klog = /^I\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ [\w.-]+:\d+\] /;
  const url = () => `${https.url}/version?timeout=32s`;

  test("nothing below 6", async () => {
    expect(await trace(5)).toEqual([]);
  });

  test("6: one line per request", async () => {
    const lines = await trace(6);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(klog);
    expect(lines[0]).toMatch(new RegExp(`\\] GET ${url().replace(/[?.]/g, "\\$&")} 200 OK in \\d+ milliseconds$`));
  });

  test("7: request headers, masked", async () => {
    const text = (await trace(7)).map((l) => l.replace(klog, "")).join("\n");
    expect(text).toContain(`GET ${url()}\nRequest Headers:\n    Accept: application/json, */*\n    User-Agent: ${UA}\n    Authorization: Bearer <masked>`);
    expect(text).toMatch(/Response Status: 200 OK in \d+ milliseconds/);
    expect(text).not.toContain("secret-token");
    expect(text).not.toContain("Response Headers");
  });

  test("8: response headers and body", async () => {
    const text = (await trace(8, { username: "u", password: "p", token: undefined })).map((l) => l.replace(klog, "")).join("\n");
    expect(text).toContain("Authorization: Basic <masked>");
    expect(text).toContain("Response Headers:\n    ");
    expect(text).toContain("    Content-Type: application/json");
    expect(text).toContain('"Response Body" body="{\\"ok\\":true}"');
  });

  test("9: a curl command instead of the header list", async () => {
    const text = (await trace(9)).map((l) => l.replace(klog, ""));
    expect(text[0]).toStartWith(`curl -v -XGET  -H "Accept: application/json, */*" -H "User-Agent: ${UA}" -H "Authorization: Bearer <masked>"`);
    expect(text[0]).toEndWith(` '${url()}'`);
    expect(text[1]).toMatch(/^GET .* 200 OK in \d+ milliseconds$/);
  });

  test("a failed connection still gets its line, with an empty status", async () => {
    const lines: string[] = [];
    const c = await client({ server: "http://127.0.0.1:1" }, { verbosity: 6, log: (l) => lines.push(l) });
    await c.requestText({ path: "/version", discovery: true }).catch(() => {});
    expect(lines[0]!.replace(klog, "")).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/version\?timeout=32s  in \d+ milliseconds$/);
  });

  test("bodies over 10240 characters are truncated at 8, whole at 9", async () => {
    http.reply = (_req, res) => res.end("z".repeat(12000));
    try {
      for (const [v, expected] of [[8, "[truncated 1760 chars]"], [9, `${"z".repeat(12000)}"`]] as const) {
        const lines: string[] = [];
        const c = await client({ server: http.url }, { verbosity: v, log: (l) => lines.push(l) });
        await c.requestText({ path: "/big" });
        expect(lines.find((l) => l.includes("Response Body"))).toEndWith(expected);
      }
    } finally {
      http.reply = (_req, res) => res.end('{"ok":true}');
    }
  });
});

test("userAgent has kubectl's shape", () => {
  expect(userAgent("kapi", "v1.33.0+kapi.0.1.0", "0123456789abcdef")).toMatch(/^kapi\/v1\.33\.0\+kapi\.0\.1\.0 \([a-z0-9]+\/[a-z0-9]+\) kubernetes\/0123456$/);
  expect(userAgent("kapi", "v1", "")).toEndWith("kubernetes/unknown");
});
