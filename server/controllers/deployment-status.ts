// A Deployment's status as the deployment controller computes it: counters summed over its
// ReplicaSets, observedGeneration, and the Available and Progressing conditions with
// upstream's reasons (which `kubectl rollout status` reads).
import { nowTimestamp } from "../registry/object-meta.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { fenceposts } from "./deployment-util.ts";

/** What happened in this sync that the Progressing condition reports. */
export interface RolloutEvent {
  /** Name of a ReplicaSet created in this sync. */
  created?: string;
}

const sum = (sets: KubeObject[], pick: (rs: KubeObject) => number | undefined) => sets.reduce((n, rs) => n + (pick(rs) ?? 0), 0);

/** The status to write for `d`. */
export function deploymentStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, happened: RolloutEvent, now = Date.now()): Record<string, any> {
  const desired = d.spec.replicas ?? 1;
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const status: Record<string, any> = {
    observedGeneration: d.metadata.generation,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, (rs) => rs.spec?.replicas) - available),
  };
  if (d.status?.collisionCount) status.collisionCount = d.status.collisionCount;
  const previous: Record<string, any>[] = d.status?.conditions ?? [];
  let conditions = previous.map((c) => ({ ...c }));
  const availableOk = available >= desired - fenceposts(d).unavailable;
  conditions = setCondition(
    conditions,
    availableOk
      ? { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." }
      : { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
  );
  const progressing = progressingCondition(d, status, newRS, happened, previous, now);
  if (progressing) conditions = setCondition(conditions, progressing.condition, progressing.touch);
  status.conditions = conditions;
  return Object.fromEntries(Object.entries(status).filter(([, v]) => v !== 0 && v !== undefined));
}

/** The rollout is done: every replica updated, no old ones left, all available. */
export function deploymentComplete(d: KubeObject, status: Record<string, any>): boolean {
  const desired = d.spec.replicas ?? 1;
  return (status.updatedReplicas ?? 0) === desired && (status.replicas ?? 0) === desired && (status.availableReplicas ?? 0) === desired && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

function progressingCondition(d: KubeObject, status: Record<string, any>, newRS: KubeObject | undefined, happened: RolloutEvent, previous: Record<string, any>[], now: number) {
  if (d.spec.paused || !newRS) return undefined;
  const name = newRS.metadata.name;
  const current = previous.find((c) => c.type === "Progressing");
  const condition = (statusValue: string, reason: string, message: string) => ({ type: "Progressing", status: statusValue, reason, message });
  if (deploymentComplete(d, status)) return { condition: condition("True", "NewReplicaSetAvailable", `ReplicaSet "${name}" has successfully progressed.`) };
  if (happened.created) return { condition: condition("True", "NewReplicaSetCreated", `Created new replica set "${name}"`), touch: true };
  if (madeProgress(d, status)) return { condition: condition("True", "ReplicaSetUpdated", `ReplicaSet "${name}" is progressing.`), touch: true };
  if (!current) return { condition: condition("True", "FoundNewReplicaSet", `Found new replica set "${name}"`) };
  const deadline = d.spec.progressDeadlineSeconds;
  if (typeof deadline === "number" && current.reason !== "NewReplicaSetAvailable" && Date.parse(current.lastUpdateTime) + deadline * 1000 < now) {
    return { condition: condition("False", "ProgressDeadlineExceeded", `ReplicaSet "${name}" has timed out progressing.`) };
  }
  return undefined;
}

/** upstream DeploymentProgressing: more updated/ready/available replicas or fewer old ones. */
function madeProgress(d: KubeObject, status: Record<string, any>): boolean {
  const before = d.status ?? {};
  const oldBefore = (before.replicas ?? 0) - (before.updatedReplicas ?? 0);
  const oldNow = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (before.updatedReplicas ?? 0) ||
    oldNow < oldBefore ||
    (status.readyReplicas ?? 0) > (before.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (before.availableReplicas ?? 0)
  );
}

/**
 * Sets a condition, keeping lastTransitionTime while the status is unchanged. An unchanged
 * status and reason keep the condition as it is unless `touch` (progress refreshes lastUpdateTime).
 */
function setCondition(conditions: Record<string, any>[], value: Record<string, string>, touch = false): Record<string, any>[] {
  const current = conditions.find((c) => c.type === value.type);
  if (current && current.status === value.status && current.reason === value.reason && !touch) return conditions;
  const now = nowTimestamp();
  const lastTransitionTime = current?.status === value.status ? current.lastTransitionTime : now;
  const next = { type: value.type, status: value.status, lastUpdateTime: now, lastTransitionTime, reason: value.reason, message: value.message };
  return [...conditions.filter((c) => c.type !== value.type), next];
}
