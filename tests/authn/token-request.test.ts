// The TokenRequest API (`serviceaccounts/NAME/token`): defaults, validation and binding, with
// kube-apiserver's codes and messages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiAudience, claimsOf, create, createServiceAccount, requestToken, review, startAuthnServer, type AuthnServer } from "./helpers.ts";

let s: AuthnServer;
beforeAll(async () => {
  s = await startAuthnServer();
  await createServiceAccount(s, "default", "builder");
  await create(s, "/api/v1/namespaces/default/pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "other-sa-pod" },
    spec: { serviceAccountName: "someone-else", containers: [{ name: "c", image: "nginx" }] },
  });
  await create(s, "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "anchor" } });
});
afterAll(() => s.close());

describe("TokenRequest", () => {
  test("kubectl's empty spec (explicit nulls) gets one hour for the API audience", async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await requestToken(s, "default", "builder", { audiences: null, expirationSeconds: null, boundObjectRef: null });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { namespace: "default" },
      spec: { audiences: [apiAudience], expirationSeconds: 3600 },
    });
    expect(res.body.spec.boundObjectRef).toBeUndefined();
    const claims = claimsOf(res.body.status.token);
    expect(claims.iss).toBe(apiAudience);
    expect(claims.aud).toEqual([apiAudience]);
    expect(claims.sub).toBe("system:serviceaccount:default:builder");
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.nbf).toBe(claims.iat);
    expect(res.body.status.expirationTimestamp).toBe(new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"));
  });

  test("audiences and duration are honoured (kubectl create token --duration=10m --audience=a1 --audience=a2)", async () => {
    const res = await requestToken(s, "default", "builder", { audiences: ["a1", "a2"], expirationSeconds: 600 });
    expect(res.status).toBe(201);
    const claims = claimsOf(res.body.status.token);
    expect(claims.aud).toEqual(["a1", "a2"]);
    expect(claims.exp - claims.iat).toBe(600);
  });

  const failures: { name: string; account?: string; spec: Record<string, unknown>; code: number; reason: string; message: string }[] = [
    {
      name: "less than ten minutes → 422",
      spec: { expirationSeconds: 60 },
      code: 422,
      reason: "Invalid",
      message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    },
    {
      name: "more than 2^32 seconds → 422",
      spec: { expirationSeconds: 2 ** 32 + 1 },
      code: 422,
      reason: "Invalid",
      message: `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: ${2 ** 32 + 1}: may not specify a duration larger than 2^32 seconds`,
    },
    { name: "an account that does not exist → 404", account: "nobody", spec: {}, code: 404, reason: "NotFound", message: 'serviceaccounts "nobody" not found' },
    {
      name: "a pod that does not exist → 404",
      spec: { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "nginx" } },
      code: 404,
      reason: "NotFound",
      message: 'pods "nginx" not found',
    },
    {
      name: "a pod running as another account → 400",
      spec: { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "other-sa-pod" } },
      code: 400,
      reason: "BadRequest",
      message: 'cannot bind token for serviceaccount "builder" to pod running with different serviceaccount name.',
    },
    {
      name: "an object kind tokens cannot be bound to → 400",
      spec: { boundObjectRef: { kind: "Deployment", apiVersion: "apps/v1", name: "web" } },
      code: 400,
      reason: "BadRequest",
      message: "cannot bind token to object of type apps/v1, Kind=Deployment",
    },
    {
      name: "a bound object whose uid differs (deleted and recreated) → 409",
      spec: { boundObjectRef: { kind: "Secret", apiVersion: "v1", name: "anchor", uid: "0000" } },
      code: 409,
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on Secret "anchor": the UID in the bound object reference (0000) does not match the UID in record. The object might have been deleted and then recreated',
    },
    {
      name: "a non-integer duration → 400",
      spec: { expirationSeconds: "1h" },
      code: 400,
      reason: "BadRequest",
      message:
        'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64',
    },
  ];
  for (const f of failures) {
    test(f.name, async () => {
      const res = await requestToken(s, "default", f.account ?? "builder", f.spec);
      expect(res.status).toBe(f.code);
      expect(res.body).toMatchObject({ kind: "Status", status: "Failure", code: f.code, reason: f.reason, message: f.message });
    });
  }

  test("a secret-bound token names the secret in its claims", async () => {
    const res = await requestToken(s, "default", "builder", { boundObjectRef: { kind: "Secret", apiVersion: "v1", name: "anchor" } });
    expect(res.status).toBe(201);
    expect(res.body.spec.boundObjectRef).toEqual({ kind: "Secret", apiVersion: "v1", name: "anchor" });
    expect(claimsOf(res.body.status.token)["kubernetes.io"].secret).toEqual({ name: "anchor", uid: expect.any(String) });
  });

  test("a node-bound token names the node, and reviews report it", async () => {
    const node = await create(s, "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "edge-1" } });
    const res = await requestToken(s, "default", "builder", { boundObjectRef: { kind: "Node", apiVersion: "v1", name: "edge-1" } });
    expect(res.status).toBe(201);
    const kube = claimsOf(res.body.status.token)["kubernetes.io"];
    expect(kube.node).toEqual({ name: "edge-1", uid: node.metadata.uid });
    expect(kube.pod).toBeUndefined();
    const status = await review(s, res.body.status.token);
    expect(status.user.extra["authentication.kubernetes.io/node-name"]).toEqual(["edge-1"]);
    expect(status.user.extra["authentication.kubernetes.io/node-uid"]).toEqual([node.metadata.uid]);
  });

  test("only create is served, and discovery lists the subresource under authentication.k8s.io/v1", async () => {
    const get = await s.json("GET", "/api/v1/namespaces/default/serviceaccounts/builder/token");
    expect(get.status).toBe(405);
    const list = await s.json("GET", "/api/v1");
    expect(list.body.resources.find((r: any) => r.name === "serviceaccounts/token")).toEqual({
      name: "serviceaccounts/token",
      singularName: "",
      namespaced: true,
      group: "authentication.k8s.io",
      version: "v1",
      kind: "TokenRequest",
      verbs: ["create"],
    });
  });
});
