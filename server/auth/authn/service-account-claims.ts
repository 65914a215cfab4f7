// Validation of service-account token claims against the objects they name, for bound
// (TokenRequest) and legacy (Secret) tokens. Runs after the signature and audience checks.
import type { KubeObject } from "../../registry/resource-type.ts";
import { splitServiceAccountUsername, type ServiceAccountInfo } from "./service-account-user.ts";
import { TokenError } from "./token-types.ts";

/** Reads a current object; throws (a 404 Status) when it does not exist. */
export type ObjectLookup = (resource: "serviceaccounts" | "secrets" | "pods" | "nodes", namespace: string, name: string) => Promise<KubeObject>;

interface Ref {
  name?: string;
  uid?: string;
}

const invalidated = "service account token has been invalidated";
const legacyInvalidSinceLabel = "kubernetes.io/legacy-token-invalid-since";

/** Checks a bound token's `kubernetes.io` claim; objects deleted before `deletedBefore` (ms) count as gone. */
export async function validateBoundClaims(claims: Record<string, any>, lookup: ObjectLookup, deletedBefore: number): Promise<ServiceAccountInfo> {
  const kube = (claims["kubernetes.io"] ?? {}) as { namespace?: string; serviceaccount?: Ref; pod?: Ref; secret?: Ref; node?: Ref };
  const namespace = kube.namespace ?? "";
  const saRef = kube.serviceaccount ?? {};
  const sa = await lookup("serviceaccounts", namespace, saRef.name ?? "").catch((err) => {
    throw new TokenError((err as Error).message);
  });
  if (deletedSince(sa, deletedBefore)) throw new TokenError(`service account ${namespace}/${saRef.name} has been deleted`);
  if (sa.metadata.uid !== saRef.uid) throw new TokenError(`service account UID (${sa.metadata.uid}) does not match claim (${saRef.uid ?? ""})`);

  if (kube.secret) await checkBound(lookup, "secrets", namespace, kube.secret, deletedBefore, "secret UID (%s) does not match service account secret ref claim (%s)");
  const info: ServiceAccountInfo = { namespace, name: saRef.name ?? "", uid: saRef.uid ?? "" };
  if (kube.pod) {
    await checkBound(lookup, "pods", namespace, kube.pod, deletedBefore, "pod UID (%s) does not match service account pod ref claim (%s)");
    info.podName = kube.pod.name;
    info.podUid = kube.pod.uid;
  }
  if (kube.node) {
    // A pod-bound token only reports the node it was issued for; a node-bound one is checked.
    if (!kube.pod) await checkBound(lookup, "nodes", "", kube.node, deletedBefore, "node UID (%s) does not match service account node ref claim (%s)");
    info.nodeName = kube.node.name;
    info.nodeUid = kube.node.uid;
  }
  if (typeof claims.jti === "string" && claims.jti) info.credentialId = `JTI=${claims.jti}`;
  return info;
}

/** Records that a legacy token Secret was used (the `kubernetes.io/legacy-token-last-used` label). */
export type MarkUsed = (secret: KubeObject) => Promise<void>;

/** Checks a legacy Secret token: the Secret must still hold exactly this token for a live account. */
export async function validateLegacyClaims(claims: Record<string, any>, token: string, lookup: ObjectLookup, markUsed?: MarkUsed): Promise<ServiceAccountInfo> {
  const namespace = stringClaim(claims, "kubernetes.io/serviceaccount/namespace");
  const secretName = stringClaim(claims, "kubernetes.io/serviceaccount/secret.name");
  const name = stringClaim(claims, "kubernetes.io/serviceaccount/service-account.name");
  const uid = stringClaim(claims, "kubernetes.io/serviceaccount/service-account.uid");
  if (!claims.sub) throw new TokenError("sub claim is missing");
  if (!namespace) throw new TokenError("namespace claim is missing");
  if (!secretName) throw new TokenError("secretName claim is missing");
  if (!name) throw new TokenError("serviceAccountName claim is missing");
  if (!uid) throw new TokenError("serviceAccountUID claim is missing");
  const subject = splitServiceAccountUsername(String(claims.sub));
  if (!subject || subject.namespace !== namespace || subject.name !== name) throw new TokenError("sub claim is invalid");

  const secret = await lookup("secrets", namespace, secretName).catch(() => {
    throw new TokenError("Token has been invalidated");
  });
  if (secret.metadata.deletionTimestamp) throw new TokenError("Token has been invalidated");
  const stored = typeof secret.data?.token === "string" ? Buffer.from(secret.data.token, "base64").toString("utf8") : "";
  if (stored !== token) throw new TokenError("Token does not match server's copy");
  const sa = await lookup("serviceaccounts", namespace, name).catch((err) => {
    throw new TokenError((err as Error).message);
  });
  if (sa.metadata.deletionTimestamp) throw new TokenError(`ServiceAccount ${namespace}/${name} has been deleted`);
  if (sa.metadata.uid !== uid) throw new TokenError(`ServiceAccount UID (${sa.metadata.uid}) does not match claim (${uid})`);
  await markUsed?.(secret);
  if (secret.metadata.labels?.[legacyInvalidSinceLabel]) {
    throw new TokenError(
      `the token in secret ${namespace}/${secretName} for service account ${namespace}/${name} has been marked invalid. ` +
        `Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${legacyInvalidSinceLabel}' label from the secret to temporarily allow use of this token`,
    );
  }
  return { namespace, name, uid };
}

async function checkBound(lookup: ObjectLookup, resource: "secrets" | "pods" | "nodes", namespace: string, ref: Ref, deletedBefore: number, mismatch: string): Promise<void> {
  const obj = await lookup(resource, namespace, ref.name ?? "").catch(() => {
    throw new TokenError(invalidated);
  });
  if (deletedSince(obj, deletedBefore)) throw new TokenError(invalidated);
  if (obj.metadata.uid !== ref.uid) throw new TokenError(mismatch.replace("%s", obj.metadata.uid).replace("%s", ref.uid ?? ""));
}

function deletedSince(obj: KubeObject, before: number): boolean {
  const at = obj.metadata.deletionTimestamp;
  return typeof at === "string" && Date.parse(at) < before;
}

function stringClaim(claims: Record<string, any>, key: string): string {
  return typeof claims[key] === "string" ? claims[key] : "";
}
