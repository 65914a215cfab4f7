// Request authentication end to end: client certificates, static tokens, anonymous requests
// (on and off), impersonation and the SelfSubjectReview / TokenReview answers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiAudience, forbiddenPodsFor, review, startAuthnServer, unauthorizedBody, withToken, type AuthnServer } from "./helpers.ts";

const tokenFile = [
  "admin-token,root,uid-root,system:masters",
  'dev-token,jane,uid-jane,"developers,qa"',
  "plain-token,joe,uid-joe",
  "",
].join("\n");

let s: AuthnServer;
let closed: AuthnServer;
let tokenDir: string;
beforeAll(async () => {
  tokenDir = mkdtempSync(join(tmpdir(), "kapi-tokens-"));
  writeFileSync(join(tokenDir, "tokens.csv"), tokenFile);
  s = await startAuthnServer({ tokenAuthFile: join(tokenDir, "tokens.csv") });
  closed = await startAuthnServer({ anonymousAuth: false });
});
afterAll(async () => {
  await s.close();
  await closed.close();
  rmSync(tokenDir, { recursive: true, force: true });
});

const ssr = (version: string) => ({ apiVersion: `authentication.k8s.io/${version}`, kind: "SelfSubjectReview", metadata: { creationTimestamp: null }, status: { userInfo: {} } });

describe("static tokens (--token-auth-file)", () => {
  test("a token in the file authenticates as its user, uid and groups", async () => {
    const res = await s.json("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { as: "anonymous", headers: { authorization: "Bearer admin-token" }, body: ssr("v1") });
    expect(res.status).toBe(201);
    expect(res.body.status.userInfo).toEqual({ username: "root", uid: "uid-root", groups: ["system:masters", "system:authenticated"] });
  });

  test("quoted group lists and missing groups", async () => {
    expect((await review(s, "dev-token")).user).toEqual({ username: "jane", uid: "uid-jane", groups: ["developers", "qa", "system:authenticated"] });
    expect((await review(s, "plain-token")).user).toEqual({ username: "joe", uid: "uid-joe", groups: ["system:authenticated"] });
    expect((await withToken(s, "plain-token")).body.message).toBe(forbiddenPodsFor("joe"));
  });

  test("an unknown token → 401, never anonymous", async () => {
    const res = await withToken(s, "no-such-token");
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorizedBody);
    expect(await review(s, "no-such-token")).toEqual({ user: {}, error: "invalid bearer token" });
  });

  test("static tokens are valid only for the API audience", async () => {
    expect((await review(s, "dev-token", ["vault"])).authenticated).toBeUndefined();
    expect((await review(s, "dev-token", ["vault", apiAudience])).audiences).toEqual([apiAudience]);
  });
});

describe("anonymous requests", () => {
  test("with anonymous auth on (the default) a request without credentials is system:anonymous", async () => {
    const res = await s.json("GET", "/api/v1/namespaces/default/pods", { as: "anonymous" });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(forbiddenPodsFor("system:anonymous"));
    expect((await s.request("GET", "/healthz", { as: "anonymous" })).status).toBe(200);
  });

  test("with --anonymous-auth=false every request without credentials → 401, health and version included", async () => {
    for (const path of ["/api/v1/namespaces/default/pods", "/healthz", "/version", "/api"]) {
      const res = await closed.json("GET", path, { as: "anonymous" });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthorizedBody);
    }
    expect((await closed.json("GET", "/api/v1/namespaces/default/pods")).status).toBe(200);
  });
});

describe("SelfSubjectReview", () => {
  for (const version of ["v1", "v1beta1", "v1alpha1"]) {
    test(`${version} answers 201 with the caller's userInfo`, async () => {
      const res = await s.json("POST", `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, { body: ssr(version) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: "SelfSubjectReview", apiVersion: `authentication.k8s.io/${version}` });
      expect(res.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(res.body.status.userInfo).toEqual({ username: "kubernetes-admin", groups: ["system:masters", "system:authenticated"] });
    });
  }

  test("a body for another version is refused", async () => {
    const res = await s.json("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { body: ssr("v1beta1") });
    expect(res.status).toBe(400);
  });
});

describe("TokenReview", () => {
  test("a review without a token → 400", async () => {
    const res = await s.json("POST", "/apis/authentication.k8s.io/v1/tokenreviews", { body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: {} } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("token is required for TokenReview in authentication");
  });
});

describe("impersonation end to end", () => {
  test("the admin acting as alice is authorized as alice", async () => {
    const res = await s.json("GET", "/api/v1/namespaces/default/pods", { headers: { "Impersonate-User": "alice" } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(forbiddenPodsFor("alice"));
  });

  test("SelfSubjectReview reports the impersonated user", async () => {
    const res = await s.json("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      body: ssr("v1"),
      headers: { "Impersonate-User": "alice", "Impersonate-Group": "system:masters", "Impersonate-Uid": "42", "Impersonate-Extra-Reason": "audit" },
    });
    expect(res.body.status.userInfo).toEqual({ username: "alice", uid: "42", groups: ["system:masters", "system:authenticated"], extra: { reason: ["audit"] } });
  });

  test("a caller without the impersonate permission → 403 naming the user to impersonate", async () => {
    const res = await s.json("GET", "/api/v1/namespaces/default/pods", { as: { user: "bob", groups: ["devs"] }, headers: { "Impersonate-User": "alice" } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: "Forbidden",
      message: 'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: "alice", kind: "users" },
    });
  });

  test("a group without a user → 400", async () => {
    const res = await s.json("GET", "/api/v1/namespaces/default/pods", { headers: { "Impersonate-Group": "devs" } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("requested [{Group  devs    }] without impersonating a user");
  });

  test("a token user can impersonate too (the check is on the authenticated caller)", async () => {
    const res = await s.json("GET", "/api/v1/namespaces/default/pods", { as: "anonymous", headers: { authorization: "Bearer dev-token", "Impersonate-User": "alice" } });
    expect(res.body.message).toBe('users "alice" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope');
  });
});
