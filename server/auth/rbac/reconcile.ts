// Puts the bootstrap policy in place at start, as kube-apiserver's RBAC post-start hook does:
// missing roles and bindings are created; existing ones get the rules, aggregation selectors,
// subjects, labels and annotations they lack (nothing is removed), unless annotated
// `rbac.authorization.kubernetes.io/autoupdate: "false"`. Aggregated roles are then filled in
// once, so they grant their rules from the first request on.
import type { Catalog } from "../../registry/catalog.ts";
import { typePrefix } from "../../registry/object-store.ts";
import { decodeObject } from "../../registry/stored-form.ts";
import type { ObjectWriter } from "../../registry/object-writer.ts";
import type { KubeObject, ResourceType } from "../../registry/resource-type.ts";
import { aggregatedRules, ruleToJson, sameRules } from "./aggregation.ts";
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, type BootstrapBinding, type BootstrapRole } from "./bootstrap-roles.ts";
import { covers } from "./covers.ts";
import { rulesOf } from "./rules.ts";

const group = "rbac.authorization.k8s.io";
const autoUpdate = "rbac.authorization.kubernetes.io/autoupdate";
const bootstrapLabels = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const maxAggregationPasses = 8;

/** Creates or completes every bootstrap ClusterRole and ClusterRoleBinding, then aggregates. */
export async function reconcileBootstrapPolicy(catalog: Catalog, writer: ObjectWriter): Promise<void> {
  const roles = catalog.lookup(group, "v1", "clusterroles")!;
  const bindings = catalog.lookup(group, "v1", "clusterrolebindings")!;
  for (const role of bootstrapClusterRoles) await reconcile(writer, roles, expectedRole(role), reconciledRole);
  for (const binding of bootstrapClusterRoleBindings) await reconcile(writer, bindings, expectedBinding(binding), reconciledBinding);
  await aggregateClusterRoles(writer, roles);
}

/** Recomputes every aggregating ClusterRole until none changes. */
export async function aggregateClusterRoles(writer: ObjectWriter, t: ResourceType): Promise<void> {
  for (let pass = 0; pass < maxAggregationPasses; pass++) {
    const page = await writer.store.list(typePrefix(t));
    const all = page.items.map((kv) => decodeObject(t, kv));
    let changed = false;
    for (const [i, role] of all.entries()) {
      const rules = aggregatedRules(role, all);
      if (!rules || sameRules(role.rules, rules)) continue;
      all[i] = await writer.update(t, "", role.metadata.name, { ...role, rules: rules.map(ruleToJson) });
      changed = true;
    }
    if (!changed) return;
  }
}

function expectedRole(role: BootstrapRole): KubeObject {
  const obj: KubeObject = {
    apiVersion: `${group}/v1`,
    kind: "ClusterRole",
    metadata: { name: role.name, labels: { ...bootstrapLabels, ...role.labels }, annotations: { [autoUpdate]: "true" } },
  };
  if (role.aggregateFrom) obj.aggregationRule = { clusterRoleSelectors: role.aggregateFrom.map((key) => ({ matchLabels: { [key]: "true" } })) };
  obj.rules = role.aggregateFrom ? null : role.rules.map(ruleToJson);
  return obj;
}

function expectedBinding(binding: BootstrapBinding): KubeObject {
  const obj: KubeObject = {
    apiVersion: `${group}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name: binding.name, labels: { ...bootstrapLabels }, annotations: { [autoUpdate]: "true" } },
    roleRef: { apiGroup: group, kind: "ClusterRole", name: binding.name },
  };
  if (binding.subjects.length) obj.subjects = binding.subjects.map((s) => (s.kind === "ServiceAccount" ? { ...s } : { apiGroup: group, ...s }));
  return obj;
}

type Reconciler = (existing: KubeObject, expected: KubeObject) => KubeObject | "recreate" | undefined;

async function reconcile(writer: ObjectWriter, t: ResourceType, expected: KubeObject, reconciled: Reconciler): Promise<void> {
  const name = expected.metadata.name;
  const existing = await writer.reader.getKv(t, "", name);
  if (!existing) {
    await createIgnoringConflict(writer, t, expected);
    return;
  }
  const current = decodeObject(t, existing);
  if (current.metadata.annotations?.[autoUpdate] === "false") return;
  const result = reconciled(current, expected);
  if (result === "recreate") {
    await writer.delete(t, "", name);
    await createIgnoringConflict(writer, t, { ...expected, subjects: mergeSubjects(current.subjects, expected.subjects) });
  } else if (result) {
    await writer.update(t, "", name, result);
  }
}

async function createIgnoringConflict(writer: ObjectWriter, t: ResourceType, obj: KubeObject): Promise<void> {
  try {
    await writer.create(t, "", obj);
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
}

/** The existing role completed with what the expected one has; undefined when nothing is missing. */
function reconciledRole(existing: KubeObject, expected: KubeObject): KubeObject | undefined {
  const out: KubeObject = { ...existing, metadata: mergedMetadata(existing, expected) };
  if (expected.aggregationRule) {
    const have: unknown[] = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const want: unknown[] = expected.aggregationRule.clusterRoleSelectors;
    const missing = want.filter((w) => !have.some((h) => JSON.stringify(h) === JSON.stringify(w)));
    if (missing.length || !existing.aggregationRule) out.aggregationRule = { ...existing.aggregationRule, clusterRoleSelectors: [...have, ...missing] };
  } else {
    const { missing } = covers(rulesOf(existing), rulesOf(expected));
    if (missing.length) out.rules = [...(Array.isArray(existing.rules) ? existing.rules : []), ...missing.map(ruleToJson)];
  }
  return JSON.stringify(out) === JSON.stringify(existing) ? undefined : out;
}

/** The existing binding completed with missing subjects; "recreate" when its roleRef differs. */
function reconciledBinding(existing: KubeObject, expected: KubeObject): KubeObject | "recreate" | undefined {
  if (JSON.stringify(existing.roleRef) !== JSON.stringify(expected.roleRef)) return "recreate";
  const out: KubeObject = { ...existing, metadata: mergedMetadata(existing, expected) };
  const subjects = mergeSubjects(existing.subjects, expected.subjects);
  if (subjects.length !== (existing.subjects ?? []).length) out.subjects = subjects;
  return JSON.stringify(out) === JSON.stringify(existing) ? undefined : out;
}

function mergeSubjects(have: unknown, want: unknown): unknown[] {
  const existing = Array.isArray(have) ? have : [];
  const expected = Array.isArray(want) ? want : [];
  const same = (a: any, b: any) => a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");
  return [...existing, ...expected.filter((e) => !existing.some((x) => same(x, e)))];
}

/** Labels and annotations: expected keys are added; values already present win. */
function mergedMetadata(existing: KubeObject, expected: KubeObject): Record<string, any> {
  const meta = { ...existing.metadata };
  for (const field of ["labels", "annotations"]) {
    const have: Record<string, string> = existing.metadata[field] ?? {};
    const missing = Object.entries(expected.metadata[field] ?? {}).filter(([key]) => !(key in have));
    if (missing.length) meta[field] = { ...have, ...Object.fromEntries(missing) };
  }
  return meta;
}
