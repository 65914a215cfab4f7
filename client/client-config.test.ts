import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeServer, parseRequestTimeout, resolveClientConfig, serverHost, type ConfigOverrides, type ResolveOptions } from "./client-config.ts";
import { ConfigError } from "./errors.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-client-config-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
file("ca.crt", PEM);
file("client.crt", "CLIENT CERT\n");
file("client.key", "CLIENT KEY\n");
const kubeconfig = file(
  "config",
  `current-context: main
clusters:
- name: prod
  cluster: {server: "https://prod.example:6443", certificate-authority: ca.crt, tls-server-name: api.prod}
- name: plain
  cluster: {server: "127.0.0.1:8001"}
- name: noserver
  cluster: {}
- name: badca
  cluster: {server: "https://x", certificate-authority: /nonexistent/ca.crt}
- name: insecure-ca
  cluster: {server: "https://x", certificate-authority: ca.crt, insecure-skip-tls-verify: true}
contexts:
- name: main
  context: {cluster: prod, user: admin, namespace: team}
- name: plain
  context: {cluster: plain, user: nobody}
- name: ghost-cluster
  context: {cluster: gone, user: admin}
users:
- name: admin
  user: {client-certificate: client.crt, client-key: client.key}
- name: tok
  user: {token: abc}
- name: both
  user: {token: abc, username: u, password: p}
- name: certonly
  user: {client-certificate: client.crt}
- name: missing-files
  user: {client-certificate: /nonexistent/c.crt, client-key: /nonexistent/c.key}
- name: groups-only
  user: {as-groups: [devs]}
- name: impersonating
  user: {token: abc, as: bob, as-groups: [g1, g2], as-uid: "7", as-user-extra: {scopes: [a]}}
- name: exec
  user: {exec: {command: plugin}}
`,
);

const base: ResolveOptions = { env: { HOME: join(dir, "home") }, cwd: dir, inClusterDir: join(dir, "no-sa") };

function resolve(overrides: ConfigOverrides, options: ResolveOptions = base) {
  return resolveClientConfig({ kubeconfig, ...overrides }, options);
}

async function failure(overrides: ConfigOverrides, options: ResolveOptions = base): Promise<ConfigError> {
  try {
    await resolve(overrides, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected resolution to fail");
}

describe("current context", () => {
  test("cluster, user and namespace come from the current context", async () => {
    const c = await resolve({});
    expect(c.source).toBe("kubeconfig");
    expect(c.server).toBe("https://prod.example:6443");
    expect([c.contextName, c.clusterName, c.userName]).toEqual(["main", "prod", "admin"]);
    expect(c.namespace).toBe("team");
    expect(c.namespaceExplicit).toBe(false);
    expect(c.caData).toBe(PEM);
    expect(c.certData).toBe("CLIENT CERT\n");
    expect(c.keyData).toBe("CLIENT KEY\n");
    expect(c.tlsServerName).toBe("api.prod");
    expect(c.files).toEqual([kubeconfig]);
  });

  test("a host:port server without TLS settings gets http://; namespace defaults to default", async () => {
    const c = await resolve({ context: "plain" });
    expect(c.server).toBe("http://127.0.0.1:8001");
    expect(c.namespace).toBe("default");
  });

  test("a context naming a missing cluster falls back to localhost:8080, as kubectl does", async () => {
    const c = await resolve({ context: "ghost-cluster" });
    expect(c.server).toBe("http://localhost:8080");
    expect(c.source).toBe("default");
  });

  test("a current-context that does not exist", async () => {
    const f = file("ghost", "current-context: ghost\n");
    const err = await failure({ kubeconfig: f });
    expect(err.message).toBe("Error in configuration: context was not found for specified context: ghost");
    expect(err.bare).toBe(true);
  });
});

describe("overrides", () => {
  test("names that do not exist", async () => {
    expect((await failure({ context: "x" })).message).toBe('context "x" does not exist');
    expect((await failure({ cluster: "x" })).message).toBe('cluster "x" does not exist');
    expect((await failure({ user: "x" })).message).toBe('auth info "x" does not exist');
  });

  test("--namespace wins and is marked explicit", async () => {
    const c = await resolve({ namespace: "other" });
    expect(c.namespace).toBe("other");
    expect(c.namespaceExplicit).toBe(true);
  });

  test("--cluster and --user replace the context's", async () => {
    const c = await resolve({ cluster: "plain", user: "tok" });
    expect(c.server).toBe("http://127.0.0.1:8001");
    expect(c.token).toBe("abc");
    expect(c.namespace).toBe("team");
  });

  test("--server keeps the CA but drops the kubeconfig's tls-server-name", async () => {
    const c = await resolve({ server: "https://10.0.0.1:6443" });
    expect(c.server).toBe("https://10.0.0.1:6443");
    expect(c.caData).toBe(PEM);
    expect(c.tlsServerName).toBeUndefined();
    expect((await resolve({ server: "https://10.0.0.1", tlsServerName: "n" })).tlsServerName).toBe("n");
  });

  test("--insecure-skip-tls-verify drops the kubeconfig's CA", async () => {
    const c = await resolve({ insecureSkipTlsVerify: true });
    expect(c.insecureSkipTlsVerify).toBe(true);
    expect(c.caData).toBeUndefined();
  });

  test("credentials from flags; file flags are relative to the working directory", async () => {
    const c = await resolve({ user: "tok", token: "flag-token", certificateAuthority: "ca.crt", clientCertificate: "client.crt", clientKey: "client.key" });
    expect(c.token).toBe("flag-token");
    expect(c.caData).toBe(PEM);
    expect(c.certData).toBe("CLIENT CERT\n");
  });

  test("--request-timeout", async () => {
    expect((await resolve({ requestTimeout: "90" })).timeoutMs).toBe(90_000);
    expect((await resolve({ requestTimeout: "1m30s" })).timeoutMs).toBe(90_000);
    expect((await resolve({})).timeoutMs).toBe(0);
    expect((await failure({ requestTimeout: "1x" })).message).toBe(
      "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)",
    );
  });

  test("impersonation from the kubeconfig user, replaced by flags", async () => {
    const c = await resolve({ user: "impersonating" });
    expect(c.impersonate).toEqual({ user: "bob", uid: "7", groups: ["g1", "g2"], extra: { scopes: ["a"] } });
    const d = await resolve({ user: "impersonating", impersonate: "carol", impersonateGroups: ["x"] });
    expect(d.impersonate).toEqual({ user: "carol", uid: "7", groups: ["x"], extra: { scopes: ["a"] } });
  });
});

describe("validation, worded as kubectl", () => {
  test("one problem is a plain error", async () => {
    expect((await failure({ context: "plain", impersonateGroups: ["devs"] })).message).toBe(
      "requesting uid, groups or user-extra for nobody without impersonating a user",
    );
    expect((await failure({ user: "groups-only" })).message).toBe("requesting uid, groups or user-extra for groups-only without impersonating a user");
    expect((await failure({ user: "both" })).message).toBe("more than one authentication method found for both; found [token basicAuth], only one is allowed");
    expect((await failure({ user: "tok", username: "u" })).message).toContain("found [token basicAuth]");
    expect((await failure({ user: "certonly" })).message).toBe(
      "client-key-data or client-key must be specified for certonly to use the clientCert authentication method.",
    );
    expect((await failure({ cluster: "badca" })).message).toBe(
      "unable to read certificate-authority /nonexistent/ca.crt for badca due to open /nonexistent/ca.crt: no such file or directory",
    );
    expect((await failure({ cluster: "insecure-ca" })).message).toBe("specifying a root certificates file with the insecure flag is not allowed");
    expect((await failure({ insecureSkipTlsVerify: true, certificateAuthority: "ca.crt" })).message).toBe(
      "specifying a root certificates file with the insecure flag is not allowed",
    );
    expect((await failure({ user: "exec" })).message).toBe("apiVersion must be specified for exec to use exec authentication plugin");
  });

  test("several problems are listed under Error in configuration", async () => {
    const err = await failure({ user: "missing-files" });
    expect(err.bare).toBe(true);
    expect(err.message).toBe(
      "Error in configuration: \n" +
        "* unable to read client-cert /nonexistent/c.crt for missing-files due to open /nonexistent/c.crt: no such file or directory\n" +
        "* unable to read client-key /nonexistent/c.key for missing-files due to open /nonexistent/c.key: no such file or directory",
    );
  });

  test("a server that is not a URL", async () => {
    expect((await failure({ server: "ht!tp://a b" })).message).toBe('host must be a URL or a host:port pair: "ht!tp://a b"');
  });
});

describe("without a kubeconfig", () => {
  const empty: ResolveOptions = { ...base, env: { HOME: join(dir, "nohome") } };

  test("kubectl's default server", async () => {
    const c = await resolveClientConfig({}, empty);
    expect(c.server).toBe("http://localhost:8080");
    expect(c.source).toBe("default");
    expect(c.namespace).toBe("default");
    expect(c.files).toEqual([]);
  });

  test("--server alone is enough", async () => {
    const c = await resolveClientConfig({ server: "https://h:6443", token: "t", namespace: "n" }, empty);
    expect(c.server).toBe("https://h:6443");
    expect(c.token).toBe("t");
    expect(c.namespace).toBe("n");
  });

  test("in-cluster: service host/port env + service-account files", async () => {
    const sa = join(dir, "sa");
    file("sa/token", "sa-token\n");
    file("sa/ca.crt", PEM);
    file("sa/namespace", "kube-system\n");
    const env = { HOME: join(dir, "nohome"), KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const c = await resolveClientConfig({}, { ...empty, env, inClusterDir: sa });
    expect(c.source).toBe("in-cluster");
    expect(c.server).toBe("https://10.96.0.1:443");
    expect(c.tokenFile).toBe(join(sa, "token"));
    expect(c.token).toBeUndefined();
    expect(c.caData).toBe(PEM);
    expect(c.namespace).toBe("kube-system");

    const v6 = await resolveClientConfig({ namespace: "mine" }, { ...empty, env: { ...env, KUBERNETES_SERVICE_HOST: "fd00::1", POD_NAMESPACE: "p" }, inClusterDir: sa });
    expect(v6.server).toBe("https://[fd00::1]:443");
    expect(v6.namespace).toBe("mine");
    expect((await resolveClientConfig({}, { ...empty, env: { ...env, POD_NAMESPACE: "p" }, inClusterDir: sa })).namespace).toBe("p");
    expect((await resolveClientConfig({ token: "flag" }, { ...empty, env, inClusterDir: sa })).token).toBe("flag");
  });

  test("in-cluster needs both env vars and the token file", async () => {
    const c = await resolveClientConfig({}, { ...empty, env: { KUBERNETES_SERVICE_HOST: "10.96.0.1" }, inClusterDir: join(dir, "sa") });
    expect(c.server).toBe("http://localhost:8080");
    const d = await resolveClientConfig({}, { ...empty, env: { KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "1" }, inClusterDir: join(dir, "nope") });
    expect(d.server).toBe("http://localhost:8080");
  });

  test("a kubeconfig with a server is preferred over in-cluster", async () => {
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const c = await resolveClientConfig({ kubeconfig }, { ...base, env, inClusterDir: join(dir, "sa") });
    expect(c.source).toBe("kubeconfig");
  });
});

describe("helpers", () => {
  test("normalizeServer", () => {
    expect(normalizeServer("h:1", false)).toBe("http://h:1");
    expect(normalizeServer("h:1", true)).toBe("https://h:1");
    expect(normalizeServer("https://h/prefix/", false)).toBe("https://h/prefix");
    expect(normalizeServer("HTTPS://h:443", false)).toBe("https://h:443");
    expect(normalizeServer("[::1]:6443", true)).toBe("https://[::1]:6443");
    expect(() => normalizeServer("ftp://h", false)).toThrow("host must be a URL or a host:port pair");
    expect(serverHost("https://h:443/x")).toBe("h:443");
  });

  test("parseRequestTimeout", () => {
    expect(parseRequestTimeout("0")).toBe(0);
    expect(parseRequestTimeout("5")).toBe(5000);
    expect(parseRequestTimeout("500ms")).toBe(500);
    expect(() => parseRequestTimeout("-1s")).toThrow("Invalid timeout value");
  });
});
