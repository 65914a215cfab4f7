// Job and CronJob objects as `kubectl create job|cronjob` builds them: one container named
// after the object, the command after `--`, and restart policy Never (jobs) or the --restart
// value (cron jobs, OnFailure by default); a job --from a cron job copies its job template.

import { objectMeta } from "./meta.ts";

type Obj = Record<string, unknown>;

/** What `kubectl create job NAME --image` and `create cronjob` share. */
export interface JobOptions {
  name: string;
  namespace?: string;
  image: string;
  /** Arguments after `--`. */
  command: string[];
}

function podTemplate(o: JobOptions, restartPolicy: string): Obj {
  const container: Obj = { name: o.name, image: o.image };
  if (o.command.length > 0) container.command = o.command;
  container.resources = {};
  return { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy } };
}

/** `create job NAME --image=IMAGE [-- COMMAND…]`. */
export function job(o: JobOptions): Obj {
  return { kind: "Job", apiVersion: "batch/v1", metadata: objectMeta(o.name, o.namespace), spec: { template: podTemplate(o, "Never") }, status: {} };
}

/** `create cronjob NAME --image=IMAGE --schedule=… [--restart=…] [-- COMMAND…]`. */
export function cronJob(o: JobOptions & { schedule: string; restart: string }): Obj {
  return {
    kind: "CronJob",
    apiVersion: "batch/v1",
    metadata: objectMeta(o.name, o.namespace),
    spec: {
      schedule: o.schedule,
      jobTemplate: { metadata: { name: o.name, creationTimestamp: null }, spec: { template: podTemplate(o, o.restart || "OnFailure") } },
    },
    status: {},
  };
}

/** `create job NAME --from=cronjob/CJ`: the cron job's template, marked as a manual run it controls. */
export function jobFromCronJob(name: string, namespace: string | undefined, cron: Obj): Obj {
  const cronMeta = cron.metadata as Obj;
  const template = ((cron.spec as Obj)?.jobTemplate ?? {}) as Obj;
  const templateMeta = (template.metadata ?? {}) as Obj;
  const metadata: Obj = { name };
  if (namespace) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  if (templateMeta.labels) metadata.labels = templateMeta.labels;
  metadata.annotations = { "cronjob.kubernetes.io/instantiate": "manual", ...((templateMeta.annotations as Obj) ?? {}) };
  metadata.ownerReferences = [{ apiVersion: "batch/v1", kind: "CronJob", name: cronMeta.name, uid: cronMeta.uid, controller: true }];
  return { kind: "Job", apiVersion: "batch/v1", metadata, spec: template.spec ?? {}, status: {} };
}
