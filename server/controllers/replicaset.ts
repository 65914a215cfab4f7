// The ReplicaSet controller: keeps spec.replicas active pods (created from the template with
// generateName `<rs>-` and a controller owner reference), deletes surplus pods in upstream's
// order, and reports replicas, fullyLabeledReplicas, readyReplicas and availableReplicas.
import { labelSelectorFromObject, matchLabels } from "../../api/label-selector.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { jsonEqual } from "../registry/strategies/common.ts";
import { createEventRecorder } from "./events.ts";
import { controllerUidIndex, startInformer } from "./informer.ts";
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";
import { availableAt, createExpectations, isPodActive, isPodAvailable, isPodReady, podFromTemplate, rankForDeletion, slowStart } from "./pod-control.ts";
import { createWorkQueue } from "./work-queue.ts";

// Upstream creates or deletes at most this many pods per sync.
const burstReplicas = 500;

/** Starts the ReplicaSet controller. */
export function startReplicaSetController(deps: ControllerDeps): Controller {
  const { store, catalog, writer } = deps;
  const rsType = catalog.lookup("apps", "v1", "replicasets")!;
  const pods = catalog.lookup("", "v1", "pods")!;
  const events = createEventRecorder(catalog, writer, { component: "replicaset-controller" });
  const expectations = createExpectations();
  const queue = createWorkQueue(sync, { name: "replicaset-controller", concurrency: 4 });
  const ownerKey = (pod: KubeObject) => {
    const ref = (pod.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === "ReplicaSet");
    return ref ? { key: `${pod.metadata.namespace}/${ref.name}`, uid: ref.uid as string } : undefined;
  };

  const rsInformer = startInformer(store, rsType, (event, rs) => {
    if (event === "DELETED") expectations.forget(rs.metadata.uid);
    else queue.add(`${rs.metadata.namespace}/${rs.metadata.name}`);
  });
  const podInformer = startInformer(
    store,
    pods,
    (event, pod, old) => {
      const owner = ownerKey(pod);
      if (!owner) return;
      if (event === "ADDED") expectations.observeAdd(owner.uid);
      if (event === "DELETED" ? !old?.metadata.deletionTimestamp : pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp) expectations.observeDelete(owner.uid);
      queue.add(owner.key);
    },
    { index: controllerUidIndex },
  );

  async function sync(key: string): Promise<void> {
    await Promise.all([rsInformer.synced, podInformer.synced]);
    const [namespace, name] = key.split("/");
    const rs = rsInformer.get(namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const uid = rs.metadata.uid;
    const owned = podInformer.byIndex(uid);
    const active = owned.filter(isPodActive);
    if (expectations.satisfied(uid)) await manage(rs, active);
    await updateStatus(rs, active);
  }

  async function manage(rs: KubeObject, active: KubeObject[]): Promise<void> {
    const diff = (rs.spec.replicas ?? 1) - active.length;
    const uid = rs.metadata.uid;
    if (diff > 0) {
      const count = Math.min(diff, burstReplicas);
      expectations.expect(uid, count, 0);
      const { created, error } = await slowStart(count, async () => {
        const pod = await writer.create(pods, rs.metadata.namespace, podFromTemplate(rs.spec.template, rs, `${rs.metadata.name}-`));
        events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
      });
      for (let i = created; i < count; i++) expectations.observeAdd(uid);
      if (error) {
        events.record(rs, "Warning", "FailedCreate", `Error creating: ${(error as Error).message}`);
        throw error;
      }
    } else if (diff < 0) {
      const victims = rankForDeletion(active).slice(0, Math.min(-diff, burstReplicas));
      expectations.expect(uid, 0, victims.length);
      await Promise.all(
        victims.map(async (pod) => {
          try {
            await writer.delete(pods, pod.metadata.namespace, pod.metadata.name);
            events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
          } catch (err) {
            expectations.observeDelete(uid);
            if ((err as { code?: number }).code !== 404) throw err;
          }
        }),
      );
    }
  }

  async function updateStatus(rs: KubeObject, active: KubeObject[]): Promise<void> {
    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    const templateLabels = rs.spec.template?.metadata?.labels ?? {};
    const fullyLabeled = labelSelectorFromObject({ matchLabels: templateLabels });
    const status: Record<string, any> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => matchLabels(fullyLabeled, p.metadata.labels)).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, minReadySeconds)).length,
      observedGeneration: rs.metadata.generation,
    };
    if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
    // A pod that is ready but not yet available for minReadySeconds needs another look then.
    const soonest = Math.min(...active.map((p) => availableAt(p, minReadySeconds) ?? Infinity).filter((t) => t > Date.now()));
    if (Number.isFinite(soonest)) queue.addAfter(`${rs.metadata.namespace}/${rs.metadata.name}`, soonest - Date.now() + 10);
    const written = omitZeros(status);
    if (jsonEqual(written, rs.status ?? {})) return;
    await writer.update(rsType, rs.metadata.namespace, rs.metadata.name, { ...rs, status: written }, { subresource: "status" });
  }

  return {
    stop() {
      queue.stop();
      rsInformer.stop();
      podInformer.stop();
    },
  };
}

/** Upstream omits zero counters when it serializes the status; `replicas` is always there. */
function omitZeros(status: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(status).filter(([k, v]) => k === "replicas" || (v !== 0 && v !== undefined)));
}
