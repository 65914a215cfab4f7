// Service-account JWTs: issuing bound tokens (TokenRequest) and legacy Secret tokens, and
// authenticating either on every request. A token is only as good as the objects it names:
// the account (and the pod, secret or node it is bound to) must still exist with the same uid.
import { randomUUID } from "node:crypto";
import type { KubeObject } from "../../registry/resource-type.ts";
import type { SigningKey } from "./sa-key.ts";
import { apiAudiences, legacyIssuer, serviceAccountIssuer, serviceAccountUser, type ServiceAccountInfo } from "./service-account-user.ts";
import { validateBoundClaims, validateLegacyClaims, type MarkUsed, type ObjectLookup } from "./service-account-claims.ts";
import { TokenError, type TokenResponse } from "./token-types.ts";

/** What a TokenRequest asks for, with the objects already looked up. */
export interface BoundTokenSpec {
  serviceAccount: KubeObject;
  audiences: string[];
  expirationSeconds: number;
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
}

/** Issues and validates service-account tokens with one signing key. */
export interface ServiceAccountTokens {
  /** A bound token and when it expires. */
  issue(spec: BoundTokenSpec): Promise<{ token: string; expiresAt: Date }>;
  /** A non-expiring legacy token for a `kubernetes.io/service-account-token` Secret. */
  issueLegacy(serviceAccount: KubeObject, secretName: string): Promise<string>;
  /** Authenticates a token for `audiences`; null when the token is not a service-account JWT. */
  authenticate(token: string, audiences?: string[]): Promise<TokenResponse | null>;
}

/** go-jose's default clock skew allowance for exp, nbf and iat. */
const leewaySeconds = 60;

/** Builds the issuer/validator over a key and a way to read current objects. */
export function serviceAccountTokens(key: SigningKey, lookup: ObjectLookup, markUsed?: MarkUsed): ServiceAccountTokens {
  return {
    async issue(spec) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + spec.expirationSeconds;
      const sa = spec.serviceAccount.metadata;
      const kube: Record<string, unknown> = { namespace: sa.namespace };
      if (spec.node) kube.node = ref(spec.node);
      if (spec.pod) kube.pod = ref(spec.pod);
      if (spec.secret) kube.secret = ref(spec.secret);
      kube.serviceaccount = ref(spec.serviceAccount);
      // Keys in the order Go writes the merged claims map (sorted), so tokens look like upstream's.
      const claims = {
        aud: spec.audiences,
        exp,
        iat: now,
        iss: serviceAccountIssuer,
        jti: randomUUID(),
        "kubernetes.io": kube,
        nbf: now,
        sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      };
      return { token: await sign(key, claims), expiresAt: new Date(exp * 1000) };
    },

    issueLegacy(serviceAccount, secretName) {
      const sa = serviceAccount.metadata;
      return sign(key, {
        iss: legacyIssuer,
        "kubernetes.io/serviceaccount/namespace": sa.namespace,
        "kubernetes.io/serviceaccount/secret.name": secretName,
        "kubernetes.io/serviceaccount/service-account.name": sa.name,
        "kubernetes.io/serviceaccount/service-account.uid": sa.uid,
        sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      });
    },

    async authenticate(token, audiences = apiAudiences) {
      const unverified = unverifiedIssuer(token);
      if (unverified !== serviceAccountIssuer && unverified !== legacyIssuer) return null;
      const claims = await verifiedClaims(key, token);
      if (claims.iss !== unverified) throw new TokenError(`token issuer ${JSON.stringify(claims.iss)} is invalid`);
      // Legacy tokens carry no audience: they are good for the API server's own audiences only.
      const tokenAudiences = audienceList(claims.aud).length ? audienceList(claims.aud) : apiAudiences;
      const granted = tokenAudiences.filter((a) => audiences.includes(a));
      if (!granted.length) {
        throw new TokenError(`token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(audiences)}`);
      }
      let info: ServiceAccountInfo;
      if (claims.iss === legacyIssuer) {
        info = await validateLegacyClaims(claims, token, lookup, markUsed);
      } else {
        checkTimes(claims, Math.floor(Date.now() / 1000));
        info = await validateBoundClaims(claims, lookup, Date.now() - leewaySeconds * 1000);
      }
      return { user: serviceAccountUser(info), audiences: granted };
    },
  };
}

function ref(obj: KubeObject): { name: string; uid: string } {
  return { name: obj.metadata.name, uid: obj.metadata.uid };
}

// jose is loaded with the first token issued or checked: most servers never see one, and it
// would otherwise be part of every server's start-up and idle memory.
async function sign(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  const { SignJWT } = await import("jose");
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
}

/** The `iss` of a compact JWS without checking anything (to pick the authenticator). */
function unverifiedIssuer(token: string): string | undefined {
  if (token.trimStart().startsWith("{")) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload?.iss === "string" ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

async function verifiedClaims(key: SigningKey, token: string): Promise<Record<string, any>> {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8"));
  } catch {
    throw new TokenError("go-jose/go-jose: compact JWS format must have three parts");
  }
  if (typeof header.kid === "string" && header.kid !== "" && header.kid !== key.kid) throw new TokenError("invalid signature, no keys found");
  let payload: Uint8Array;
  const { compactVerify } = await import("jose");
  try {
    ({ payload } = await compactVerify(token, key.publicKey, { algorithms: [key.alg] }));
  } catch {
    throw new TokenError("go-jose/go-jose: error in cryptographic primitive");
  }
  const claims = JSON.parse(new TextDecoder().decode(payload));
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) throw new TokenError("go-jose/go-jose: invalid claims");
  return claims;
}

function audienceList(aud: unknown): string[] {
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

function checkTimes(claims: Record<string, any>, now: number): void {
  if (typeof claims.exp === "number" && now - leewaySeconds > claims.exp) throw new TokenError("service account token has expired");
  if (typeof claims.nbf === "number" && now + leewaySeconds < claims.nbf) throw new TokenError("service account token is not valid yet");
  if (typeof claims.iat === "number" && now + leewaySeconds < claims.iat) throw new TokenError("service account token is issued in the future");
}
