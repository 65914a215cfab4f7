// The authorization filter: every request, resource or not, is decided by RBAC (with the
// privileged group system:masters allowed everything) and refused with kube-apiserver's
// Forbidden wording when nothing allows it.
import { forbidden, StatusError } from "../../api/status.ts";
import type { Store } from "../../store/index.ts";
import type { RequestInfo } from "../request-info.ts";
import { rbacOf, type Attributes, type Decision, type Rbac } from "./rbac/index.ts";
import type { UserInfo } from "./user.ts";

export type { Attributes, Decision };

/** Decides a request; throws a 403 Status with upstream wording when it is not allowed. */
export type Authorize = (user: UserInfo, info: RequestInfo) => Promise<void>;

/** Builds the authorization filter over the server's RBAC (see startRbac). */
export function createAuthorizer(rbac: Rbac): Authorize {
  return async (user, info) => {
    const decision = await rbac.authorize(attributesOf(user, info));
    if (!decision.allowed) throw forbiddenFor(user, info, decision.reason);
  };
}

/** Decides arbitrary attributes (impersonation targets, access reviews) with the RBAC of the server owning `store`. */
export function authorizeAttributes(store: Store, attrs: Attributes): Promise<Decision> {
  return rbacOf(store).authorize(attrs);
}

/** The authorizer attributes of a parsed request. */
export function attributesOf(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    namespace: info.namespace,
  };
}

/**
 * The Forbidden error kube-apiserver returns for a denied request, e.g.
 * `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`,
 * with the authorizer's reason appended after `: ` when there is one.
 */
export function forbiddenFor(user: UserInfo, info: Pick<RequestInfo, "isResourceRequest" | "verb" | "path" | "apiGroup" | "resource" | "subresource" | "name" | "namespace">, reason = ""): StatusError {
  const suffix = reason ? `: ${reason}` : "";
  if (!info.isResourceRequest) {
    return new StatusError(403, "Forbidden", `forbidden: User ${q(user.name)} cannot ${info.verb} path ${q(info.path)}${suffix}`, {});
  }
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const scope = info.namespace ? ` in the namespace ${q(info.namespace)}` : " at the cluster scope";
  const why = `User ${q(user.name)} cannot ${info.verb} resource ${q(resource)} in API group ${q(info.apiGroup)}${scope}${suffix}`;
  return forbidden({ group: info.apiGroup, resource: info.resource }, info.name, why);
}

/** Go's %q for the plain strings these messages quote. */
function q(value: string): string {
  return JSON.stringify(value);
}
