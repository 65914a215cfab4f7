// The Deployment controller: one ReplicaSet per pod template (named `<deployment>-<hash>`,
// labelled pod-template-hash, annotated with its revision), rolled out with the RollingUpdate
// (maxSurge/maxUnavailable) or Recreate strategy; old ReplicaSets beyond
// revisionHistoryLimit are deleted once the rollout completes; status and conditions follow.
import { ConflictError } from "../../store/index.ts";
import { conflict } from "../../api/status.ts";
import { objectKey } from "../registry/object-store.ts";
import { decodeObject, encodeForStorage } from "../registry/stored-form.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { clone, jsonEqual } from "../registry/strategies/common.ts";
import { deploymentComplete, deploymentStatus, type RolloutEvent } from "./deployment-status.ts";
import { fenceposts, newReplicaSet, replicaSetAnnotations, revisionAnnotation, revisionOf, sameTemplate, templateHash } from "./deployment-util.ts";
import { createEventRecorder } from "./events.ts";
import { controllerUidIndex, startInformer } from "./informer.ts";
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";
import { createWorkQueue } from "./work-queue.ts";

/** Starts the Deployment controller. */
export function startDeploymentController(deps: ControllerDeps): Controller {
  const { store, catalog, writer } = deps;
  const deployments = catalog.lookup("apps", "v1", "deployments")!;
  const rsType = catalog.lookup("apps", "v1", "replicasets")!;
  const events = createEventRecorder(catalog, writer, { component: "deployment-controller" });
  const queue = createWorkQueue(sync, { name: "deployment-controller", concurrency: 4 });
  const keyOf = (obj: KubeObject) => `${obj.metadata.namespace}/${obj.metadata.name}`;

  const dInformer = startInformer(store, deployments, (event, d) => {
    if (event !== "DELETED") queue.add(keyOf(d));
  });
  const rsInformer = startInformer(
    store,
    rsType,
    (_event, rs) => {
      const ref = (rs.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === "Deployment");
      if (ref) queue.add(`${rs.metadata.namespace}/${ref.name}`);
    },
    { index: controllerUidIndex },
  );

  async function sync(key: string): Promise<void> {
    await Promise.all([dInformer.synced, rsInformer.synced]);
    const [namespace, name] = key.split("/");
    const d = dInformer.get(namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const sets = new Map<string, KubeObject>(rsInformer.byIndex(d.metadata.uid).filter((rs) => !rs.metadata.deletionTimestamp).map((rs) => [rs.metadata.name, rs]));
    const happened: RolloutEvent = {};
    const all = () => [...sets.values()];
    const olds = () => all().filter((rs) => !sameTemplate(rs.spec.template, d.spec.template));
    const keep = (rs: KubeObject) => (sets.set(rs.metadata.name, rs), rs);
    let current = all().find((rs) => sameTemplate(rs.spec.template, d.spec.template));
    const maxOldRevision = Math.max(0, ...olds().map(revisionOf));

    if (!d.spec.paused) {
      if (current) current = keep(await syncRevision(d, current, maxOldRevision));
      if (d.spec.strategy?.type === "Recreate") {
        const running = olds().filter((rs) => (rs.spec.replicas ?? 0) > 0);
        for (const rs of running) keep(await scale(d, rs, 0));
        const drained = !running.length && olds().every((rs) => !(rs.status?.replicas ?? 0));
        if (drained) current = keep(current ? await scale(d, current, d.spec.replicas ?? 1) : await create(d, all(), maxOldRevision, d.spec.replicas ?? 1, happened));
      } else {
        current ??= keep(await create(d, all(), maxOldRevision, newReplicas(d, all(), undefined), happened));
        const scaledUp = await reconcileNew(d, all(), current, keep);
        if (!scaledUp) await reconcileOld(d, sets, current);
      }
    }
    if (current) await annotateRevision(d, revisionOf(current));
    const status = deploymentStatus(d, all(), current, happened);
    if (deploymentComplete(d, status)) await cleanup(d, olds());
    else if (typeof d.spec.progressDeadlineSeconds === "number") queue.addAfter(key, d.spec.progressDeadlineSeconds * 1000 + 100);
    if (!jsonEqual(status, d.status ?? {})) await writer.update(deployments, namespace, name, { ...d, status }, { subresource: "status" });
  }

  async function create(d: KubeObject, all: KubeObject[], maxOldRevision: number, replicas: number, happened: RolloutEvent): Promise<KubeObject> {
    const hash = templateHash(d.spec.template, d.status?.collisionCount ?? 0);
    try {
      const rs = await writer.create(rsType, d.metadata.namespace, newReplicaSet(d, hash, maxOldRevision + 1, replicas));
      happened.created = rs.metadata.name;
      if (replicas > 0) events.record(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${rs.metadata.name} from 0 to ${replicas}`);
      return rs;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
      const existing = await writer.reader.get(rsType, d.metadata.namespace, `${d.metadata.name}-${hash}`);
      const owned = (existing.metadata.ownerReferences ?? []).some((r: { uid: string }) => r.uid === d.metadata.uid);
      if (owned && sameTemplate(existing.spec.template, d.spec.template)) return existing;
      // A different template hashed to the same name: count the collision and try again.
      const status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
      await writer.update(deployments, d.metadata.namespace, d.metadata.name, { ...d, status }, { subresource: "status" });
      throw err;
    }
  }

  /**
   * The Deployment carries its current revision in an annotation. Upstream writes it through
   * deployments/status, which may change annotations without bumping the generation; kapi's
   * status path keeps metadata as stored, so it is written here with a compare-and-swap.
   */
  async function annotateRevision(d: KubeObject, revision: number): Promise<void> {
    if (d.metadata.annotations?.[revisionAnnotation] === String(revision)) return;
    const kv = await store.get(objectKey(deployments, d.metadata.namespace, d.metadata.name));
    if (!kv) return;
    const stored = decodeObject(deployments, kv);
    if (stored.metadata.uid !== d.metadata.uid) return;
    stored.metadata.annotations = { ...(stored.metadata.annotations ?? {}), [revisionAnnotation]: String(revision) };
    try {
      await store.update(kv.key, encodeForStorage(deployments, stored), kv.modRevision);
    } catch (err) {
      if (err instanceof ConflictError) throw conflict({ group: "apps", resource: "deployments" }, d.metadata.name);
      throw err;
    }
  }

  /** A ReplicaSet brought back by a rollback becomes the newest revision again. */
  async function syncRevision(d: KubeObject, rs: KubeObject, maxOldRevision: number): Promise<KubeObject> {
    const revision = Math.max(revisionOf(rs), maxOldRevision + 1);
    const annotations = replicaSetAnnotations(d, revision, rs.metadata.annotations ?? {});
    annotations[revisionAnnotation] = String(revision);
    if (jsonEqual(annotations, rs.metadata.annotations ?? {}) && (rs.spec.minReadySeconds ?? 0) === (d.spec.minReadySeconds ?? 0)) return rs;
    const updated = clone(rs);
    updated.metadata.annotations = annotations;
    updated.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
    return writer.update(rsType, rs.metadata.namespace, rs.metadata.name, updated);
  }

  async function scale(d: KubeObject, rs: KubeObject, replicas: number): Promise<KubeObject> {
    const before = rs.spec.replicas ?? 0;
    const annotations = replicaSetAnnotations(d, revisionOf(rs), rs.metadata.annotations ?? {});
    if (before === replicas && jsonEqual(annotations, rs.metadata.annotations ?? {})) return rs;
    const updated = clone(rs);
    updated.spec.replicas = replicas;
    updated.metadata.annotations = annotations;
    const result = await writer.update(rsType, rs.metadata.namespace, rs.metadata.name, updated);
    if (before !== replicas) {
      const direction = replicas > before ? "up" : "down";
      events.record(d, "Normal", "ScalingReplicaSet", `Scaled ${direction} replica set ${rs.metadata.name} from ${before} to ${replicas}`);
    }
    return result;
  }

  async function reconcileNew(d: KubeObject, all: KubeObject[], current: KubeObject, keep: (rs: KubeObject) => KubeObject): Promise<boolean> {
    const desired = d.spec.replicas ?? 1;
    const have = current.spec.replicas ?? 0;
    if (have === desired) return false;
    const target = have > desired ? desired : newReplicas(d, all, current);
    if (target === have) return false;
    keep(await scale(d, current, target));
    return true;
  }

  async function reconcileOld(d: KubeObject, sets: Map<string, KubeObject>, current: KubeObject): Promise<void> {
    const specOf = (rs: KubeObject) => rs.spec.replicas ?? 0;
    const olds = () => [...sets.values()].filter((rs) => rs !== current && !sameTemplate(rs.spec.template, d.spec.template)).sort((a, b) => revisionOf(a) - revisionOf(b));
    const keep = (rs: KubeObject) => void sets.set(rs.metadata.name, rs);
    if (!olds().some((rs) => specOf(rs) > 0)) return;
    const minAvailable = (d.spec.replicas ?? 1) - fenceposts(d).unavailable;
    const newUnavailable = specOf(current) - (current.status?.availableReplicas ?? 0);
    let budget = [...sets.values()].reduce((n, rs) => n + specOf(rs), 0) - minAvailable - newUnavailable;
    if (budget <= 0) return;
    // Unhealthy old replicas go first (oldest ReplicaSets first): removing them costs no availability.
    for (const rs of olds()) {
      const down = Math.min(budget, Math.max(0, specOf(rs) - (rs.status?.availableReplicas ?? 0)));
      if (down <= 0) continue;
      keep(await scale(d, rs, specOf(rs) - down));
      budget -= down;
    }
    const availableNow = [...sets.values()].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let allowed = Math.min(availableNow - minAvailable, budget);
    for (const rs of olds()) {
      if (allowed <= 0) break;
      const down = Math.min(specOf(rs), allowed);
      if (down <= 0) continue;
      keep(await scale(d, rs, specOf(rs) - down));
      allowed -= down;
    }
  }

  async function cleanup(d: KubeObject, olds: KubeObject[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = olds.filter((rs) => !(rs.spec.replicas ?? 0) && !(rs.status?.replicas ?? 0)).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      await writer.delete(rsType, rs.metadata.namespace, rs.metadata.name, { propagationPolicy: "Background" }).catch(() => {});
    }
  }

  return {
    stop() {
      queue.stop();
      dInformer.stop();
      rsInformer.stop();
    },
  };
}

/** How many replicas the new ReplicaSet may have now: up to replicas + maxSurge pods in all. */
function newReplicas(d: KubeObject, all: KubeObject[], current: KubeObject | undefined): number {
  const desired = d.spec.replicas ?? 1;
  const have = current?.spec.replicas ?? 0;
  const total = all.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
  const maxTotal = desired + fenceposts(d).surge;
  if (total >= maxTotal) return have;
  return have + Math.min(maxTotal - total, desired - have);
}
