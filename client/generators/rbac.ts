// Role, ClusterRole, RoleBinding and ClusterRoleBinding objects as `kubectl create role|
// clusterrole|rolebinding|clusterrolebinding` build them, with kubectl's validation order,
// messages and warnings.

import { objectMeta } from "./meta.ts";

type Obj = Record<string, unknown>;

const RBAC = "rbac.authorization.k8s.io";
const RBAC_V1 = `${RBAC}/v1`;

const RESOURCE_VERBS = ["*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection", "use", "bind", "escalate", "impersonate"];
const NON_RESOURCE_VERBS = ["*", "get", "post", "put", "delete", "patch", "head", "options"];

// Verbs that only make sense on particular resources.
const SPECIAL_VERBS: Record<string, [string, string][]> = {
  use: [
    ["policy", "podsecuritypolicies"],
    ["extensions", "podsecuritypolicies"],
  ],
  bind: [
    [RBAC, "roles"],
    [RBAC, "clusterroles"],
  ],
  escalate: [
    [RBAC, "roles"],
    [RBAC, "clusterroles"],
  ],
  impersonate: [
    ["", "users"],
    ["", "serviceaccounts"],
    ["", "groups"],
    ["authentication.k8s.io", "userextras"],
    ["authentication.k8s.io", "uids"],
  ],
};

/** A `--resource` value split into resource, group and subresource. */
export interface ResourceArg {
  resource: string;
  group: string;
  subresource: string;
}

/**
 * Resolves a resource and group as typed (`deploy`, `apps`) to the served plural and group,
 * or returns an error message (kubectl's RESTMapper lookup).
 */
export type ResourceResolver = (resource: string, group: string) => Promise<{ resource: string; group: string } | { error: string }>;

/** What both role generators take. */
export interface RoleOptions {
  name: string;
  namespace?: string;
  verbs: string[];
  resources: string[];
  resourceNames: string[];
  /** Receives `Warning: …` lines. */
  warn: (line: string) => void;
  resolve: ResourceResolver;
}

/** Parses `--resource` values: `res[.group][/sub]`; a bare `*` stands for everything. */
export function parseResources(values: string[]): ResourceArg[] {
  const out: ResourceArg[] = [];
  for (const value of values) {
    const slash = value.indexOf("/");
    const main = slash >= 0 ? value.slice(0, slash) : value;
    const dot = main.indexOf(".");
    const r = { resource: dot >= 0 ? main.slice(0, dot) : main, group: dot >= 0 ? main.slice(dot + 1) : "", subresource: slash >= 0 ? value.slice(slash + 1) : "" };
    if (r.resource === "*" && dot < 0 && slash < 0) return [r];
    out.push(r);
  }
  return out;
}

/** `create role NAME --verb … --resource …`. */
export async function role(o: RoleOptions): Promise<Obj> {
  if (o.verbs.length === 0) throw new Error("at least one verb must be specified");
  const resources = parseResources(o.resources);
  if (resources.length === 0) throw new Error("at least one resource must be specified");
  warnNonStandard(o.verbs, o.warn);
  const rules = await resourceRules(o, resources);
  return { kind: "Role", apiVersion: RBAC_V1, metadata: objectMeta(o.name, o.namespace), rules };
}

/** Options of `create clusterrole`. */
export interface ClusterRoleOptions extends RoleOptions {
  nonResourceUrls: string[];
  /** `--aggregation-rule` labels, in the order given. */
  aggregationRule: [string, string][];
}

/** `create clusterrole NAME …`. */
export async function clusterRole(o: ClusterRoleOptions): Promise<Obj> {
  const resources = parseResources(o.resources);
  const base = { kind: "ClusterRole", apiVersion: RBAC_V1, metadata: objectMeta(o.name) };
  if (o.aggregationRule.length > 0) {
    if (o.nonResourceUrls.length > 0 || o.verbs.length > 0 || resources.length > 0 || o.resourceNames.length > 0) {
      throw new Error("aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames");
    }
    const matchLabels = Object.fromEntries([...o.aggregationRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { ...base, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels }] } };
  }
  if (o.verbs.length === 0) throw new Error("at least one verb must be specified");
  if (resources.length === 0 && o.nonResourceUrls.length === 0) throw new Error("one of resource or nonResourceURL must be specified");
  let rules: Obj[] = [];
  if (resources.length > 0) {
    warnNonStandard(o.verbs, o.warn);
    rules = await resourceRules(o, resources);
  }
  if (o.nonResourceUrls.length > 0) {
    for (const v of o.verbs) if (!NON_RESOURCE_VERBS.includes(v)) throw new Error(`invalid verb: '${v}' for nonResourceURL`);
    for (const url of o.nonResourceUrls) {
      if (url === "*") continue;
      if (!url.startsWith("/")) throw new Error("nonResourceURL should start with /");
      if (url.slice(0, -1).includes("*")) throw new Error("nonResourceURL only supports wildcard matches when '*' is at the end");
    }
    rules.push({ verbs: o.verbs, nonResourceURLs: o.nonResourceUrls });
  }
  return { ...base, rules };
}

function warnNonStandard(verbs: string[], warn: (line: string) => void): void {
  for (const v of verbs) if (!RESOURCE_VERBS.includes(v)) warn(`Warning: '${v}' is not a standard resource verb`);
}

// One rule per API group (groups sorted), each with every verb and resource name.
async function resourceRules(o: RoleOptions, resources: ResourceArg[]): Promise<Obj[]> {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.resource) throw new Error("resource must be specified if apiGroup/subresource specified");
    let target = { resource: r.resource, group: r.group };
    if (r.resource !== "*") target = await checkResource(o, r);
    const name = r.subresource ? `${target.resource}/${r.subresource}` : target.resource;
    const list = byGroup.get(target.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(target.group, list);
  }
  return [...byGroup.keys()].sort().map((group) => {
    const rule: Obj = { verbs: o.verbs, apiGroups: [group], resources: byGroup.get(group) };
    if (o.resourceNames.length > 0) rule.resourceNames = o.resourceNames;
    return rule;
  });
}

async function checkResource(o: RoleOptions, r: ResourceArg): Promise<{ resource: string; group: string }> {
  const found = await o.resolve(r.resource, r.group);
  const target = "error" in found ? { resource: r.resource, group: r.group } : found;
  let problem = "error" in found ? found.error : undefined;
  for (const v of o.verbs) {
    const allowed = SPECIAL_VERBS[v];
    if (!allowed) continue;
    if (!allowed.some(([g, res]) => g === target.group && res === target.resource)) {
      throw new Error(`can not perform '${v}' on '${target.resource}' in group '${target.group}'`);
    }
    problem = undefined;
  }
  if (problem) throw new UnknownResourceError(problem);
  return target;
}

/** kubectl prints a failed resource lookup without the `error: ` prefix. */
export class UnknownResourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownResourceError";
  }
}

/** Options of `create rolebinding` / `create clusterrolebinding`. */
export interface BindingOptions {
  name: string;
  namespace?: string;
  role: string;
  clusterRole: string;
  users: string[];
  groups: string[];
  serviceAccounts: string[];
}

/** `create rolebinding NAME --role|--clusterrole … --user/--group/--serviceaccount`. */
export function roleBinding(o: BindingOptions): Obj {
  if ((o.role === "") === (o.clusterRole === "")) throw new Error("exactly one of clusterrole or role must be specified");
  return binding("RoleBinding", o, o.role ? { apiGroup: RBAC, kind: "Role", name: o.role } : { apiGroup: RBAC, kind: "ClusterRole", name: o.clusterRole });
}

/** `create clusterrolebinding NAME --clusterrole …`. */
export function clusterRoleBinding(o: BindingOptions): Obj {
  return binding("ClusterRoleBinding", { ...o, namespace: undefined }, { apiGroup: RBAC, kind: "ClusterRole", name: o.clusterRole });
}

function binding(kind: string, o: BindingOptions, roleRef: Obj): Obj {
  const subjects: Obj[] = [
    ...o.users.map((name) => ({ kind: "User", apiGroup: RBAC, name })),
    ...o.groups.map((name) => ({ kind: "Group", apiGroup: RBAC, name })),
    ...o.serviceAccounts.map((sa) => {
      const parts = sa.split(":");
      if (parts.length !== 2) throw new Error("serviceaccount must be <namespace>:<name>");
      return { kind: "ServiceAccount", name: parts[1], namespace: parts[0] };
    }),
  ];
  const obj: Obj = { kind, apiVersion: RBAC_V1, metadata: objectMeta(o.name, o.namespace) };
  if (subjects.length > 0) obj.subjects = subjects;
  obj.roleRef = roleRef;
  return obj;
}
