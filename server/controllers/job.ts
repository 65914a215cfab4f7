// The Job controller: runs up to `parallelism` pods at a time until `completions` of them
// succeed (or, without completions, until one succeeds and none is left running); fails the
// Job after more than `backoffLimit` failures (pod failures, and container restarts under
// OnFailure) or past activeDeadlineSeconds; recreates failed pods with a growing delay
// (10 s doubling, at most 6 min); honours suspend and ttlSecondsAfterFinished.
import { nowTimestamp } from "../registry/object-meta.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { jsonEqual } from "../registry/strategies/common.ts";
import { createEventRecorder } from "./events.ts";
import { controllerUidIndex, startInformer } from "./informer.ts";
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";
import { createExpectations, isPodActive, isPodReady, podFromTemplate, rankForDeletion, slowStart } from "./pod-control.ts";
import { createWorkQueue } from "./work-queue.ts";

const baseBackoffMs = 10_000;
const maxBackoffMs = 360_000;

/** Starts the Job controller. */
export function startJobController(deps: ControllerDeps): Controller {
  const { store, catalog, writer } = deps;
  const jobs = catalog.lookup("batch", "v1", "jobs")!;
  const pods = catalog.lookup("", "v1", "pods")!;
  const events = createEventRecorder(catalog, writer, { component: "job-controller" });
  const expectations = createExpectations();
  const queue = createWorkQueue(sync, { name: "job-controller", concurrency: 4 });

  const jobInformer = startInformer(store, jobs, (event, job) => {
    if (event === "DELETED") expectations.forget(job.metadata.uid);
    else queue.add(`${job.metadata.namespace}/${job.metadata.name}`);
  });
  const podInformer = startInformer(
    store,
    pods,
    (event, pod, old) => {
      const ref = (pod.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === "Job");
      if (!ref) return;
      if (event === "ADDED") expectations.observeAdd(ref.uid);
      if (event === "DELETED" ? !old?.metadata.deletionTimestamp : pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp) expectations.observeDelete(ref.uid);
      queue.add(`${pod.metadata.namespace}/${ref.name}`);
    },
    { index: controllerUidIndex },
  );

  async function sync(key: string): Promise<void> {
    await Promise.all([jobInformer.synced, podInformer.synced]);
    const [namespace, name] = key.split("/");
    const job = jobInformer.get(namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    if (finishedAt(job)) return expireFinished(job);
    const spec = job.spec;
    const owned = podInformer.byIndex(job.metadata.uid);
    const active = owned.filter(isPodActive);
    const succeeded = Math.max(job.status?.succeeded ?? 0, owned.filter((p) => p.status?.phase === "Succeeded").length);
    const failedPods = Math.max(job.status?.failed ?? 0, owned.filter((p) => p.status?.phase === "Failed").length);
    const restarts = spec.template?.spec?.restartPolicy === "OnFailure" ? active.reduce((n, p) => n + restartCount(p), 0) : 0;
    const status: Record<string, any> = { ...(job.status ?? {}), startTime: job.status?.startTime ?? (spec.suspend ? undefined : nowTimestamp()) };
    let conditions: Record<string, any>[] = [...(job.status?.conditions ?? [])];
    let finish: { type: "Complete" | "Failed"; reason: string; message: string } | undefined;

    const deadline = spec.activeDeadlineSeconds;
    if (failedPods + restarts > (spec.backoffLimit ?? 6)) finish = { type: "Failed", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
    else if (typeof deadline === "number" && status.startTime && Date.parse(status.startTime) + deadline * 1000 <= Date.now()) {
      finish = { type: "Failed", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
    } else if (spec.completions != null ? succeeded >= spec.completions : succeeded > 0 && active.length === 0) {
      finish = { type: "Complete", reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
    }

    if (finish || spec.suspend) await deletePods(job, active);
    else if (expectations.satisfied(job.metadata.uid)) await managePods(job, active, succeeded, failedPods, owned);
    if (typeof deadline === "number" && !finish && status.startTime) queue.addAfter(key, Date.parse(status.startTime) + deadline * 1000 - Date.now() + 10);

    if (finish) {
      const interim = finish.type === "Complete" ? "SuccessCriteriaMet" : "FailureTarget";
      conditions = setCondition(setCondition(conditions, interim, finish.reason, finish.message), finish.type, finish.reason, finish.message);
      if (finish.type === "Complete") status.completionTime = nowTimestamp();
      events.record(job, finish.type === "Complete" ? "Normal" : "Warning", finish.type === "Complete" ? "Completed" : finish.reason, finish.type === "Complete" ? "Job completed" : finish.message);
    }
    conditions = spec.suspend && !finish ? setCondition(conditions, "Suspended", "JobSuspended", "Job suspended") : conditions.filter((c) => c.type !== "Suspended" || finish);
    Object.assign(status, {
      active: finish ? 0 : active.length,
      succeeded,
      failed: failedPods,
      ready: finish ? 0 : active.filter(isPodReady).length,
      uncountedTerminatedPods: {},
      conditions: conditions.length ? conditions : undefined,
    });
    const written = Object.fromEntries(Object.entries(status).filter(([k, v]) => v !== undefined && (v !== 0 || k === "ready")));
    if (!jsonEqual(written, job.status ?? {})) await writer.update(jobs, namespace, name, { ...job, status: written }, { subresource: "status" });
  }

  async function managePods(job: KubeObject, active: KubeObject[], succeeded: number, failed: number, owned: KubeObject[]): Promise<void> {
    const parallelism = job.spec.parallelism ?? 1;
    const wanted = job.spec.completions != null ? Math.min(parallelism, job.spec.completions - succeeded) : succeeded > 0 ? 0 : parallelism;
    const diff = wanted - active.length;
    if (diff < 0) return deletePods(job, rankForDeletion(active).slice(0, -diff));
    if (diff === 0) return;
    if (failed > 0) {
      const lastFailure = Math.max(...owned.filter((p) => p.status?.phase === "Failed").map(finishedTime), 0);
      const wait = lastFailure + Math.min(baseBackoffMs * 2 ** (failed - 1), maxBackoffMs) - Date.now();
      if (wait > 0) return queue.addAfter(`${job.metadata.namespace}/${job.metadata.name}`, wait);
    }
    const uid = job.metadata.uid;
    expectations.expect(uid, diff, 0);
    const { created, error } = await slowStart(diff, async () => {
      const pod = await writer.create(pods, job.metadata.namespace, podFromTemplate(job.spec.template, job, `${job.metadata.name}-`));
      events.record(job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
    });
    for (let i = created; i < diff; i++) expectations.observeAdd(uid);
    if (error) {
      events.record(job, "Warning", "FailedCreate", `Error creating: ${(error as Error).message}`);
      throw error;
    }
  }

  async function deletePods(job: KubeObject, victims: KubeObject[]): Promise<void> {
    if (!victims.length) return;
    expectations.expect(job.metadata.uid, 0, victims.length);
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await writer.delete(pods, pod.metadata.namespace, pod.metadata.name);
          events.record(job, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          expectations.observeDelete(job.metadata.uid);
          if ((err as { code?: number }).code !== 404) throw err;
        }
      }),
    );
  }

  /** ttlSecondsAfterFinished: the finished Job and its pods go once the TTL has passed. */
  async function expireFinished(job: KubeObject): Promise<void> {
    const ttl = job.spec.ttlSecondsAfterFinished;
    if (typeof ttl !== "number") return;
    const due = finishedAt(job)! + ttl * 1000;
    if (due > Date.now()) return queue.addAfter(`${job.metadata.namespace}/${job.metadata.name}`, due - Date.now() + 10);
    await writer.delete(jobs, job.metadata.namespace, job.metadata.name, { propagationPolicy: "Foreground", preconditions: { uid: job.metadata.uid } });
  }

  return {
    stop() {
      queue.stop();
      jobInformer.stop();
      podInformer.stop();
    },
  };
}

/** When the Job reached Complete or Failed (ms since the epoch), or undefined. */
function finishedAt(job: KubeObject): number | undefined {
  const done = (job.status?.conditions ?? []).find((c: { type: string; status: string }) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return done ? Date.parse(done.lastTransitionTime) : undefined;
}

function restartCount(pod: KubeObject): number {
  return (pod.status?.containerStatuses ?? []).reduce((n: number, c: { restartCount?: number }) => n + (c.restartCount ?? 0), 0);
}

function finishedTime(pod: KubeObject): number {
  const times = (pod.status?.containerStatuses ?? []).map((c: any) => Date.parse(c.state?.terminated?.finishedAt ?? "") || 0);
  return Math.max(0, ...times);
}

function setCondition(conditions: Record<string, any>[], type: string, reason: string, message: string): Record<string, any>[] {
  if (conditions.some((c) => c.type === type && c.status === "True" && c.reason === reason)) return conditions;
  const now = nowTimestamp();
  return [...conditions.filter((c) => c.type !== type), { type, status: "True", lastProbeTime: now, lastTransitionTime: now, reason, message }];
}
