// Deployment helpers: the pod-template-hash, template equality ignoring that hash,
// revisions, maxSurge/maxUnavailable resolution and the annotations copied to ReplicaSets.
import type { KubeObject } from "../registry/resource-type.ts";
import { clone, jsonEqual } from "../registry/strategies/common.ts";

export const hashLabel = "pod-template-hash";
export const revisionAnnotation = "deployment.kubernetes.io/revision";
export const desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
export const maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

// Annotations of the Deployment that are not copied to its ReplicaSets.
const notCopied = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  revisionAnnotation,
  "deployment.kubernetes.io/revision-history",
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  "deprecated.deployment.rollback.to",
]);

// The alphabet of upstream's SafeEncodeString (no vowels, no confusable characters).
const alphanums = "bcdfghjklmnpqrstvwxz2456789";

/** The pod-template-hash of a template: FNV-1a over its JSON, encoded as upstream encodes it. */
export function templateHash(template: Record<string, any>, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text = JSON.stringify(template) + (collisionCount ? String(collisionCount) : "");
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i) & 0xff;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((ch) => alphanums[ch.charCodeAt(0) % alphanums.length]).join("");
}

/**
 * Whether a ReplicaSet's template is the Deployment's (the hash label aside). Nulls count as
 * absent, as they do for Go's types (kubectl sends `creationTimestamp: null` in templates).
 */
export function sameTemplate(rsTemplate: Record<string, any> | undefined, template: Record<string, any>): boolean {
  const a = withoutNulls(clone(rsTemplate ?? {}));
  const b = withoutNulls(clone(template));
  for (const t of [a, b]) {
    if (t.metadata?.labels) delete t.metadata.labels[hashLabel];
    if (t.metadata?.labels && !Object.keys(t.metadata.labels).length) delete t.metadata.labels;
  }
  return jsonEqual(a, b);
}

function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) as T;
}

/** The ReplicaSet's revision (0 when unset). */
export function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0) || 0;
}

/** An int-or-percent value against `total`: percentages round up (surge) or down (unavailable). */
export function intOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(String(value ?? "0"));
  if (!match) return Number(value) || 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable for a Deployment (both zero is read as unavailable 1; Recreate has neither). */
export function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const replicas = d.spec.replicas ?? 1;
  if (d.spec.strategy?.type === "Recreate" || replicas === 0) return { surge: 0, unavailable: 0 };
  const rolling = d.spec.strategy?.rollingUpdate ?? {};
  const surge = intOrPercent(rolling.maxSurge ?? "25%", replicas, true);
  let unavailable = intOrPercent(rolling.maxUnavailable ?? "25%", replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

/** The annotations a ReplicaSet of `d` carries at `revision`. */
export function replicaSetAnnotations(d: KubeObject, revision: number, existing: Record<string, string> = {}): Record<string, string> {
  const annotations: Record<string, string> = { ...existing };
  for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) if (!notCopied.has(k)) annotations[k] = v;
  annotations[revisionAnnotation] = String(revision);
  annotations[desiredReplicasAnnotation] = String(d.spec.replicas ?? 1);
  annotations[maxReplicasAnnotation] = String((d.spec.replicas ?? 1) + fenceposts(d).surge);
  return annotations;
}

/** The new ReplicaSet for `d`'s current template. */
export function newReplicaSet(d: KubeObject, hash: string, revision: number, replicas: number): KubeObject {
  const template = clone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [hashLabel]: hash } };
  const selector = clone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [hashLabel]: hash };
  const ownerReference = { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      annotations: replicaSetAnnotations(d, revision),
      ownerReferences: [ownerReference],
    },
    spec: { replicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
}
