// Decides whether a user may perform a request. Until RBAC lands this grants what
// kube-apiserver's bootstrap policy grants without any bindings: everything to
// system:masters, and health, version and discovery to everyone.
import { forbidden, StatusError } from "../../api/status.ts";
import type { RequestInfo } from "../request-info.ts";
import type { UserInfo } from "./user.ts";

const publicPaths = [/^\/(healthz|livez|readyz)(\/.*)?$/, /^\/version\/?$/, /^\/apis?\/?$/, /^\/apis?\/[^/]+\/?$/, /^\/apis\/[^/]+\/[^/]+\/?$/, /^\/openapi\/.*$/];

/** Decides a request; throws a 403 Status with upstream wording when it is not allowed. */
export type Authorize = (user: UserInfo, info: RequestInfo) => Promise<void>;

/** Builds the authorizer. */
export function createAuthorizer(): Authorize {
  return async (user, info) => authorize(user, info);
}

/** Throws a 403 Status with upstream wording when the request is not allowed. */
export function authorize(user: UserInfo, info: RequestInfo): void {
  if (user.groups.includes("system:masters")) return;
  if (!info.isResourceRequest && info.verb === "get" && publicPaths.some((p) => p.test(info.path))) return;
  throw forbiddenFor(user, info);
}

/** The Forbidden error kube-apiserver returns for a denied request. */
export function forbiddenFor(user: UserInfo, info: RequestInfo): StatusError {
  if (!info.isResourceRequest) {
    return new StatusError(403, "Forbidden", `forbidden: User "${user.name}" cannot ${info.verb} path "${info.path}"`, {});
  }
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const scope = info.namespace ? ` in the namespace "${info.namespace}"` : info.resource === "namespaces" ? "" : " at the cluster scope";
  const why = `User "${user.name}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}"${scope}`;
  return forbidden({ group: info.apiGroup, resource }, info.name, why);
}
