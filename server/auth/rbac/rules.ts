// PolicyRule matching with kube-apiserver's RBAC semantics: `*` wildcards for verbs, groups,
// resources and non-resource URLs, `pods/log` style subresources, `*/scale` for a
// subresource of any resource, resourceNames, and non-resource URLs ending in `*`.
import type { UserInfo } from "../user.ts";

/** rbac/v1 PolicyRule with every list present (possibly empty). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** What an authorizer decides on: authorizer.Attributes. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** The request path (non-resource requests). */
  path: string;
  apiGroup: string;
  apiVersion?: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
}

const all = "*";

/** A rule from a stored object's `rules[i]`, tolerating missing or mistyped lists. */
export function normalizeRule(raw: unknown): PolicyRule {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  return {
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  };
}

/** The rules of a stored Role or ClusterRole. */
export function rulesOf(obj: Record<string, any>): PolicyRule[] {
  return Array.isArray(obj.rules) ? obj.rules.map(normalizeRule) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Whether one rule allows the request. */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.isResourceRequest) return nonResourceURLMatches(rule, attrs.path);
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return apiGroupMatches(rule, attrs.apiGroup) && resourceMatches(rule, combined, attrs.subresource) && resourceNameMatches(rule, attrs.name);
}

/** Whether any of the rules allows the request. */
export function rulesAllow(attrs: Attributes, rules: PolicyRule[]): boolean {
  return rules.some((rule) => ruleAllows(attrs, rule));
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes(all) || rule.verbs.includes(verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes(all) || rule.apiGroups.includes(group);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const resource of rule.resources) {
    if (resource === all || resource === combined) return true;
    if (subresource && resource === `*/${subresource}`) return true;
  }
  return false;
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs) {
    if (url === all || url === path) return true;
    if (url.endsWith(all) && path.startsWith(url.replace(/\*+$/, ""))) return true;
  }
  return false;
}
