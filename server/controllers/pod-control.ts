// What the ReplicaSet and Job controllers share: pods from a template with a controller
// owner reference, pod predicates (active, ready, available), the order in which surplus
// pods are deleted, and expectations (creations and deletions not yet seen by the informer,
// so a sync does not act twice on the same shortfall).
import type { KubeObject } from "../registry/resource-type.ts";
import { clone } from "../registry/strategies/common.ts";

/** A pod for `owner` built from its pod template. */
export function podFromTemplate(template: Record<string, any>, owner: KubeObject, generateName: string): KubeObject {
  const meta = template.metadata ?? {};
  const ownerReference = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
  const metadata: Record<string, any> = { generateName, namespace: owner.metadata.namespace, ownerReferences: [ownerReference] };
  if (meta.labels) metadata.labels = { ...meta.labels };
  if (meta.annotations) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) metadata.finalizers = [...meta.finalizers];
  return { apiVersion: "v1", kind: "Pod", metadata, spec: clone(template.spec ?? {}) };
}

/** Not terminating and not finished. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

function readyCondition(pod: KubeObject): Record<string, any> | undefined {
  return (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === "True";
}

/** Ready for at least `minReadySeconds` (at `now`). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now = Date.now()): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== "True") return false;
  if (!minReadySeconds) return true;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

/** When a ready pod becomes available (ms since the epoch), to requeue the owner then. */
export function availableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  const ready = readyCondition(pod);
  if (ready?.status !== "True" || !minReadySeconds) return undefined;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000;
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Pods ordered the way upstream picks surplus pods to delete: first is deleted first. */
export function rankForDeletion(pods: KubeObject[]): KubeObject[] {
  const restarts = (p: KubeObject) => (p.status?.containerStatuses ?? []).reduce((n: number, c: { restartCount?: number }) => Math.max(n, c.restartCount ?? 0), 0);
  const cost = (p: KubeObject) => Number(p.metadata.annotations?.["controller.kubernetes.io/pod-deletion-cost"] ?? 0) || 0;
  const readySince = (p: KubeObject) => Date.parse(readyCondition(p)?.lastTransitionTime ?? "") || 0;
  return [...pods].sort((a, b) => {
    const byNode = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
    if (byNode) return byNode;
    const byPhase = (phaseRank[a.status?.phase] ?? 1) - (phaseRank[b.status?.phase] ?? 1);
    if (byPhase) return byPhase;
    const byReady = Number(isPodReady(a)) - Number(isPodReady(b));
    if (byReady) return byReady;
    if (cost(a) !== cost(b)) return cost(a) - cost(b);
    if (isPodReady(a) && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    return Date.parse(b.metadata.creationTimestamp) - Date.parse(a.metadata.creationTimestamp);
  });
}

/** Creations and deletions a controller has made but not yet observed, per owner. */
export interface Expectations {
  expect(owner: string, adds: number, deletes: number): void;
  observeAdd(owner: string): void;
  observeDelete(owner: string): void;
  /** Nothing outstanding (or the record is stale): the cache can be trusted. */
  satisfied(owner: string): boolean;
  forget(owner: string): void;
}

const expectationsTtlMs = 5 * 60_000;

/** Creates an empty expectations table. */
export function createExpectations(): Expectations {
  const table = new Map<string, { adds: number; deletes: number; at: number }>();
  const change = (owner: string, field: "adds" | "deletes") => {
    const entry = table.get(owner);
    if (entry && entry[field] > 0) entry[field]--;
  };
  return {
    expect(owner, adds, deletes) {
      const entry = table.get(owner) ?? { adds: 0, deletes: 0, at: 0 };
      table.set(owner, { adds: entry.adds + adds, deletes: entry.deletes + deletes, at: Date.now() });
    },
    observeAdd: (owner) => change(owner, "adds"),
    observeDelete: (owner) => change(owner, "deletes"),
    satisfied(owner) {
      const entry = table.get(owner);
      return !entry || (entry.adds <= 0 && entry.deletes <= 0) || Date.now() - entry.at > expectationsTtlMs;
    },
    forget: (owner) => void table.delete(owner),
  };
}

/** Runs `count` creations in batches of 1, 2, 4, ... stopping at the first failure (upstream's slow start). */
export async function slowStart(count: number, create: () => Promise<void>): Promise<{ created: number; error?: unknown }> {
  let created = 0;
  for (let batch = 1; created < count; batch *= 2) {
    const size = Math.min(batch, count - created);
    const results = await Promise.allSettled(Array.from({ length: size }, () => create()));
    created += results.filter((r) => r.status === "fulfilled").length;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) return { created, error: failed.reason };
  }
  return { created };
}
