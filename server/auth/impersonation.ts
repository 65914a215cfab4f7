// Impersonation: `Impersonate-User`, `-Group`, `-Uid` and `-Extra-<key>` headers make the
// request act as another user once the authenticated caller has been allowed the
// `impersonate` verb on each of them.
import { badRequest, forbidden, StatusError } from "../../api/status.ts";
import type { RequestInfo } from "../request-info.ts";
import type { Authorize } from "./authorizer.ts";
import { serviceAccountGroups, splitServiceAccountUsername } from "./authn/service-account-user.ts";
import type { UserInfo } from "./user.ts";

const extraPrefix = "impersonate-extra-";

/** One thing the caller asks to act as, with what the authorizer checks for it. */
interface ImpersonationTarget {
  kind: "ServiceAccount" | "User" | "Group" | "UserExtra" | "UID";
  resource: string;
  apiGroup: string;
  namespace: string;
  name: string;
  extraKey?: string;
}

/**
 * Returns the user the request acts as: `requestor` itself without impersonation headers,
 * otherwise the impersonated user. Throws 403 when one of the targets is not allowed and
 * 400 when groups, uid or extras come without a user.
 */
export async function impersonate(request: Request, requestor: UserInfo, authorize: Authorize): Promise<UserInfo> {
  const targets = impersonationTargets(request.headers);
  if (!targets.length) return requestor;
  if (!targets.some((t) => t.kind === "User" || t.kind === "ServiceAccount")) {
    throw badRequest(`requested [${targets.map(describe).join(" ")}] without impersonating a user`);
  }
  for (const target of targets) await check(requestor, target, authorize);

  const groupsSpecified = targets.some((t) => t.kind === "Group");
  let name = "";
  let uid: string | undefined;
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const target of targets) {
    if (target.kind === "ServiceAccount") {
      name = `system:serviceaccount:${target.namespace}:${target.name}`;
      if (!groupsSpecified) groups = serviceAccountGroups(target.namespace);
    } else if (target.kind === "User") {
      name = target.name;
    } else if (target.kind === "Group") {
      groups.push(target.name);
    } else if (target.kind === "UserExtra") {
      (extra[target.extraKey!] ??= []).push(target.name);
    } else {
      uid = target.name;
    }
  }
  if (name !== "system:anonymous") {
    if (!groups.includes("system:authenticated") && !groups.includes("system:unauthenticated")) groups.push("system:authenticated");
  } else if (!groups.includes("system:unauthenticated")) {
    groups.push("system:unauthenticated");
  }
  const user: UserInfo = { name, groups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}

/** The impersonation targets named by a request's headers, in the order upstream checks them. */
function impersonationTargets(headers: Headers): ImpersonationTarget[] {
  const targets: ImpersonationTarget[] = [];
  const requestedUser = headers.get("impersonate-user") ?? "";
  if (requestedUser) {
    const sa = splitServiceAccountUsername(requestedUser);
    targets.push(
      sa
        ? { kind: "ServiceAccount", resource: "serviceaccounts", apiGroup: "", namespace: sa.namespace, name: sa.name }
        : { kind: "User", resource: "users", apiGroup: "", namespace: "", name: requestedUser },
    );
  }
  for (const group of values(headers.get("impersonate-group"))) {
    targets.push({ kind: "Group", resource: "groups", apiGroup: "", namespace: "", name: group });
  }
  for (const [header, value] of headers) {
    if (!header.toLowerCase().startsWith(extraPrefix)) continue;
    const extraKey = unescapeExtraKey(header.slice(extraPrefix.length).toLowerCase());
    for (const v of values(value)) {
      targets.push({ kind: "UserExtra", resource: "userextras", apiGroup: "authentication.k8s.io", namespace: "", name: v, extraKey });
    }
  }
  const uid = headers.get("impersonate-uid") ?? "";
  if (uid) targets.push({ kind: "UID", resource: "uids", apiGroup: "authentication.k8s.io", namespace: "", name: uid });
  return targets;
}

async function check(requestor: UserInfo, target: ImpersonationTarget, authorize: Authorize): Promise<void> {
  const info: RequestInfo = {
    isResourceRequest: true,
    path: "",
    verb: "impersonate",
    apiPrefix: target.apiGroup ? "apis" : "api",
    apiGroup: target.apiGroup,
    apiVersion: "v1",
    namespace: target.namespace,
    resource: target.resource,
    subresource: target.extraKey ?? "",
    name: target.name,
    parts: [],
  };
  try {
    await authorize(requestor, info);
  } catch (err) {
    if (!(err instanceof StatusError) || err.code !== 403) throw err;
    const resource = target.extraKey ? `${target.resource}/${target.extraKey}` : target.resource;
    const scope = target.namespace ? `in the namespace "${target.namespace}"` : "at the cluster scope";
    const why = `User "${requestor.name}" cannot impersonate resource "${resource}" in API group "${target.apiGroup}" ${scope}`;
    throw forbidden({ group: target.apiGroup, resource: target.resource }, target.name, why);
  }
}

/**
 * Values of a possibly repeated header. The Fetch API joins repeated lines with ", ", so a
 * value that itself contains a comma cannot be told apart from two values.
 */
function values(header: string | null): string[] {
  if (header === null) return [];
  return header.split(",").map((v) => v.trim());
}

/** Percent-decodes an extra key (so keys may carry characters illegal in header names). */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** Go's `%v` rendering of the ObjectReference upstream builds for each target. */
function describe(t: ImpersonationTarget): string {
  const apiVersion = t.kind === "UserExtra" || t.kind === "UID" ? "authentication.k8s.io/v1" : "";
  return `{${[t.kind, t.namespace, t.name, "", apiVersion, "", t.extraKey ?? ""].join(" ")}}`;
}
