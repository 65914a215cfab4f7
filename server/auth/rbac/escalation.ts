// Escalation prevention on writes of roles and bindings, as kube-apiserver's RBAC storage
// does it: a requester may only grant permissions they hold themselves, unless they are in
// system:masters or are allowed `escalate` on the role (for roles) or `bind` on the referenced
// role (for bindings). Changes that only touch garbage-collection fields are let through.
import { forbidden } from "../../../api/status.ts";
import type { AdmissionContext, KubeObject } from "../../registry/resource-type.ts";
import type { UserInfo } from "../user.ts";
import { aggregateMessage, privilegedGroup, roleReferenceRules } from "./authorizer.ts";
import { compactRules, compactString, covers, goQuoteList } from "./covers.ts";
import { rbacOf, type Rbac } from "./index.ts";
import { bindingOf } from "./objects.ts";
import { rulesOf, type PolicyRule } from "./rules.ts";

const group = "rbac.authorization.k8s.io";

const fullAuthority: PolicyRule[] = [
  { verbs: ["*"], apiGroups: ["*"], resources: ["*"], resourceNames: [], nonResourceURLs: [] },
  { verbs: ["*"], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ["*"] },
];

/** Admission for `roles` and `clusterroles`: refuses rules the requester does not hold. */
export function roleEscalationCheck(resource: "roles" | "clusterroles") {
  return async (obj: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): Promise<void> => {
    if (ctx.user.groups.includes(privilegedGroup)) return;
    if (old && onlyGarbageCollectionFieldsChange(obj, old)) return;
    const rbac = rbacOf(ctx.store);
    const escalate = await rbac.authorize(resourceAttributes(ctx.user, "escalate", resource, ctx.name, ctx.namespace));
    if (escalate.allowed) return;
    const name = obj.metadata?.name ?? "";
    const missing = await missingPermissions(rbac, ctx.user, ctx.namespace, rulesOf(obj));
    if (missing) throw forbidden({ group, resource }, name, missing);
    const aggregates = resource === "clusterroles" && (hasAggregationRule(obj) || (old !== undefined && hasAggregationRule(old)));
    if (aggregates && (await missingPermissions(rbac, ctx.user, ctx.namespace, fullAuthority))) {
      throw forbidden({ group, resource }, name, "must have cluster-admin privileges to use the aggregationRule");
    }
  };
}

/** Admission for `rolebindings` and `clusterrolebindings`: refuses binding a role whose rules the requester does not hold. */
export function bindingEscalationCheck(resource: "rolebindings" | "clusterrolebindings") {
  return async (obj: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): Promise<void> => {
    if (ctx.user.groups.includes(privilegedGroup)) return;
    if (old && onlyGarbageCollectionFieldsChange(obj, old)) return;
    const rbac = rbacOf(ctx.store);
    const binding = bindingOf(obj);
    const ref = binding.roleRef;
    const roleResource = ref.kind === "ClusterRole" ? "clusterroles" : ref.kind === "Role" ? "roles" : "";
    if (roleResource) {
      const bind = await rbac.authorize({ ...resourceAttributes(ctx.user, "bind", roleResource, ref.name, ctx.namespace), apiGroup: ref.apiGroup });
      if (bind.allowed) return;
    }
    await rbac.cache.catchUp();
    let rules: PolicyRule[];
    try {
      rules = roleReferenceRules(rbac.cache, ref, ctx.namespace, "registry");
    } catch (err) {
      throw forbidden({ group, resource }, binding.name, (err as Error).message);
    }
    const missing = await missingPermissions(rbac, ctx.user, ctx.namespace, rules);
    if (missing) throw forbidden({ group, resource }, binding.name, missing);
  };
}

/**
 * Undefined when the user holds every rule in the namespace (cluster-wide grants count);
 * otherwise upstream's message listing what is missing.
 */
export async function missingPermissions(rbac: Rbac, user: UserInfo, namespace: string, rules: PolicyRule[]): Promise<string | undefined> {
  const owned = await rbac.rulesFor(user, namespace, "registry");
  const { covered, missing } = covers(owned.rules, rules);
  if (covered) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  let message = `user ${JSON.stringify(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join("\n")}`;
  if (owned.errors.length) message += `; resolution errors: [${aggregateMessage(owned.errors)}]`;
  return message;
}

function resourceAttributes(user: UserInfo, verb: string, resource: string, name: string, namespace: string) {
  return { user, verb, isResourceRequest: true, path: "", apiGroup: group, apiVersion: "*", resource, subresource: "", name, namespace };
}

function hasAggregationRule(obj: KubeObject): boolean {
  return Boolean(obj.aggregationRule && typeof obj.aggregationRule === "object");
}

/** Whether the update changes nothing but ownerReferences and finalizers (what the garbage collector writes). */
function onlyGarbageCollectionFieldsChange(obj: KubeObject, old: KubeObject): boolean {
  return JSON.stringify(comparable(obj)) === JSON.stringify(comparable(old));
}

const serverMetadata = ["ownerReferences", "finalizers", "resourceVersion", "managedFields", "generation", "uid", "creationTimestamp", "selfLink"];

function comparable(obj: KubeObject): unknown {
  const { kind, apiVersion, metadata, ...rest } = obj;
  const meta = { ...(metadata ?? {}) };
  for (const key of serverMetadata) delete meta[key];
  return sortKeys({ meta, rest });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}
