import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";
import { kubeconfigPaths, loadKubeconfig, parseKubeconfig } from "./kubeconfig.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-kubeconfig-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function loadError(source: Parameters<typeof loadKubeconfig>[0]): Promise<string> {
  try {
    await loadKubeconfig(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected loading to fail");
}

const first = file(
  "first.yaml",
  `apiVersion: v1
kind: Config
current-context: one
clusters:
- name: shared
  cluster: {server: "https://first:6443", certificate-authority: certs/ca.crt}
- name: only-first
  cluster: {server: "https://only-first"}
contexts:
- name: one
  context: {cluster: shared, user: u, namespace: ns1}
users:
- name: u
  user: {token: first-token}
`,
);
const second = file(
  "nested/second.yaml",
  `current-context: two
clusters:
- name: shared
  cluster: {server: "https://second:6443"}
- name: only-second
  cluster:
    server: https://only-second
    certificate-authority-data: ${Buffer.from("-----BEGIN CERTIFICATE-----\nxyz\n-----END CERTIFICATE-----\n").toString("base64")}
    insecure-skip-tls-verify: false
    tls-server-name: api.internal
    proxy-url: http://proxy:3128
contexts:
- name: two
  context: {cluster: only-second, user: v}
users:
- name: u
  user: {token: second-token}
- name: v
  user:
    client-certificate: ../pki/v.crt
    client-key: /abs/v.key
    tokenFile: tok
    as: admin
    as-groups: [a, b]
    as-uid: "42"
    as-user-extra: {scopes: [view, edit]}
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [get-token]
      env: [{name: A, value: "1"}]
      interactiveMode: Never
`,
);

describe("where kubeconfig comes from", () => {
  test("--kubeconfig wins over KUBECONFIG and HOME", () => {
    expect(kubeconfigPaths({ explicitPath: "x.yaml", env: { KUBECONFIG: "/a:/b" }, cwd: "/w" })).toEqual({ paths: ["/w/x.yaml"], explicit: true });
  });

  test("KUBECONFIG lists files separated by ':', duplicates and empties dropped", () => {
    expect(kubeconfigPaths({ env: { KUBECONFIG: "/a::/b:/a" }, cwd: "/w" }).paths).toEqual(["/a", "/b"]);
  });

  test("otherwise ~/.kube/config", () => {
    expect(kubeconfigPaths({ env: { HOME: "/home/me" } }).paths).toEqual(["/home/me/.kube/config"]);
  });
});

describe("merging", () => {
  test("the first file to set a name or current-context wins", async () => {
    const { config, files } = await loadKubeconfig({ env: { KUBECONFIG: `${first}:${join(dir, "missing.yaml")}:${second}` } });
    expect(files).toEqual([first, second]);
    expect(config.currentContext).toBe("one");
    expect(config.clusters.get("shared")?.server).toBe("https://first:6443");
    expect([...config.clusters.keys()].sort()).toEqual(["only-first", "only-second", "shared"]);
    expect(config.users.get("u")?.token).toBe("first-token");
    expect(config.contexts.get("two")).toEqual({ cluster: "only-second", user: "v", namespace: undefined });
  });

  test("current-context comes from the first file that sets one", async () => {
    const noCurrent = file("no-current.yaml", "clusters: []\n");
    const { config } = await loadKubeconfig({ env: { KUBECONFIG: `${noCurrent}:${second}` } });
    expect(config.currentContext).toBe("two");
  });

  test("missing implicit files are fine; nothing at all gives an empty config", async () => {
    const { config, files } = await loadKubeconfig({ env: { HOME: join(dir, "nohome") } });
    expect(files).toEqual([]);
    expect(config.clusters.size).toBe(0);
  });
});

describe("parsing one file", () => {
  test("paths are resolved against the file's directory, -data decoded, the rest kept", async () => {
    const { config } = await loadKubeconfig({ explicitPath: second });
    const cluster = config.clusters.get("only-second")!;
    expect(cluster.certificateAuthorityData).toContain("BEGIN CERTIFICATE");
    expect(cluster.tlsServerName).toBe("api.internal");
    expect(cluster.proxyUrl).toBe("http://proxy:3128");
    expect(cluster.insecureSkipTlsVerify).toBe(false);
    const v = config.users.get("v")!;
    expect(v.clientCertificate).toBe(join(dir, "pki/v.crt"));
    expect(v.clientKey).toBe("/abs/v.key");
    expect(v.tokenFile).toBe(join(dir, "nested/tok"));
    expect(v.as).toBe("admin");
    expect(v.asGroups).toEqual(["a", "b"]);
    expect(v.asUid).toBe("42");
    expect(v.asUserExtra).toEqual({ scopes: ["view", "edit"] });
    expect(v.exec).toEqual({
      apiVersion: "client.authentication.k8s.io/v1",
      command: join(dir, "nested/bin/plugin"),
      args: ["get-token"],
      env: [{ name: "A", value: "1" }],
      installHint: undefined,
      provideClusterInfo: false,
      interactiveMode: "Never",
    });
    const shared = (await loadKubeconfig({ explicitPath: first })).config.clusters.get("shared")!;
    expect(shared.certificateAuthority).toBe(join(dir, "certs/ca.crt"));
  });

  test("an exec command without a slash is looked up on PATH, so it stays as written", async () => {
    const c = await parseKubeconfig("users:\n- name: u\n  user:\n    exec: {apiVersion: v1, command: gke-gcloud-auth-plugin}\n", "/x/config");
    expect(c.users.get("u")?.exec?.command).toBe("gke-gcloud-auth-plugin");
  });

  test("an empty file is an empty config", async () => {
    const c = await parseKubeconfig("", "/x/config");
    expect(c.currentContext).toBe("");
    expect(c.contexts.size).toBe(0);
  });

  test("JSON is YAML too", async () => {
    const c = await parseKubeconfig('{"clusters":[{"name":"j","cluster":{"server":"https://j"}}]}', "/x/config");
    expect(c.clusters.get("j")?.server).toBe("https://j");
  });
});

describe("errors", () => {
  test("--kubeconfig naming a missing file", async () => {
    expect(await loadError({ explicitPath: join(dir, "nope.yaml") })).toBe(`stat ${join(dir, "nope.yaml")}: no such file or directory`);
    expect(await loadError({ explicitPath: "nope.yaml", cwd: dir })).toBe("stat nope.yaml: no such file or directory");
  });

  test("malformed YAML, in KUBECONFIG too", async () => {
    const bad = file("bad.yaml", "foo: [\n");
    expect(await loadError({ explicitPath: bad })).toStartWith(`error loading config file "${bad}": yaml: `);
    expect(await loadError({ env: { KUBECONFIG: `${first}:${bad}` } })).toStartWith(`error loading config file "${bad}": yaml: `);
  });

  test("a kind other than Config", async () => {
    const f = file("kind.yaml", "apiVersion: v2\nkind: Foo\n");
    expect(await loadError({ explicitPath: f })).toBe(`error loading config file "${f}": no kind "Foo" is registered for version "v2"`);
  });

  test("duplicate names in one file", async () => {
    const f = file("dup.yaml", "clusters:\n- name: a\n  cluster: {server: x}\n- name: a\n  cluster: {server: y}\n");
    expect(await loadError({ explicitPath: f })).toBe(`error loading config file "${f}": duplicate name "a" in list clusters`);
  });

  test("YAML 1.1 booleans are not strings (y is true, as for kubectl)", async () => {
    const f = file("yes.yaml", "users:\n- name: u\n  user:\n    exec: {apiVersion: v1, command: x, env: [{name: X, value: y}]}\n");
    expect(await loadError({ explicitPath: f })).toBe(
      `error loading config file "${f}": users[0].user.exec.env[0].value: expected a string, got boolean true`,
    );
  });

  test("wrong shapes", async () => {
    const f = file("shape.yaml", "clusters: 5\n");
    expect(await loadError({ explicitPath: f })).toBe(`error loading config file "${f}": clusters: expected a list, got number 5`);
  });

  test("invalid base64", async () => {
    const f = file("b64.yaml", 'clusters:\n- name: a\n  cluster: {certificate-authority-data: "!!notbase64"}\n');
    expect(await loadError({ explicitPath: f })).toBe(`error loading config file "${f}": illegal base64 data at input byte 0`);
  });
});
