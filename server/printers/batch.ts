// Printers for batch/v1 jobs and cron jobs.
import { ageColumn, column, containerColumns, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { humanDuration, parseTimestamp, translateTimestampSince } from "./duration.ts";
import { countItems, formatLabelSelector, layoutContainerCells, objectAge, objectName, printBoolPtr } from "./format.ts";
import type { TablePrinter } from "./types.ts";

function jobCondition(job: any, type: string): boolean {
  const cond = (job.status?.conditions ?? []).find((c: any) => c?.type === type);
  return cond?.status === "True";
}

/** The STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobStatus(job: any): string {
  if (jobCondition(job, "Complete")) return "Complete";
  if (jobCondition(job, "Failed")) return "Failed";
  if (job.metadata?.deletionTimestamp) return "Terminating";
  if (jobCondition(job, "Suspended")) return "Suspended";
  if (jobCondition(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

function jobCompletions(job: any): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: any, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return "";
  const end = parseTimestamp(job.status?.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

function jobCells(job: any, now: Date): unknown[] {
  const [names, images] = layoutContainerCells(job.spec?.template?.spec?.containers);
  return [
    objectName(job),
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    objectAge(job, now),
    names,
    images,
    formatLabelSelector(job.spec?.selector),
  ];
}

function cronJobCells(cj: any, now: Date): unknown[] {
  const jobSpec = cj.spec?.jobTemplate?.spec ?? {};
  const [names, images] = layoutContainerCells(jobSpec.template?.spec?.containers);
  const last = cj.status?.lastScheduleTime ? translateTimestampSince(cj.status.lastScheduleTime, now) : "<none>";
  return [
    objectName(cj),
    cj.spec?.schedule ?? "",
    cj.spec?.timeZone ?? "<none>",
    printBoolPtr(cj.spec?.suspend),
    countItems(cj.status?.active),
    last,
    objectAge(cj, now),
    names,
    images,
    formatLabelSelector(jobSpec.selector),
  ];
}

/** batch/v1 jobs. */
export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Status", "string", "Status of the job."),
    column("Completions", "string", docs["JobStatus.succeeded"]),
    column("Duration", "string", "Time required to complete the job."),
    ageColumn(),
    ...containerColumns(),
    wide("Selector", docs["JobSpec.selector"]),
  ],
  cells: jobCells,
};

/** batch/v1 cronjobs. */
export const cronJobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Schedule", "string", docs["CronJobSpec.schedule"]),
    column("Timezone", "string", docs["CronJobSpec.timeZone"]),
    column("Suspend", "boolean", docs["CronJobSpec.suspend"]),
    column("Active", "integer", docs["CronJobStatus.active"]),
    column("Last Schedule", "string", docs["CronJobStatus.lastScheduleTime"]),
    ageColumn(),
    ...containerColumns(),
    wide("Selector", docs["JobSpec.selector"]),
  ],
  cells: cronJobCells,
};
