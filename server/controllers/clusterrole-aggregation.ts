// The clusterrole-aggregation controller: keeps the rules of every ClusterRole with an
// aggregationRule equal to the union of the rules of the ClusterRoles its selectors match,
// whenever any of them is created, changed or deleted.
import { labelSelectorFromObject, matchLabels } from "../../api/label-selector.ts";
import { aggregatedRules, isAggregating, ruleToJson, sameRules } from "../auth/rbac/aggregation.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { startInformer, type InformerEvent } from "./informer.ts";
import { createWorkQueue } from "./work-queue.ts";
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";

/** Starts the controller over a ClusterRole informer. */
export function startClusterRoleAggregationController(deps: ControllerDeps): Controller {
  const t = deps.catalog.lookup("rbac.authorization.k8s.io", "v1", "clusterroles")!;
  const aggregating = new Map<string, KubeObject>();

  async function sync(name: string): Promise<void> {
    // Never aggregate from a half-applied first list.
    await informer.synced;
    const role = informer.get("", name);
    const rules = role && aggregatedRules(role, informer.list());
    if (!role || !rules || sameRules(role.rules, rules)) return;
    // The informer's copy carries its resourceVersion: a concurrent change makes this a conflict, retried later.
    await deps.writer.update(t, "", name, { ...role, rules: rules.map(ruleToJson) });
  }

  const queue = createWorkQueue(sync, { name: "clusterrole-aggregation" });

  function changed(_event: InformerEvent, obj: KubeObject, old?: KubeObject): void {
    const name = obj.metadata.name;
    if (isAggregating(obj) && informer.get("", name)) aggregating.set(name, obj);
    else aggregating.delete(name);
    if (aggregating.has(name)) queue.add(name);
    for (const [target, role] of aggregating) {
      if (target !== name && (selects(role, obj) || (old && selects(role, old)))) queue.add(target);
    }
  }

  const informer = startInformer(deps.store, t, changed);
  return {
    stop() {
      informer.stop();
      queue.stop();
    },
  };
}

/** Whether one of the aggregating role's selectors matches the other role's labels. */
function selects(aggregator: KubeObject, other: KubeObject): boolean {
  const selectors = aggregator.aggregationRule?.clusterRoleSelectors;
  if (!Array.isArray(selectors)) return false;
  return selectors.some((raw) => {
    try {
      return matchLabels(labelSelectorFromObject(raw), other.metadata.labels ?? {});
    } catch {
      return false;
    }
  });
}
