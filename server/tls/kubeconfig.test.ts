import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { renderAdminKubeconfig, renderKubeconfig, writeAdminKubeconfig, writeKubeconfig } from "./kubeconfig.ts";

const decode = (text: string) => Buffer.from(text, "base64").toString("utf8");
const ca = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
const cert = "-----BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----\n";
const key = "-----BEGIN EC PRIVATE KEY-----\nR0hJ\n-----END EC PRIVATE KEY-----\n";

test("the admin kubeconfig embeds CA, certificate and key", () => {
  const text = renderAdminKubeconfig({ serverUrl: "https://127.0.0.1:6443", caPem: ca, certPem: cert, keyPem: key });
  const config = parse(text);
  expect(config.apiVersion).toBe("v1");
  expect(config.kind).toBe("Config");
  expect(config["current-context"]).toBe("kapi");
  expect(config.clusters).toEqual([
    { name: "kapi", cluster: { server: "https://127.0.0.1:6443", "certificate-authority-data": expect.any(String) } },
  ]);
  expect(decode(config.clusters[0].cluster["certificate-authority-data"])).toBe(ca);
  expect(config.users[0].name).toBe("kapi-admin");
  expect(decode(config.users[0].user["client-certificate-data"])).toBe(cert);
  expect(decode(config.users[0].user["client-key-data"])).toBe(key);
  expect(config.contexts).toEqual([{ name: "kapi", context: { cluster: "kapi", user: "kapi-admin" } }]);
  expect(text).toStartWith("apiVersion: v1\nkind: Config\n");
  expect(text).toContain("\nclusters:\n- name: kapi\n");
});

test("a token kubeconfig with names, namespace and server name", () => {
  const config = parse(
    renderKubeconfig({
      serverUrl: "https://[::1]:6443",
      caPem: ca,
      tlsServerName: "kubernetes",
      credentials: { token: "abc.def" },
      clusterName: "lab",
      userName: "jane",
      contextName: "jane@lab",
      namespace: "dev",
    }),
  );
  expect(config.clusters[0].cluster["tls-server-name"]).toBe("kubernetes");
  expect(config.clusters[0].cluster.server).toBe("https://[::1]:6443");
  expect(config.users).toEqual([{ name: "jane", user: { token: "abc.def" } }]);
  expect(config.contexts).toEqual([{ name: "jane@lab", context: { cluster: "lab", user: "jane", namespace: "dev" } }]);
  expect(config["current-context"]).toBe("jane@lab");
});

test("names that YAML would read as something else come back as the same strings", () => {
  const tricky = ["yes", "No", "y", "null", "~", "123", "0x1F", "1e3", ".inf", "-x", "- x", "a: b", "ends:", "#c", "", "jane@lab", "[::1]", "{x}", "*ref", "&anchor", "!tag", "'q'", '"dq"', "a\nb", "ü"];
  for (const name of tricky) {
    const config = parse(renderKubeconfig({ serverUrl: "https://[::1]:6443", credentials: { token: name || "t" }, clusterName: name || "c", userName: `${name}u`, contextName: `c${name}`, namespace: name || "ns" }));
    expect([config.clusters[0].name, config.users[0].name, config.contexts[0].name, config.users[0].user.token, config.contexts[0].context.namespace]).toEqual([name || "c", `${name}u`, `c${name}`, name || "t", name || "ns"]);
    expect(config["current-context"]).toBe(`c${name}`);
  }
});

test("kubeconfigs are written with mode 0600", () => {
  const dir = mkdtempSync(join(tmpdir(), "kapi-kubeconfig-"));
  const adminPath = join(dir, "nested", "admin.kubeconfig");
  writeAdminKubeconfig(adminPath, { serverUrl: "https://localhost:6443", caPem: ca, certPem: cert, keyPem: key });
  expect(statSync(adminPath).mode & 0o777).toBe(0o600);
  expect(parse(readFileSync(adminPath, "utf8")).kind).toBe("Config");
  const userPath = join(dir, "user.kubeconfig");
  writeKubeconfig(userPath, { serverUrl: "https://localhost:6443", insecureSkipTlsVerify: true, credentials: { token: "t" } });
  expect(statSync(userPath).mode & 0o777).toBe(0o600);
  expect(parse(readFileSync(userPath, "utf8")).clusters[0].cluster["insecure-skip-tls-verify"]).toBe(true);
});
