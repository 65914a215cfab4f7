// batch/v1 Jobs with the process runtime: defaults and validation, completions and
// parallelism, the backoff limit, and the conditions upstream sets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startNodeServer, type NodeServer } from "./in-process-node.ts";

let s: NodeServer;
const batch = "/apis/batch/v1/namespaces/default";
beforeAll(async () => {
  s = await startNodeServer("process");
});
afterAll(async () => {
  await s.stop();
});

const job = (name: string, script: string, spec: Record<string, unknown> = {}, restartPolicy = "Never") => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name },
  spec: { template: { spec: { restartPolicy, containers: [{ name: "work", image: "busybox", command: ["sh", "-c", script] }] } }, ...spec },
});
const finished = (j: any) => (j.status?.conditions ?? []).some((c: any) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
const podsOf = async (name: string) => (await s.json("GET", `/api/v1/namespaces/default/pods?labelSelector=job-name%3D${name}`)).body.items as any[];

describe("Job", () => {
  test("defaults, a selector on the Job's uid, and the job labels on its template", async () => {
    const created = await s.create(`${batch}/jobs`, job("defaults", "exit 0"));
    const uid = created.metadata.uid;
    expect(created.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false });
    expect(created.spec.selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": uid } });
    expect(created.spec.template.metadata.labels).toEqual({ "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "defaults", "controller-uid": uid, "job-name": "defaults" });
  });

  test("a template with restartPolicy Always is refused", async () => {
    const res = await s.json("POST", `${batch}/jobs`, { body: job("always", "exit 0", {}, "Always") });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Job.batch "always" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
  });

  test("a Job of `sh -c 'exit 0'` completes", async () => {
    await s.create(`${batch}/jobs`, job("ok", "exit 0"));
    const done = await s.waitFor(`${batch}/jobs/ok`, finished);
    expect(done.status).toMatchObject({ succeeded: 1, ready: 0 });
    expect(done.status.active).toBeUndefined();
    expect(done.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ["SuccessCriteriaMet", "True", "CompletionsReached"],
      ["Complete", "True", "CompletionsReached"],
    ]);
    expect(done.status.startTime).toBeString();
    expect(done.status.completionTime).toBeString();
    const [pod] = await podsOf("ok");
    expect(pod.metadata.name).toMatch(/^ok-[a-z0-9]{5}$/);
    expect(pod.status.phase).toBe("Succeeded");
  });

  test("completions 3 with parallelism 2 runs three pods, never more than two at once", async () => {
    const watch = await s.request("GET", `${batch}/jobs?watch=true&fieldSelector=metadata.name%3Dthree`);
    await s.create(`${batch}/jobs`, job("three", "sleep 0.2", { completions: 3, parallelism: 2 }));
    const done = await s.waitFor(`${batch}/jobs/three`, finished);
    expect(done.status.succeeded).toBe(3);
    expect((await podsOf("three")).length).toBe(3);
    const reader = watch.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const active: number[] = [];
    for (let i = 0; i < 500 && !(buffer.includes('"type":"Complete"') && buffer.endsWith("\n")); i++) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    for (const line of buffer.split("\n").filter(Boolean)) active.push(JSON.parse(line).object.status?.active ?? 0);
    expect(Math.max(...active)).toBe(2);
  });

  test("past backoffLimit the Job fails with BackoffLimitExceeded", async () => {
    await s.create(`${batch}/jobs`, job("bad", "exit 2", { backoffLimit: 0 }));
    const done = await s.waitFor(`${batch}/jobs/bad`, finished);
    expect(done.status.failed).toBe(1);
    expect(done.status.conditions.map((c: any) => [c.type, c.reason, c.message])).toEqual([
      ["FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
      ["Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
    ]);
  });
});

describe("CronJob", () => {
  test("a missed schedule creates a Job from the template, which completes", async () => {
    const cj = await s.create(`${batch}/cronjobs`, {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick" },
      spec: { schedule: "* * * * *", jobTemplate: { spec: job("unused", "exit 0").spec } },
    });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    // Pretend the last run was five minutes ago: the controller runs the latest missed time now.
    const lastRun = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    await s.json("PUT", `${batch}/cronjobs/tick/status`, { body: { ...cj, status: { lastScheduleTime: lastRun } } });
    const ran = await s.waitFor(`${batch}/cronjobs/tick`, (c) => Boolean(c.status?.lastSuccessfulTime));
    const jobs = (await s.json("GET", `${batch}/jobs`)).body.items.filter((j: any) => j.metadata.ownerReferences?.[0]?.name === "tick");
    expect(jobs.length).toBe(1);
    expect(jobs[0].metadata.name).toMatch(/^tick-\d+$/);
    expect(jobs[0].metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe(ran.status.lastScheduleTime);
    expect(Date.parse(ran.status.lastScheduleTime)).toBeGreaterThan(Date.parse(lastRun));
    expect(ran.status.active).toBeUndefined();
  });

  test("an invalid schedule is refused", async () => {
    const res = await s.json("POST", `${batch}/cronjobs`, { body: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "bad" }, spec: { schedule: "every minute", jobTemplate: { spec: job("x", "exit 0").spec } } } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: every minute');
  });
});
