// Whether one set of rules grants everything another does (the escalation check's core), and
// how the missing part is described in the Forbidden message.
import type { PolicyRule } from "./rules.ts";

const all = "*";

/** Whether `owner` covers every rule of `requested`, and the single-permission rules it misses. */
export function covers(owner: PolicyRule[], requested: PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const rule of requested) {
    for (const atom of breakdownRule(rule)) {
      if (!owner.some((o) => ruleCovers(o, atom))) missing.push(atom);
    }
  }
  return { covered: missing.length === 0, missing };
}

/** Splits a rule into rules of one verb and one group/resource/name (or one URL). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  const one = (verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[], nonResourceURLs: string[]) =>
    atoms.push({ verbs, apiGroups, resources, resourceNames, nonResourceURLs });
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames.length) for (const name of rule.resourceNames) one([verb], [group], [resource], [name], []);
        else one([verb], [group], [resource], [], []);
      }
    }
  }
  for (const url of rule.nonResourceURLs) for (const verb of rule.verbs) one([verb], [], [], [], [url]);
  return atoms;
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = owner.verbs.includes(all) || hasAll(owner.verbs, sub.verbs);
  const groups = owner.apiGroups.includes(all) || hasAll(owner.apiGroups, sub.apiGroups);
  const names = sub.resourceNames.length === 0 ? owner.resourceNames.length === 0 : owner.resourceNames.length === 0 || hasAll(owner.resourceNames, sub.resourceNames);
  return verbs && groups && resourcesCover(owner.resources, sub.resources) && names && urlsCover(owner.nonResourceURLs, sub.nonResourceURLs);
}

function hasAll(set: string[], wanted: string[]): boolean {
  return wanted.every((w) => set.includes(w));
}

function resourcesCover(owned: string[], wanted: string[]): boolean {
  if (owned.includes(all) || hasAll(owned, wanted)) return true;
  return wanted.every((path) => {
    if (owned.includes(path)) return true;
    const slash = path.indexOf("/");
    return slash >= 0 && owned.includes(`*/${path.slice(slash + 1)}`);
  });
}

function urlsCover(owned: string[], wanted: string[]): boolean {
  return wanted.every((path) => owned.some((o) => o === path || (o.endsWith(all) && path.startsWith(o.replace(/\*+$/, "")))));
}

/** Merges rules of one group and resource (and at most one name) that differ only in verbs. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = simpleKey(rule);
    if (key === undefined) {
      compacted.push(rule);
      continue;
    }
    const existing = simple.get(key);
    if (existing) existing.verbs.push(...rule.verbs);
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...compacted, ...simple.values()];
}

function simpleKey(rule: PolicyRule): string | undefined {
  if (rule.resourceNames.length > 1 || rule.nonResourceURLs.length > 0) return undefined;
  if (rule.apiGroups.length !== 1 || rule.resources.length !== 1) return undefined;
  return JSON.stringify([rule.apiGroups[0], rule.resources[0], rule.resourceNames[0] ?? null]);
}

/** `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`: a rule as escalation errors print it. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups.length) parts.push(`APIGroups:${goQuoteList(rule.apiGroups)}`);
  if (rule.resources.length) parts.push(`Resources:${goQuoteList(rule.resources)}`);
  if (rule.nonResourceURLs.length) parts.push(`NonResourceURLs:${goQuoteList(rule.nonResourceURLs)}`);
  if (rule.resourceNames.length) parts.push(`ResourceNames:${goQuoteList(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${goQuoteList(rule.verbs)}`);
  return `{${parts.join(", ")}}`;
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;
}
