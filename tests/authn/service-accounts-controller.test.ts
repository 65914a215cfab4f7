// The service-account controllers: the `default` account and `kube-root-ca.crt` in every
// namespace, and legacy token Secrets filled in (and cleaned up) as kube-controller-manager does.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, createServiceAccount, eventually, forbiddenPodsFor, review, startAuthnServer, unauthorizedBody, withToken, type AuthnServer } from "./helpers.ts";

const caPem = "-----BEGIN CERTIFICATE-----\nMIIBfakefakefake\n-----END CERTIFICATE-----\n";
const description =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

let s: AuthnServer;
beforeAll(async () => {
  s = await startAuthnServer({ caPem });
});
afterAll(() => s.close());

async function get(path: string): Promise<any> {
  const res = await s.json("GET", path);
  return res.status === 200 ? res.body : undefined;
}

function tokenSecret(name: string, account: string, extra: Record<string, string> = {}) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, annotations: { "kubernetes.io/service-account.name": account, ...extra } },
    type: "kubernetes.io/service-account-token",
  };
}

const filled = (path: string) => eventually(async () => ((await get(path))?.data?.token ? get(path) : undefined), `${path} gets a token`);
const gone = (path: string) => eventually(async () => ((await s.json("GET", path)).status === 404 ? true : undefined), `${path} is deleted`);

describe("default ServiceAccount and kube-root-ca.crt", () => {
  test("every namespace made at bootstrap has both", async () => {
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      await eventually(() => get(`/api/v1/namespaces/${ns}/serviceaccounts/default`), `default SA in ${ns}`);
      const cm = await eventually(() => get(`/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`), `root CA in ${ns}`);
      expect(cm.data).toEqual({ "ca.crt": caPem });
      expect(cm.metadata.annotations).toEqual({ "kubernetes.io/description": description });
    }
  });

  test("a new namespace gets both", async () => {
    await create(s, "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    await eventually(() => get("/api/v1/namespaces/team-a/serviceaccounts/default"), "default SA in team-a");
    await eventually(() => get("/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt"), "root CA in team-a");
  });

  test("a deleted default account comes back (with a new uid)", async () => {
    const before = await eventually(() => get("/api/v1/namespaces/default/serviceaccounts/default"), "default SA");
    expect((await s.json("DELETE", "/api/v1/namespaces/default/serviceaccounts/default")).status).toBe(200);
    const after = await eventually(async () => {
      const sa = await get("/api/v1/namespaces/default/serviceaccounts/default");
      return sa && sa.metadata.uid !== before.metadata.uid ? sa : undefined;
    }, "default SA recreated");
    expect(after.metadata.name).toBe("default");
  });

  test("an edited or deleted kube-root-ca.crt is restored", async () => {
    const path = "/api/v1/namespaces/kube-public/configmaps/kube-root-ca.crt";
    const cm = await eventually(() => get(path), "root CA");
    await s.json("PUT", path, { body: { ...cm, data: { "ca.crt": "tampered", extra: "x" } } });
    await eventually(async () => ((await get(path))?.data?.["ca.crt"] === caPem && !(await get(path)).data.extra ? true : undefined), "root CA restored");
    await s.json("DELETE", path);
    await eventually(() => get(path), "root CA recreated");
  });

  test("a namespace being deleted is left alone and goes away", async () => {
    await create(s, "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "short-lived" } });
    await eventually(() => get("/api/v1/namespaces/short-lived/serviceaccounts/default"), "default SA in short-lived");
    await s.json("DELETE", "/api/v1/namespaces/short-lived");
    await gone("/api/v1/namespaces/short-lived");
  });
});

describe("legacy service-account token Secrets", () => {
  test("the controller fills in token, ca.crt and namespace and records the account uid", async () => {
    const sa = await createServiceAccount(s, "default", "legacy");
    await create(s, "/api/v1/namespaces/default/secrets", tokenSecret("legacy-token", "legacy"));
    const secret = await filled("/api/v1/namespaces/default/secrets/legacy-token");
    expect(Object.keys(secret.data).sort()).toEqual(["ca.crt", "namespace", "token"]);
    expect(Buffer.from(secret.data["ca.crt"], "base64").toString()).toBe(caPem);
    expect(Buffer.from(secret.data.namespace, "base64").toString()).toBe("default");
    expect(secret.metadata.annotations["kubernetes.io/service-account.uid"]).toBe(sa.metadata.uid);
  });

  test("its token authenticates as the account while the Secret exists", async () => {
    await createServiceAccount(s, "default", "walkthrough");
    await create(s, "/api/v1/namespaces/default/secrets", tokenSecret("walkthrough-token", "walkthrough"));
    const secret = await filled("/api/v1/namespaces/default/secrets/walkthrough-token");
    const token = Buffer.from(secret.data.token, "base64").toString();
    expect((await withToken(s, token)).body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:walkthrough"));
    expect((await review(s, token)).user.username).toBe("system:serviceaccount:default:walkthrough");

    await s.json("DELETE", "/api/v1/namespaces/default/secrets/walkthrough-token");
    const res = await withToken(s, token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorizedBody);
    expect((await review(s, token)).error).toBe("Token has been invalidated");
  });

  test("using a legacy token records the day on the Secret; a Secret marked invalid stops working", async () => {
    await createServiceAccount(s, "default", "tracked");
    await create(s, "/api/v1/namespaces/default/secrets", tokenSecret("tracked-token", "tracked"));
    const secret = await filled("/api/v1/namespaces/default/secrets/tracked-token");
    const token = Buffer.from(secret.data.token, "base64").toString();
    await withToken(s, token);
    const used = await get("/api/v1/namespaces/default/secrets/tracked-token");
    expect(used.metadata.labels["kubernetes.io/legacy-token-last-used"]).toBe(new Date().toISOString().slice(0, 10));

    await s.json("PATCH", "/api/v1/namespaces/default/secrets/tracked-token", {
      body: { metadata: { labels: { "kubernetes.io/legacy-token-invalid-since": "2024-01-01" } } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect((await withToken(s, token)).status).toBe(401);
    expect((await review(s, token)).error).toBe(
      "the token in secret default/tracked-token for service account default/tracked has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token",
    );
  });

  test("a Secret naming an account that does not exist is deleted", async () => {
    await create(s, "/api/v1/namespaces/default/secrets", tokenSecret("orphan-token", "nobody"));
    await gone("/api/v1/namespaces/default/secrets/orphan-token");
  });

  test("a Secret whose uid annotation names an older account is deleted", async () => {
    await createServiceAccount(s, "default", "renamed");
    await create(s, "/api/v1/namespaces/default/secrets", tokenSecret("stale-token", "renamed", { "kubernetes.io/service-account.uid": "not-the-uid" }));
    await gone("/api/v1/namespaces/default/secrets/stale-token");
  });

  test("deleting the account deletes its token Secrets, and other Secrets stay", async () => {
    await createServiceAccount(s, "default", "doomed");
    await create(s, "/api/v1/namespaces/default/secrets", tokenSecret("doomed-token", "doomed"));
    await create(s, "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "unrelated" }, stringData: { a: "b" } });
    await filled("/api/v1/namespaces/default/secrets/doomed-token");
    await s.json("DELETE", "/api/v1/namespaces/default/serviceaccounts/doomed");
    await gone("/api/v1/namespaces/default/secrets/doomed-token");
    expect((await s.json("GET", "/api/v1/namespaces/default/secrets/unrelated")).status).toBe(200);
  });

  test("a token already present is kept", async () => {
    await createServiceAccount(s, "default", "preset");
    const secret = tokenSecret("preset-token", "preset");
    await create(s, "/api/v1/namespaces/default/secrets", { ...secret, stringData: { token: "my-own" } });
    const got = await eventually(async () => {
      const body = await get("/api/v1/namespaces/default/secrets/preset-token");
      return body?.data?.namespace ? body : undefined;
    }, "preset-token filled");
    expect(Buffer.from(got.data.token, "base64").toString()).toBe("my-own");
  });
});
