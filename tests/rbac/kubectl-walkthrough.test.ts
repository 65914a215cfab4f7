// The read-only service-account walkthrough with real kubectl against `kapi serve`: a
// ServiceAccount, a ClusterRole allowing only `list pods`, a ClusterRoleBinding; the account
// may list pods everywhere and nothing else, both when the admin impersonates it (--as) and
// when it presents its own client certificate.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { issueClientCert } from "../../server/tls/x509.ts";
import { availableKubectls, type Kubectl } from "../support/kubectl.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const account = "system:serviceaccount:default:read-only-user";
const as = `--as=${account}`;
const forbiddenGet = `Error from server (Forbidden): pods "web" is forbidden: User "${account}" cannot get resource "pods" in API group "" in the namespace "kube-system"`;

let server: TestServer;
let certFlags: string[];
const kubectls = availableKubectls();

beforeAll(async () => {
  server = await startTestServer();
  const k = kubectls[0];
  for (const args of [
    ["create", "serviceaccount", "read-only-user"],
    ["create", "clusterrole", "read-only", "--verb=list", "--resource=pods"],
    ["create", "clusterrolebinding", "read-only-user", "--clusterrole=read-only", "--serviceaccount=default:read-only-user"],
  ]) {
    const r = await server.kubectl(k, args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  }
  const pki = join(server.dataDir, "pki");
  const ca = { certPem: readFileSync(join(pki, "ca.crt"), "utf8"), keyPem: readFileSync(join(pki, "ca.key"), "utf8") };
  const pair = issueClientCert(ca, { commonName: account, organizations: ["system:serviceaccounts", "system:serviceaccounts:default"] });
  writeFileSync(join(server.dataDir, "ro.crt"), pair.certPem);
  writeFileSync(join(server.dataDir, "ro.key"), pair.keyPem, { mode: 0o600 });
  const kubeconfig = join(server.dataDir, "read-only.kubeconfig");
  writeFileSync(kubeconfig, readOnlyKubeconfig(server.url, join(pki, "ca.crt"), join(server.dataDir, "ro.crt"), join(server.dataDir, "ro.key")));
  certFlags = [`--kubeconfig=${kubeconfig}`];
});
afterAll(() => server.stop());

for (const k of kubectls) {
  describe(`kubectl ${k.version}`, () => {
    const kubectl = (args: string[]) => server.kubectl(k, args);

    test("as the account (--as): get pods -A succeeds, describe pod is refused with the exact message", async () => {
      const list = await kubectl(["get", "pods", "-A", as]);
      expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 0, stderr: "No resources found\n" });
      const describe = await kubectl(["describe", "pod", "web", "-n", "kube-system", as]);
      expect(describe.code).toBe(1);
      expect(describe.stderr.trim()).toBe(forbiddenGet);
    });

    test("with the account's own client certificate, the same decisions", async () => {
      expect((await kubectl(["get", "pods", "-A", ...certFlags])).code).toBe(0);
      const describe = await kubectl(["describe", "pod", "web", "-n", "kube-system", ...certFlags]);
      expect(describe.stderr.trim()).toBe(forbiddenGet);
      const create = await kubectl(["create", "configmap", "nope", ...certFlags]);
      expect(create.stderr.trim()).toBe(`error: failed to create configmap: configmaps is forbidden: User "${account}" cannot create resource "configmaps" in API group "" in the namespace "default"`);
    });

    test("auth can-i: yes for the admin, no for the account; list pods is yes for both", async () => {
      expect(await kubectl(["auth", "can-i", "get", "pods", "-A"])).toMatchObject({ code: 0, stdout: "yes\n" });
      expect(await kubectl(["auth", "can-i", "get", "pods", "-A", as])).toMatchObject({ code: 1, stdout: "no\n" });
      expect(await kubectl(["auth", "can-i", "list", "pods", "-A", as])).toMatchObject({ code: 0, stdout: "yes\n" });
      expect(await kubectl(["auth", "can-i", "get", "pods", "--subresource=log", "-n", "kube-system", as])).toMatchObject({ code: 1, stdout: "no\n" });
      expect(await kubectl(["auth", "can-i", "get", "/healthz", as])).toMatchObject({ code: 0, stdout: "yes\n" });
    });

    test("auth can-i --list shows the account's rules", async () => {
      const r = await kubectl(["auth", "can-i", "--list", as]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n/);
      expect(r.stdout).toMatch(/\npods\s+\[\]\s+\[\]\s+\[list\]\n/);
      expect(r.stdout).toMatch(/\nselfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
      expect(r.stdout).not.toContain("secrets");
    });

    test("the account cannot grant itself more", async () => {
      const r = await kubectl(["create", "clusterrolebinding", `grab-${k.version}`, "--clusterrole=cluster-admin", `--serviceaccount=default:read-only-user`, as]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "${account}" cannot create resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope`);
    });
  });
}

/** A kubeconfig whose user is the account's client certificate. */
function readOnlyKubeconfig(url: string, caFile: string, certFile: string, keyFile: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: kapi
  cluster: {server: "${url}", certificate-authority: "${caFile}"}
users:
- name: read-only-user
  user: {client-certificate: "${certFile}", client-key: "${keyFile}"}
contexts:
- name: read-only
  context: {cluster: kapi, user: read-only-user, namespace: default}
current-context: read-only
`;
}
