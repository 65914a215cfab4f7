// The RBAC decision as kube-apiserver takes it: members of system:masters may do anything
// (the privileged-group authorizer that runs first); otherwise every ClusterRoleBinding, then
// every RoleBinding of the request's namespace, that names the user is visited, and the
// first rule of its role that matches allows the request with a reason naming the binding.
// No match is "no opinion", which the server turns into 403; resolution errors (a binding to a
// missing role) become the reason.
import type { UserInfo } from "../user.ts";
import type { RbacCache } from "./cache.ts";
import { describeBinding, subjectApplies, type Binding, type RoleRef, type Subject } from "./objects.ts";
import { ruleAllows, type Attributes, type PolicyRule } from "./rules.ts";

/** The group whose members are allowed everything. */
export const privilegedGroup = "system:masters";

/** An authorization decision with kube-apiserver's reason text. */
export interface Decision {
  allowed: boolean;
  /** RBAC never denies explicitly; kept for SubjectAccessReview's `denied`. */
  denied: boolean;
  reason: string;
  evaluationError?: string;
}

/** The binding and subject a rule was granted through. */
export interface RuleSource {
  binding: Binding;
  subject: Subject;
}

/** Called per rule (with its source) or per resolution error; return false to stop. */
export type RuleVisitor = (source: RuleSource | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/**
 * How a missing role is named: the authorizer's informer listers say `clusterrole...`, the
 * registry's escalation checks read storage and say `clusterroles...`.
 */
export type NotFoundStyle = "lister" | "registry";

/** Decides with the cached policy; the cache must be synced. */
export function authorizeWithPolicy(cache: RbacCache, attrs: Attributes): Decision {
  if (attrs.user.groups.includes(privilegedGroup)) return { allowed: true, denied: false, reason: "" };
  let reason = "";
  const errors: string[] = [];
  visitRulesFor(cache, attrs.user, attrs.namespace, (source, rule, error) => {
    if (rule && source && ruleAllows(attrs, rule)) {
      reason = `RBAC: allowed by ${describeBinding(source.binding, source.subject)}`;
      return false;
    }
    if (error) errors.push(error);
    return true;
  });
  if (reason) return { allowed: true, denied: false, reason };
  return { allowed: false, denied: false, reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : "" };
}

/** Every rule that applies to the user in the namespace, and the resolution errors met. */
export function rulesFor(cache: RbacCache, user: UserInfo, namespace: string, style: NotFoundStyle = "lister"): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(
    cache,
    user,
    namespace,
    (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    },
    style,
  );
  return { rules, errors };
}

/** Visits the rules granted to the user: ClusterRoleBindings first, then RoleBindings of `namespace`. */
export function visitRulesFor(cache: RbacCache, user: UserInfo, namespace: string, visit: RuleVisitor, style: NotFoundStyle = "lister"): void {
  if (!visitBindings(cache, cache.clusterBindingsFor(user), user, "", visit, style)) return;
  if (namespace) visitBindings(cache, cache.namespaceBindingsFor(user, namespace), user, namespace, visit, style);
}

function visitBindings(cache: RbacCache, bindings: Binding[], user: UserInfo, namespace: string, visit: RuleVisitor, style: NotFoundStyle): boolean {
  for (const binding of bindings) {
    const subject = binding.subjects.find((s) => subjectApplies(s, user, namespace));
    if (!subject) continue;
    let rules: PolicyRule[];
    try {
      rules = roleReferenceRules(cache, binding.roleRef, namespace, style);
    } catch (err) {
      if (!visit(undefined, undefined, (err as Error).message)) return false;
      continue;
    }
    const source = { binding, subject };
    for (const rule of rules) if (!visit(source, rule, undefined)) return false;
  }
  return true;
}

/** The rules a role reference grants in `namespace` ("" for ClusterRoleBindings); throws when it cannot be resolved. */
export function roleReferenceRules(cache: RbacCache, ref: RoleRef, namespace: string, style: NotFoundStyle = "lister"): PolicyRule[] {
  const plural = style === "registry" ? "s" : "";
  if (ref.kind === "Role") {
    const role = cache.role(namespace, ref.name);
    if (!role) throw new Error(`role${plural}.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
    return role.rules;
  }
  if (ref.kind === "ClusterRole") {
    const role = cache.clusterRole(ref.name);
    if (!role) throw new Error(`clusterrole${plural}.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
    return role.rules;
  }
  throw new Error(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
}

/** Go's aggregate error text: one message alone, several (deduplicated) as `[a, b]`. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}
