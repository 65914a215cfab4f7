// Service-account tokens are checked on every request: signature, issuer, audience, expiry
// and the objects they name. Each rejected token gets kube-apiserver's bare 401 Status on the
// API, and TokenReview reports why.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import {
  apiAudience,
  claimsOf,
  create,
  createServiceAccount,
  forbiddenPodsFor,
  review,
  signWithServerKey,
  startAuthnServer,
  tokenFor,
  unauthorizedBody,
  withToken,
  type AuthnServer,
} from "./helpers.ts";

let s: AuthnServer;
beforeAll(async () => {
  s = await startAuthnServer();
});
afterAll(() => s.close());

const now = () => Math.floor(Date.now() / 1000);

/** Claims of a bound token for an existing account, as the TokenRequest API would issue them. */
async function boundClaims(account: string): Promise<Record<string, any>> {
  const sa = await createServiceAccount(s, "default", account);
  return {
    aud: [apiAudience],
    iss: apiAudience,
    sub: `system:serviceaccount:default:${account}`,
    "kubernetes.io": { namespace: "default", serviceaccount: { name: account, uid: sa.metadata.uid } },
  };
}

function pod(name: string, account: string) {
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { serviceAccountName: account, containers: [{ name: "c", image: "nginx" }] } };
}

/** Changes one character in the middle of the signature (the last one may only hold padding bits). */
function tamperSignature(token: string): string {
  const at = token.lastIndexOf(".") + 10;
  return token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
}

const rejected: { name: string; token: () => Promise<string>; error: string | RegExp }[] = [
  {
    name: "expired an hour ago",
    token: async () => signWithServerKey(s.dataDir, { ...(await boundClaims("expired")), iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }),
    error: "service account token has expired",
  },
  {
    name: "not valid for another hour",
    token: async () => signWithServerKey(s.dataDir, { ...(await boundClaims("early")), iat: now(), nbf: now() + 3600, exp: now() + 7200 }),
    error: "service account token is not valid yet",
  },
  {
    name: "issued for another audience",
    token: async () => {
      await createServiceAccount(s, "default", "vault-client");
      return tokenFor(s, "default", "vault-client", { audiences: ["vault"] });
    },
    error: `token audiences ["vault"] is invalid for the target audiences ["${apiAudience}"]`,
  },
  {
    name: "its account was deleted",
    token: async () => {
      await createServiceAccount(s, "default", "gone");
      const token = await tokenFor(s, "default", "gone");
      await s.json("DELETE", "/api/v1/namespaces/default/serviceaccounts/gone");
      return token;
    },
    error: 'serviceaccounts "gone" not found',
  },
  {
    name: "its account was deleted and recreated (new uid)",
    token: async () => {
      const old = await createServiceAccount(s, "default", "reborn");
      const token = await tokenFor(s, "default", "reborn");
      await s.json("DELETE", "/api/v1/namespaces/default/serviceaccounts/reborn");
      const recreated = await createServiceAccount(s, "default", "reborn");
      expect(recreated.metadata.uid).not.toBe(old.metadata.uid);
      return token;
    },
    error: /^service account UID \(.+\) does not match claim \(.+\)$/,
  },
  {
    name: "its signature was tampered with",
    token: async () => {
      await createServiceAccount(s, "default", "tampered");
      return tamperSignature(await tokenFor(s, "default", "tampered"));
    },
    error: "go-jose/go-jose: error in cryptographic primitive",
  },
  {
    name: "its claims were edited (another account) under the original signature",
    token: async () => {
      await createServiceAccount(s, "default", "victim");
      const [header, , signature] = (await tokenFor(s, "default", "victim")).split(".");
      const forged = { ...(await boundClaims("attacker")), exp: now() + 3600 };
      return `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`;
    },
    error: "go-jose/go-jose: error in cryptographic primitive",
  },
  {
    name: "signed by a key that is not the cluster's",
    token: async () => {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const claims = { ...(await boundClaims("foreign")), iat: now(), exp: now() + 3600 };
      return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "someone-else" }).sign(privateKey);
    },
    error: "invalid signature, no keys found",
  },
  {
    name: "bound to a pod that was deleted",
    token: async () => {
      await createServiceAccount(s, "default", "pod-runner");
      const p = await create(s, "/api/v1/namespaces/default/pods", pod("bound-pod", "pod-runner"));
      const token = await tokenFor(s, "default", "pod-runner", { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "bound-pod", uid: p.metadata.uid } });
      await s.json("DELETE", "/api/v1/namespaces/default/pods/bound-pod", { body: { gracePeriodSeconds: 0 } });
      return token;
    },
    error: "service account token has been invalidated",
  },
  {
    name: "bound to a secret that was deleted",
    token: async () => {
      await createServiceAccount(s, "default", "secret-holder");
      await create(s, "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "anchor" } });
      const token = await tokenFor(s, "default", "secret-holder", { boundObjectRef: { kind: "Secret", apiVersion: "v1", name: "anchor" } });
      await s.json("DELETE", "/api/v1/namespaces/default/secrets/anchor");
      return token;
    },
    error: "service account token has been invalidated",
  },
  {
    name: "bound to a node that was deleted",
    token: async () => {
      await createServiceAccount(s, "default", "node-agent");
      await create(s, "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "doomed-node" } });
      const token = await tokenFor(s, "default", "node-agent", { boundObjectRef: { kind: "Node", apiVersion: "v1", name: "doomed-node" } });
      await s.json("DELETE", "/api/v1/nodes/doomed-node");
      return token;
    },
    error: "service account token has been invalidated",
  },
  {
    name: "from an issuer kapi does not know",
    token: async () => signWithServerKey(s.dataDir, { ...(await boundClaims("elsewhere")), iss: "https://issuer.example", exp: now() + 3600 }),
    error: "invalid bearer token",
  },
  { name: "not a JWT at all", token: async () => "not-a-token", error: "invalid bearer token" },
];

describe("rejected service-account tokens → 401 Unauthorized, and TokenReview says why", () => {
  for (const c of rejected) {
    test(c.name, async () => {
      const token = await c.token();
      const res = await withToken(s, token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthorizedBody);
      const status = await review(s, token);
      expect(status.authenticated).toBeUndefined();
      expect(status.user).toEqual({});
      if (typeof c.error === "string") expect(status.error).toBe(c.error);
      else expect(status.error).toMatch(c.error);
    });
  }
});

describe("accepted service-account tokens", () => {
  test("a fresh TokenRequest token authenticates as the account (403 names it: authorization comes next)", async () => {
    const sa = await createServiceAccount(s, "default", "reader");
    const token = await tokenFor(s, "default", "reader");
    const res = await withToken(s, token);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:reader"));
    const status = await review(s, token);
    expect(status).toEqual({
      authenticated: true,
      user: {
        username: "system:serviceaccount:default:reader",
        uid: sa.metadata.uid,
        groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
        extra: { "authentication.kubernetes.io/credential-id": [`JTI=${claimsOf(token).jti}`] },
      },
      audiences: [apiAudience],
    });
  });

  test("a token that expired less than a minute ago is still accepted (go-jose's clock-skew leeway)", async () => {
    const token = await signWithServerKey(s.dataDir, { ...(await boundClaims("skewed")), iat: now() - 3600, exp: now() - 20 });
    expect((await withToken(s, token)).body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:skewed"));
  });

  test("a token for another audience is valid for that audience in TokenReview", async () => {
    await createServiceAccount(s, "default", "vault-user");
    const token = await tokenFor(s, "default", "vault-user", { audiences: ["vault", "other"] });
    const status = await review(s, token, ["vault"]);
    expect(status.authenticated).toBe(true);
    expect(status.audiences).toEqual(["vault"]);
    expect(status.user.username).toBe("system:serviceaccount:default:vault-user");
  });

  test("a pod-bound token carries the pod (and its node) in extra", async () => {
    await createServiceAccount(s, "default", "on-node");
    const node = await create(s, "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "worker-1" } });
    const p = await create(s, "/api/v1/namespaces/default/pods", { ...pod("placed", "on-node"), spec: { ...pod("placed", "on-node").spec, nodeName: "worker-1" } });
    const token = await tokenFor(s, "default", "on-node", { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "placed" } });
    expect(claimsOf(token)["kubernetes.io"]).toEqual({
      namespace: "default",
      node: { name: "worker-1", uid: node.metadata.uid },
      pod: { name: "placed", uid: p.metadata.uid },
      serviceaccount: { name: "on-node", uid: expect.any(String) },
    });
    const status = await review(s, token);
    expect(status.user.extra).toEqual({
      "authentication.kubernetes.io/pod-name": ["placed"],
      "authentication.kubernetes.io/pod-uid": [p.metadata.uid],
      "authentication.kubernetes.io/credential-id": [`JTI=${claimsOf(token).jti}`],
      "authentication.kubernetes.io/node-name": ["worker-1"],
      "authentication.kubernetes.io/node-uid": [node.metadata.uid],
    });
  });

  test("a token with a wrong or empty Bearer scheme is no credential at all: the request is anonymous", async () => {
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  two-spaces"]) {
      const res = await s.json("GET", "/api/v1/namespaces/default/pods", { as: "anonymous", headers: { authorization } });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe(forbiddenPodsFor("system:anonymous"));
    }
  });

  test("the scheme is case-insensitive", async () => {
    await createServiceAccount(s, "default", "lowercase");
    const token = await tokenFor(s, "default", "lowercase");
    const res = await s.json("GET", "/api/v1/namespaces/default/pods", { as: "anonymous", headers: { authorization: `bearer ${token}` } });
    expect(res.body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:lowercase"));
  });
});
