// ClusterRole aggregation: a ClusterRole with an aggregationRule holds the union of the rules
// of every other ClusterRole matching one of its label selectors (selectors in order, roles
// by name within a selector, each distinct rule once), as kube-controller-manager's
// clusterrole-aggregation controller computes it.
import { labelSelectorFromObject, matchLabels } from "../../../api/label-selector.ts";
import type { KubeObject } from "../../registry/resource-type.ts";
import { normalizeRule, type PolicyRule } from "./rules.ts";

/** Whether a ClusterRole aggregates others. */
export function isAggregating(role: KubeObject): boolean {
  return Boolean(role.aggregationRule && typeof role.aggregationRule === "object");
}

/** The rules `role` should hold given every ClusterRole; undefined when it does not aggregate. */
export function aggregatedRules(role: KubeObject, clusterRoles: KubeObject[]): PolicyRule[] | undefined {
  if (!isAggregating(role)) return undefined;
  const selectors = Array.isArray(role.aggregationRule.clusterRoleSelectors) ? role.aggregationRule.clusterRoleSelectors : [];
  const byName = [...clusterRoles].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const raw of selectors) {
    let selector;
    try {
      selector = labelSelectorFromObject(raw);
    } catch {
      continue;
    }
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !matchLabels(selector, other.metadata.labels ?? {})) continue;
      for (const r of Array.isArray(other.rules) ? other.rules : []) {
        const rule = normalizeRule(r);
        const key = JSON.stringify(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  return rules;
}

/** Whether the stored rules already equal `rules` (a missing list equals an empty one). */
export function sameRules(stored: unknown, rules: PolicyRule[]): boolean {
  const current = Array.isArray(stored) ? stored.map(normalizeRule) : [];
  return JSON.stringify(current) === JSON.stringify(rules);
}

/** A rule as the API serializes it: verbs always, the other lists only when not empty. */
export function ruleToJson(rule: PolicyRule): Record<string, string[]> {
  const out: Record<string, string[]> = { verbs: rule.verbs };
  if (rule.apiGroups.length) out.apiGroups = rule.apiGroups;
  if (rule.resources.length) out.resources = rule.resources;
  if (rule.resourceNames.length) out.resourceNames = rule.resourceNames;
  if (rule.nonResourceURLs.length) out.nonResourceURLs = rule.nonResourceURLs;
  return out;
}
