// `kapi auth can-i --list`: a SelfSubjectRulesReview, its rules broken down to one
// group/resource/name each, merged again where only the verbs differ, sorted and printed
// as kubectl prints them.

import type { CommandContext } from "../main.ts";
import { writeStderr, writeStdout } from "../../client/stdio.ts";
import { TabWriter } from "../../client/printers/tabwriter.ts";
import { requestTyped } from "../../client/typed-request.ts";

/** An RBAC PolicyRule as the review reports it. */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

interface RulesStatus {
  resourceRules?: { verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[] | null;
  nonResourceRules?: { verbs?: string[]; nonResourceURLs?: string[] }[] | null;
  incomplete?: boolean;
  evaluationError?: string;
}

/** Sends the review for `namespace` and prints the table; exits 0. */
export async function runRulesReview(ctx: CommandContext, namespace: string, noHeaders: boolean): Promise<number> {
  const review = {
    kind: "SelfSubjectRulesReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: { resourceRules: null, nonResourceRules: null, incomplete: false },
  };
  const client = await ctx.restClient();
  const answer = await requestTyped<{ status?: RulesStatus }>(client, {
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
    body: review,
    subject: { resource: "selfsubjectrulesreviews.authorization.k8s.io" },
  });
  const status = answer.status ?? {};
  if (status.incomplete) writeStderr(`Warning: the list may be incomplete: ${status.evaluationError ?? ""}\n`);
  writeStdout(renderRules(rulesOf(status), noHeaders));
  return 0;
}

/** The review's rules as PolicyRules, resource rules first. */
export function rulesOf(status: RulesStatus): PolicyRule[] {
  const resource = (status.resourceRules ?? []).map((r) => rule(r.verbs, r.apiGroups, r.resources, r.resourceNames, []));
  const urls = (status.nonResourceRules ?? []).map((r) => rule(r.verbs, [], [], [], r.nonResourceURLs));
  return [...resource, ...urls];
}

/** The table kubectl prints: broken down, compacted, sorted by the rules' Go string form. */
export function renderRules(rules: PolicyRule[], noHeaders: boolean): string {
  const rows = compact(rules.flatMap(breakdown));
  const keyed = rows.map((r) => ({ r, key: goString(r) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const w = new TabWriter();
  if (!noHeaders) w.add(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]);
  for (const { r } of keyed) w.add([resourceColumn(r), list(r.nonResourceURLs), list(r.resourceNames), list(r.verbs)]);
  return w.flush();
}

function rule(verbs?: string[], apiGroups?: string[], resources?: string[], resourceNames?: string[], nonResourceURLs?: string[]): PolicyRule {
  return { verbs: verbs ?? [], apiGroups: apiGroups ?? [], resources: resources ?? [], resourceNames: resourceNames ?? [], nonResourceURLs: nonResourceURLs ?? [] };
}

// One rule per group × resource × verb (× name), and per URL × verb, as kubectl breaks them down.
function breakdown(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of r.apiGroups) {
    for (const resource of r.resources) {
      for (const verb of r.verbs) {
        if (r.resourceNames.length === 0) out.push(rule([verb], [group], [resource]));
        else for (const name of r.resourceNames) out.push(rule([verb], [group], [resource], [name]));
      }
    }
  }
  for (const url of r.nonResourceURLs) for (const verb of r.verbs) out.push(rule([verb], [], [], [], [url]));
  return out;
}

// Rules naming one group, one resource and at most one name collect their verbs in order of
// appearance, repeats included (as kubectl's compaction does); the others are kept as they
// are, ahead of the merged ones.
function compact(rules: PolicyRule[]): PolicyRule[] {
  const kept: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = r.apiGroups.length === 1 && r.resources.length === 1 && r.resourceNames.length <= 1 && r.nonResourceURLs.length === 0;
    if (!isSimple) {
      kept.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames[0] ?? null]);
    const existing = simple.get(key);
    if (!existing) simple.set(key, { ...r, verbs: [...r.verbs] });
    else existing.verbs.push(...r.verbs);
  }
  return [...kept, ...simple.values()];
}

// The generated String() of Go's rbac/v1 PolicyRule, which kubectl sorts by.
function goString(r: PolicyRule): string {
  return `&PolicyRule{Verbs:${list(r.verbs)},APIGroups:${list(r.apiGroups)},Resources:${list(r.resources)},ResourceNames:${list(r.resourceNames)},NonResourceURLs:${list(r.nonResourceURLs)},}`;
}

// `pods`, `deployments.apps`, `pods.apps/log`: the first resource with the first group.
function resourceColumn(r: PolicyRule): string {
  const first = r.resources[0];
  if (first === undefined) return "";
  const slash = first.indexOf("/");
  const base = slash >= 0 ? first.slice(0, slash) : first;
  const group = r.apiGroups[0] ? `.${r.apiGroups[0]}` : "";
  return `${base}${group}${slash >= 0 ? first.slice(slash) : ""}`;
}

const list = (values: string[]) => `[${values.join(" ")}]`;
