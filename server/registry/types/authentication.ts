// authentication.k8s.io: TokenReview (v1) and SelfSubjectReview (v1, v1beta1, v1alpha1).
// Both are create-only reviews answered in code; nothing is stored. kubectl 1.27's
// `auth whoami` starts at v1beta1, so the older versions are served besides v1.
import { badRequest } from "../../../api/status.ts";
import type { UserInfo } from "../../auth/user.ts";
import { authenticationOf } from "../../auth/authn/context.ts";
import { withAuthenticatedGroup } from "../../auth/authenticator.ts";
import { TokenError } from "../../auth/authn/token-types.ts";
import { decodeTyped } from "../../handlers/resource.ts";
import { negotiateOutput } from "../../http/negotiation.ts";
import { objectResponse } from "../../http/respond.ts";
import { nowTimestamp } from "../object-meta.ts";
import { apiVersionOf, type CustomCall, type ResourceType } from "../resource-type.ts";

const group = "authentication.k8s.io";

/** `status.userInfo` / `status.user`: the API's UserInfo shape. */
export function userInfoOf(user: UserInfo): Record<string, unknown> {
  const info: Record<string, unknown> = { username: user.name };
  if (user.uid) info.uid = user.uid;
  if (user.groups.length) info.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) info.extra = user.extra;
  return info;
}

async function selfSubjectReview({ t, request, user }: CustomCall): Promise<Response> {
  await decodeTyped(t, request);
  const review = {
    kind: "SelfSubjectReview",
    apiVersion: apiVersionOf(t),
    metadata: { creationTimestamp: nowTimestamp() },
    status: { userInfo: userInfoOf(user) },
  };
  return objectResponse(201, review, negotiateOutput(request.headers.get("accept"), { allowTable: false }));
}

async function tokenReview({ ctx, t, request }: CustomCall): Promise<Response> {
  const review = await decodeTyped(t, request);
  const spec = review.spec && typeof review.spec === "object" ? review.spec : {};
  if (typeof spec.token !== "string" || !spec.token) throw badRequest("token is required for TokenReview in authentication");
  const audiences: string[] | undefined = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : undefined;
  // `authenticated: false` is omitted on the wire (omitempty); `user` never is.
  let status: Record<string, unknown>;
  try {
    const result = await authenticationOf(ctx.catalog).authenticateToken(spec.token, audiences);
    status = { authenticated: true, user: userInfoOf(withAuthenticatedGroup(result.user)), audiences: result.audiences };
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    status = { user: {}, error: err.message };
  }
  const body = { kind: "TokenReview", apiVersion: apiVersionOf(t), metadata: { ...review.metadata, creationTimestamp: review.metadata.creationTimestamp ?? null }, spec, status };
  return objectResponse(201, body, negotiateOutput(request.headers.get("accept"), { allowTable: false }));
}

function review(kind: string, resource: string, version: string, custom: ResourceType["custom"]): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    resource,
    singular: resource.replace(/s$/, ""),
    namespaced: false,
    subresources: [],
    verbs: ["create"],
    custom,
  };
}

/** The authentication types this server serves (v1 first: it is the preferred version). */
export const authenticationTypes: ResourceType[] = [
  review("SelfSubjectReview", "selfsubjectreviews", "v1", selfSubjectReview),
  review("TokenReview", "tokenreviews", "v1", tokenReview),
  review("SelfSubjectReview", "selfsubjectreviews", "v1beta1", selfSubjectReview),
  review("SelfSubjectReview", "selfsubjectreviews", "v1alpha1", selfSubjectReview),
];
