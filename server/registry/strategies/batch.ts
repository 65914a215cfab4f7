// Jobs and CronJobs: defaults, the generated selector and labels, and validation, following
// kube-apiserver's batch strategies.
import type { FieldError } from "../../../api/status.ts";
import { labelSelectorFromObject, matchLabels } from "../../../api/label-selector.ts";
import type { KubeObject } from "../resource-type.ts";
import { ensureObject, immutable, notSupported, required, setDefault } from "./common.ts";
import { defaultPodSpec, validatePodSpec } from "./pod.ts";
import { parseSchedule } from "../../controllers/cron-schedule.ts";

const jobRestartPolicies = ["OnFailure", "Never"];
const concurrencyPolicies = ["Allow", "Forbid", "Replace"];

/** SetDefaults_Job: parallelism, completions, backoffLimit, completionMode and the template. */
export function defaultJob(job: KubeObject): void {
  defaultJobSpec(ensureObject(job, "spec"));
}

function defaultJobSpec(spec: Record<string, any>): void {
  if ((spec.completions ?? null) === null && (spec.parallelism ?? null) === null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, "parallelism", 1);
  setDefault(spec, "backoffLimit", 6);
  setDefault(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  setDefault(spec, "podReplacementPolicy", "TerminatingOrFailed");
  const template = ensureObject(spec, "template");
  defaultPodSpec(ensureObject(template, "spec"));
}

/** A new Job gets an empty status and, unless manualSelector, a selector on its own uid. */
export function prepareForCreateJob(job: KubeObject): void {
  job.status = {};
  const spec = ensureObject(job, "spec");
  if (spec.manualSelector === true) return;
  const uid = job.metadata.uid;
  spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
  const template = ensureObject(spec, "template");
  const meta = ensureObject(template, "metadata");
  meta.labels = { ...(meta.labels ?? {}), "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": job.metadata.name, "controller-uid": uid, "job-name": job.metadata.name };
}

/** Job validation: counts, restart policy, selector matching the template. */
export function validateJob(job: KubeObject): FieldError[] {
  return validateJobSpec(job.spec ?? {}, "spec");
}

function validateJobSpec(spec: Record<string, any>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"]) {
    const value = spec[field];
    if (typeof value === "number" && value < (field === "activeDeadlineSeconds" ? 1 : 0)) {
      errors.push({ type: "FieldValueInvalid", field: `${path}.${field}`, value, detail: field === "activeDeadlineSeconds" ? "must be greater than 0" : "must be greater than or equal to 0" });
    }
  }
  const policy = spec.template?.spec?.restartPolicy;
  if (!jobRestartPolicies.includes(policy)) errors.push(notSupported(`${path}.template.spec.restartPolicy`, policy, jobRestartPolicies));
  if (!spec.selector) errors.push(required(`${path}.selector`));
  else if (!matchLabels(labelSelectorFromObject(spec.selector), spec.template?.metadata?.labels ?? {})) {
    errors.push({ type: "FieldValueInvalid", field: `${path}.template.metadata.labels`, value: spec.template?.metadata?.labels ?? {}, detail: "`selector` does not match template `labels`" });
  }
  errors.push(...validatePodSpec(spec.template?.spec, `${path}.template.spec`));
  return errors;
}

/** The selector, template and completions of a Job cannot change. */
export function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...validateJob(job),
    ...immutable("spec.selector", job.spec?.selector, old.spec?.selector),
    ...immutable("spec.template", job.spec?.template, old.spec?.template),
    ...immutable("spec.completions", job.spec?.completions, old.spec?.completions),
  ];
}

/** SetDefaults_CronJob plus the job template's defaults. */
export function defaultCronJob(cj: KubeObject): void {
  const spec = ensureObject(cj, "spec");
  setDefault(spec, "concurrencyPolicy", "Allow");
  setDefault(spec, "suspend", false);
  setDefault(spec, "successfulJobsHistoryLimit", 3);
  setDefault(spec, "failedJobsHistoryLimit", 1);
  const jobSpec = ensureObject(ensureObject(spec, "jobTemplate"), "spec");
  if ((jobSpec.completions ?? null) === null && (jobSpec.parallelism ?? null) === null) {
    jobSpec.completions = 1;
    jobSpec.parallelism = 1;
  }
  setDefault(jobSpec, "parallelism", 1);
  setDefault(jobSpec, "backoffLimit", 6);
  setDefault(jobSpec, "completionMode", "NonIndexed");
  setDefault(jobSpec, "suspend", false);
  setDefault(jobSpec, "podReplacementPolicy", "TerminatingOrFailed");
  defaultPodSpec(ensureObject(ensureObject(jobSpec, "template"), "spec"));
}

/** CronJob validation: a five-field schedule, the concurrency policy and the job template. */
export function validateCronJob(cj: KubeObject): FieldError[] {
  const spec = cj.spec ?? {};
  const errors: FieldError[] = [];
  const schedule = spec.schedule;
  if (!schedule) errors.push(required("spec.schedule"));
  else {
    try {
      parseSchedule(String(schedule));
    } catch (err) {
      errors.push({ type: "FieldValueInvalid", field: "spec.schedule", value: schedule, detail: (err as Error).message });
    }
  }
  if (!concurrencyPolicies.includes(spec.concurrencyPolicy)) errors.push(notSupported("spec.concurrencyPolicy", spec.concurrencyPolicy, concurrencyPolicies));
  const jobSpec = spec.jobTemplate?.spec ?? {};
  const policy = jobSpec.template?.spec?.restartPolicy;
  if (!jobRestartPolicies.includes(policy)) errors.push(notSupported("spec.jobTemplate.spec.template.spec.restartPolicy", policy, jobRestartPolicies));
  errors.push(...validatePodSpec(jobSpec.template?.spec, "spec.jobTemplate.spec.template.spec"));
  return errors;
}
