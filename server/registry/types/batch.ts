// batch/v1 Jobs and CronJobs.
import type { ResourceType } from "../resource-type.ts";
import { defaultCronJob, defaultJob, prepareForCreateJob, validateCronJob, validateJob, validateJobUpdate } from "../strategies/batch.ts";
import { clearStatus } from "../strategies/workload.ts";

const statusVerbs = ["get", "patch", "update"];

const jobs: ResourceType = {
  group: "batch",
  version: "v1",
  kind: "Job",
  listKind: "JobList",
  resource: "jobs",
  singular: "job",
  namespaced: true,
  categories: ["all"],
  subresources: [{ name: "status", kind: "Job", verbs: statusVerbs }],
  tracksGeneration: true,
  hasStatusSubresource: true,
  selectableFields: (job) => ({ "status.successful": String(job.status?.succeeded ?? 0) }),
  defaults: defaultJob,
  prepareForCreate: prepareForCreateJob,
  validateCreate: validateJob,
  validateUpdate: validateJobUpdate,
};

const cronjobs: ResourceType = {
  group: "batch",
  version: "v1",
  kind: "CronJob",
  listKind: "CronJobList",
  resource: "cronjobs",
  singular: "cronjob",
  namespaced: true,
  shortNames: ["cj"],
  categories: ["all"],
  subresources: [{ name: "status", kind: "CronJob", verbs: statusVerbs }],
  tracksGeneration: true,
  hasStatusSubresource: true,
  defaults: defaultCronJob,
  prepareForCreate: clearStatus,
  validateCreate: validateCronJob,
  validateUpdate: validateCronJob,
};

/** The batch types this server serves. */
export const batchTypes: ResourceType[] = [cronjobs, jobs];
