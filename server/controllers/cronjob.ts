// The CronJob controller: at each scheduled time (server local time; spec.timeZone is not
// applied) creates a Job `<cronjob>-<minutes since the epoch>` from the job template, honouring
// suspend, startingDeadlineSeconds and concurrencyPolicy (Allow, Forbid, Replace); keeps
// status.active, lastScheduleTime and lastSuccessfulTime; and trims finished Jobs to the
// history limits.
import { nowTimestamp } from "../registry/object-meta.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { clone, jsonEqual } from "../registry/strategies/common.ts";
import { lastMissed, nextTime, parseSchedule } from "./cron-schedule.ts";
import { createEventRecorder } from "./events.ts";
import { controllerUidIndex, startInformer } from "./informer.ts";
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";
import { createWorkQueue } from "./work-queue.ts";

const scheduledAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** Starts the CronJob controller. */
export function startCronJobController(deps: ControllerDeps): Controller {
  const { store, catalog, writer } = deps;
  const cronjobs = catalog.lookup("batch", "v1", "cronjobs")!;
  const jobs = catalog.lookup("batch", "v1", "jobs")!;
  const events = createEventRecorder(catalog, writer, { component: "cronjob-controller" });
  const queue = createWorkQueue(sync, { name: "cronjob-controller", concurrency: 2 });
  const keyOf = (obj: KubeObject) => `${obj.metadata.namespace}/${obj.metadata.name}`;

  const cjInformer = startInformer(store, cronjobs, (event, cj) => {
    if (event !== "DELETED") queue.add(keyOf(cj));
  });
  const jobInformer = startInformer(
    store,
    jobs,
    (_event, job) => {
      const ref = (job.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === "CronJob");
      if (ref) queue.add(`${job.metadata.namespace}/${ref.name}`);
    },
    { index: controllerUidIndex },
  );

  async function sync(key: string): Promise<void> {
    await Promise.all([cjInformer.synced, jobInformer.synced]);
    const [namespace, name] = key.split("/");
    const cj = cjInformer.get(namespace, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const owned = jobInformer.byIndex(cj.metadata.uid).filter((j) => !j.metadata.deletionTimestamp);
    const status: Record<string, any> = clone(cj.status ?? {});
    let active = owned.filter((j) => !finished(j));
    const succeeded = owned.filter((j) => finished(j) === "Complete").map((j) => j.status?.completionTime).filter(Boolean).sort();
    if (succeeded.length) status.lastSuccessfulTime = succeeded.at(-1);
    await trimHistory(cj, owned);

    let schedule;
    try {
      schedule = parseSchedule(cj.spec.schedule);
    } catch (err) {
      events.record(cj, "Warning", "InvalidSchedule", `invalid schedule: ${cj.spec.schedule} : ${(err as Error).message}`);
      return;
    }
    const now = Date.now();
    const since = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp);
    const due = cj.spec.suspend ? undefined : lastMissed(schedule, since, now);
    const deadline = cj.spec.startingDeadlineSeconds;
    if (due !== undefined && !(typeof deadline === "number" && due < now - deadline * 1000)) {
      const policy = cj.spec.concurrencyPolicy ?? "Allow";
      if (policy === "Forbid" && active.length) {
        events.record(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      } else {
        if (policy === "Replace") {
          for (const job of active) {
            await writer.delete(jobs, namespace, job.metadata.name, { propagationPolicy: "Background" }).catch(() => {});
            events.record(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
          }
          active = [];
        }
        const job = await createJob(cj, due);
        if (job) active.push(job);
        status.lastScheduleTime = nowTimestamp(new Date(due));
      }
    }
    status.active = active.length ? active.map(reference) : undefined;
    if (!status.active) delete status.active;
    if (!jsonEqual(status, cj.status ?? {})) await writer.update(cronjobs, namespace, name, { ...cj, status }, { subresource: "status" });
    const next = nextTime(schedule, now);
    if (next !== undefined && !cj.spec.suspend) queue.addAfter(key, next - Date.now() + 50);
  }

  async function createJob(cj: KubeObject, scheduled: number): Promise<KubeObject | undefined> {
    const template = cj.spec.jobTemplate ?? {};
    const name = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
    const ownerReference = { apiVersion: "batch/v1", kind: "CronJob", name: cj.metadata.name, uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true };
    const annotations = { ...(template.metadata?.annotations ?? {}), [scheduledAnnotation]: new Date(scheduled).toISOString().replace(/\.\d+Z$/, "Z") };
    const body = { metadata: { name, labels: { ...(template.metadata?.labels ?? {}) }, annotations, ownerReferences: [ownerReference] }, spec: clone(template.spec ?? {}) };
    try {
      const job = await writer.create(jobs, cj.metadata.namespace, body);
      events.record(cj, "Normal", "SuccessfulCreate", `Created job ${name}`);
      return job;
    } catch (err) {
      if ((err as { code?: number }).code === 409) return undefined;
      events.record(cj, "Warning", "FailedCreate", `Error creating job: ${(err as Error).message}`);
      throw err;
    }
  }

  async function trimHistory(cj: KubeObject, owned: KubeObject[]): Promise<void> {
    const limits: [string, number][] = [
      ["Complete", cj.spec.successfulJobsHistoryLimit ?? 3],
      ["Failed", cj.spec.failedJobsHistoryLimit ?? 1],
    ];
    for (const [outcome, limit] of limits) {
      const done = owned.filter((j) => finished(j) === outcome).sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp));
      for (const job of done.slice(0, Math.max(0, done.length - limit))) {
        await writer.delete(jobs, job.metadata.namespace, job.metadata.name, { propagationPolicy: "Background" }).catch(() => {});
        events.record(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
      }
    }
  }

  return {
    stop() {
      queue.stop();
      cjInformer.stop();
      jobInformer.stop();
    },
  };
}

function finished(job: KubeObject): string | undefined {
  const done = (job.status?.conditions ?? []).find((c: { type: string; status: string }) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return done?.type;
}

function reference(job: KubeObject): Record<string, string> {
  return { kind: "Job", namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: "batch/v1", resourceVersion: job.metadata.resourceVersion };
}
