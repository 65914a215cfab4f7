// Shared helpers of the authentication tests: an in-process server with a data dir (so the
// test can read the service-account signing key), token requests, and bearer calls.
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import type { CoreOptions } from "../../server/index.ts";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";

/** The 401 body kube-apiserver sends for failed authentication. */
export const unauthorizedBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 };

/** The cluster's default API audience and issuer. */
export const apiAudience = "https://kubernetes.default.svc.cluster.local";

/** An in-process server whose data dir (and so signing key) the test can see. */
export interface AuthnServer extends InProcessServer {
  dataDir: string;
}

/** Starts an in-process server with its own data dir; extra core options may be given. */
export async function startAuthnServer(options: Partial<CoreOptions> = {}): Promise<AuthnServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "kapi-authn-"));
  const s = await startInProcessServer(undefined, { dataDir, ...options });
  return {
    ...s,
    dataDir,
    async close() {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined); fails after many attempts. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await Bun.sleep(5);
  }
  throw new Error(`never happened: ${what}`);
}

/** Creates a namespaced object as the admin and returns it. */
export async function create(s: InProcessServer, path: string, body: Record<string, unknown>): Promise<any> {
  const res = await s.json("POST", path, { body });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a ServiceAccount in a namespace. */
export function createServiceAccount(s: InProcessServer, namespace: string, name: string): Promise<any> {
  return create(s, `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name } });
}

/** POSTs a TokenRequest (as the admin) and returns the raw answer. */
export function requestToken(s: InProcessServer, namespace: string, account: string, spec: Record<string, unknown> = {}) {
  const body = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: { creationTimestamp: null }, spec };
  return s.json("POST", `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, { body });
}

/** A token from a successful TokenRequest. */
export async function tokenFor(s: InProcessServer, namespace: string, account: string, spec: Record<string, unknown> = {}): Promise<string> {
  const res = await requestToken(s, namespace, account, spec);
  if (res.status !== 201) throw new Error(`TokenRequest: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.status.token;
}

/** A request carrying only a bearer token (no client certificate). */
export function withToken(s: InProcessServer, token: string, method = "GET", path = "/api/v1/namespaces/default/pods", body?: unknown) {
  return s.json(method, path, { as: "anonymous", headers: { authorization: `Bearer ${token}` }, body });
}

/** Reviews a token as the admin and returns `status`. */
export async function review(s: InProcessServer, token: string, audiences?: string[]): Promise<any> {
  const res = await s.json("POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token, audiences } },
  });
  if (res.status !== 201) throw new Error(`TokenReview: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.status;
}

/** The decoded payload of a JWT. */
export function claimsOf(token: string): any {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

/** Signs arbitrary claims with the server's own key (as only someone holding sa.key could). */
export async function signWithServerKey(dataDir: string, claims: Record<string, unknown>): Promise<string> {
  const key = createPrivateKey(readFileSync(join(dataDir, "pki", "sa.key"), "utf8"));
  const kid = createHash("sha256").update(createPublicKey(key).export({ type: "spki", format: "der" })).digest("base64url");
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).sign(key);
}

/** The 403 message for a service account listing pods in `namespace` (proves who was authenticated). */
export function forbiddenPodsFor(user: string, namespace = "default"): string {
  return `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "${namespace}"`;
}
