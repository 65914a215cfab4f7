// Authentication with real clients against `kapi serve` over HTTPS: the legacy-token
// walkthrough (kubectl + curl), `kubectl create token`, `auth whoami`, `--as`, and client
// certificates: from the cluster CA, from another CA and expired (both 401).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCa, issueClientCert, issueServingCert } from "../../server/tls/x509.ts";
import { availableKubectls, run, type Kubectl } from "../support/kubectl.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { forbiddenPodsFor, unauthorizedBody } from "./helpers.ts";

let server: TestServer;
let caFile: string;
beforeAll(async () => {
  server = await startTestServer();
  caFile = join(server.dataDir, "pki", "ca.crt");
});
afterAll(() => server.stop());

const kubectls = availableKubectls();

async function ok(k: Kubectl, args: string[], stdin?: string): Promise<string> {
  const r = await server.kubectl(k, args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** curl with the cluster CA; returns the status code and parsed JSON body. */
async function curl(path: string, extra: string[] = []): Promise<{ status: number; body: any }> {
  const r = await run(["curl", "-sS", "--cacert", caFile, "-w", "\n%{http_code}", ...extra, `${server.url}${path}`]);
  if (r.code !== 0) throw new Error(`curl failed: ${r.stderr}`);
  const at = r.stdout.lastIndexOf("\n");
  return { status: Number(r.stdout.slice(at + 1)), body: JSON.parse(r.stdout.slice(0, at)) };
}

const bearer = (token: string) => ["--header", `Authorization: Bearer ${token}`];

function clusterCa(): { certPem: string; keyPem: string } {
  const pki = join(server.dataDir, "pki");
  return { certPem: readFileSync(join(pki, "ca.crt"), "utf8"), keyPem: readFileSync(join(pki, "ca.key"), "utf8") };
}

function writePair(name: string, pair: { certPem: string; keyPem: string }): string[] {
  const cert = join(server.dataDir, `${name}.crt`);
  const key = join(server.dataDir, `${name}.key`);
  writeFileSync(cert, pair.certPem);
  writeFileSync(key, pair.keyPem, { mode: 0o600 });
  return ["--cert", cert, "--key", key];
}

describe("the legacy token walkthrough: kubectl creates, curl calls", () => {
  const k = kubectls[0];
  test("a service-account-token Secret is filled in and its token authenticates curl", async () => {
    await ok(k, ["create", "serviceaccount", "walker"]);
    const secret = `apiVersion: v1
kind: Secret
metadata:
  name: walker-token
  annotations:
    kubernetes.io/service-account.name: walker
type: kubernetes.io/service-account-token
`;
    await ok(k, ["create", "-f", "-", "--validate=false"], secret);
    let encoded = "";
    for (let i = 0; i < 400 && !encoded; i++) {
      encoded = await ok(k, ["get", "secret", "walker-token", "-o", "jsonpath={.data.token}"]);
      if (!encoded) await Bun.sleep(5);
    }
    const token = Buffer.from(encoded, "base64").toString("utf8");
    expect(token.split(".")).toHaveLength(3);
    const caFromSecret = Buffer.from(await ok(k, ["get", "secret", "walker-token", "-o", "jsonpath={.data.ca\\.crt}"]), "base64").toString();
    expect(caFromSecret).toBe(readFileSync(caFile, "utf8"));

    // Authenticated as the account; RBAC then decides (no binding yet: forbidden, naming it).
    const pods = await curl("/api/v1/namespaces/default/pods", bearer(token));
    expect(pods.status).toBe(403);
    expect(pods.body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:walker"));
    expect((await curl("/version", bearer(token))).status).toBe(200);

    const bad = await curl("/api/v1/namespaces/default/pods", bearer(`${token.slice(0, -12)}AAAAAAAAAAAA`));
    expect(bad).toEqual({ status: 401, body: unauthorizedBody });

    // kubectl with only the token (no client certificate, which would win).
    const empty = join(server.dataDir, "empty.kubeconfig");
    writeFileSync(empty, "apiVersion: v1\nkind: Config\n");
    const viaKubectl = await run([k.path, "--kubeconfig", empty, "--server", server.url, "--certificate-authority", caFile, "--token", token, "get", "pods"], { HOME: server.home });
    expect(viaKubectl.stderr).toContain(`Error from server (Forbidden): ${forbiddenPodsFor("system:serviceaccount:default:walker")}`);
  });
});

// kubectl 1.27 sends JSON and starts `auth whoami` at v1beta1; ≥ 1.32 sends protobuf and v1.
for (const k of kubectls) {
  describe(`kubectl ${k.version}: create token, auth whoami, --as`, () => {
    const account = `minted-${k.version.replace(".", "-")}`;

    test("create token prints a token (no newline) that curl can use", async () => {
      await ok(k, ["create", "serviceaccount", account]);
      const token = await ok(k, ["create", "token", account]);
      expect(token).not.toContain("\n");
      const pods = await curl("/api/v1/namespaces/default/pods", bearer(token));
      expect(pods.body.message).toBe(forbiddenPodsFor(`system:serviceaccount:default:${account}`));
    });

    test("create token with --duration below ten minutes fails with the API's message", async () => {
      const r = await server.kubectl(k, ["create", "token", account, "--duration=1m"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      );
    });

    test("auth whoami shows the admin, and the impersonated user with --as", async () => {
      expect(await ok(k, ["auth", "whoami"])).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]\n$/);
      const as = await ok(k, ["auth", "whoami", "--as=alice", "--as-group=system:masters", "-o", "json"]);
      expect(JSON.parse(as).status.userInfo).toEqual({ username: "alice", groups: ["system:masters", "system:authenticated"] });
    });

    test("the admin acting as a service account is authorized as it", async () => {
      const r = await server.kubectl(k, ["get", "pods", "--as=system:serviceaccount:default:walker"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error from server (Forbidden): ${forbiddenPodsFor("system:serviceaccount:default:walker")}`);
    });
  });
}

describe("client certificates", () => {
  test("a certificate from the cluster CA authenticates as CN with O as groups", async () => {
    const ca = { certPem: readFileSync(caFile, "utf8"), keyPem: readFileSync(join(server.dataDir, "pki", "ca.key"), "utf8") };
    const carol = writePair("carol", issueClientCert(ca, { commonName: "carol", organizations: ["devs"] }));
    const res = await curl("/api/v1/namespaces/default/pods", carol);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(forbiddenPodsFor("carol"));
  });

  test("a certificate from another CA fails authentication: 401, never anonymous", async () => {
    const other = createCa("not-the-cluster-ca");
    const mallory = writePair("mallory", issueClientCert(other, { commonName: "kubernetes-admin", organizations: ["system:masters"] }));
    const res = await curl("/api/v1/namespaces/default/pods", mallory);
    expect(res).toEqual({ status: 401, body: unauthorizedBody });
  });

  test("an expired certificate from the cluster CA fails authentication", async () => {
    const expired = writePair("expired", issueClientCert(clusterCa(), { commonName: "kubernetes-admin", organizations: ["system:masters"] }, -1));
    expect(await curl("/version", expired)).toEqual({ status: 401, body: unauthorizedBody });
  });

  test("a cluster-CA certificate made for serving, not for clients, fails authentication", async () => {
    const serving = writePair("serving-only", issueServingCert(clusterCa(), { commonName: "kubernetes-admin", dnsNames: ["example.test"] }));
    expect(await curl("/version", serving)).toEqual({ status: 401, body: unauthorizedBody });
  });

  test("with an untrusted certificate a valid bearer token still authenticates", async () => {
    await ok(kubectls[0], ["create", "serviceaccount", "token-and-bad-cert"]);
    const token = (await ok(kubectls[0], ["create", "token", "token-and-bad-cert"])).trim();
    const other = createCa("not-the-cluster-ca-either");
    const eve = writePair("eve", issueClientCert(other, { commonName: "eve", organizations: [] }));
    const review = JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
    const res = await curl("/apis/authentication.k8s.io/v1/selfsubjectreviews", [...eve, "-H", `Authorization: Bearer ${token}`, "-H", "Content-Type: application/json", "--data", review]);
    expect(res.status).toBe(201);
    expect(res.body.status.userInfo.username).toBe("system:serviceaccount:default:token-and-bad-cert");
  });

  for (const k of kubectls) {
    test(`kubectl ${k.version} with a certificate from another CA: You must be logged in`, async () => {
      const other = createCa("stranger-ca");
      const pair = issueClientCert(other, { commonName: "kubernetes-admin", organizations: ["system:masters"] });
      const b64 = (pem: string) => Buffer.from(pem).toString("base64");
      const config = readFileSync(server.kubeconfigPath, "utf8")
        .replace(/client-certificate-data: \S+/, `client-certificate-data: ${b64(pair.certPem)}`)
        .replace(/client-key-data: \S+/, `client-key-data: ${b64(pair.keyPem)}`);
      const kubeconfig = join(server.dataDir, `stranger-${k.version}.kubeconfig`);
      writeFileSync(kubeconfig, config);
      const r = await run([k.path, "--kubeconfig", kubeconfig, "get", "pods"], { HOME: server.home, KUBECONFIG: "" });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("error: You must be logged in to the server (Unauthorized)\n");
    });
  }

});
