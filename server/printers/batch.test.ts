import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, ago, meta } from "./testing.ts";

const jobs = printerFor("batch", "jobs");
const cronJobs = printerFor("batch", "cronjobs");

const podTemplate = { spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "perl:5.34" }] } };
const selector = { matchLabels: { "batch.kubernetes.io/controller-uid": "abc" } };

function job(spec: any, status: any, extra: Record<string, unknown> = {}): any {
  return { metadata: meta("pi", 600, extra), spec: { selector, template: podTemplate, ...spec }, status };
}

describe("job printer", () => {
  test("columns (1.33 has STATUS)", () => {
    expect(jobs.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      "Name:0",
      "Status:0",
      "Completions:0",
      "Duration:0",
      "Age:0",
      "Containers:1",
      "Images:1",
      "Selector:1",
    ]);
  });

  test("running job", () => {
    const j = job({ completions: 3, parallelism: 1 }, { startTime: ago(310), active: 1, succeeded: 1 });
    expect(jobs.cells(j, NOW)).toEqual([
      "pi",
      "Running",
      "1/3",
      "5m10s",
      "10m",
      "pi",
      "perl:5.34",
      "batch.kubernetes.io/controller-uid=abc",
    ]);
  });

  test("complete job: duration from start to completion", () => {
    const j = job(
      { completions: 1 },
      {
        startTime: ago(600),
        completionTime: ago(553),
        succeeded: 1,
        conditions: [
          { type: "SuccessCriteriaMet", status: "True" },
          { type: "Complete", status: "True" },
        ],
      },
    );
    expect(jobs.cells(j, NOW).slice(1, 4)).toEqual(["Complete", "1/1", "47s"]);
  });

  test("work queue jobs without completions", () => {
    expect(jobs.cells(job({ parallelism: 4 }, { succeeded: 2 }), NOW).slice(1, 4)).toEqual(["Running", "2/1 of 4", ""]);
    expect(jobs.cells(job({}, {}), NOW)[2]).toBe("0/1");
  });

  test("status precedence", () => {
    const cond = (type: string, status = "True") => ({ type, status });
    expect(jobs.cells(job({}, { conditions: [cond("FailureTarget"), cond("Failed")] }), NOW)[1]).toBe("Failed");
    expect(jobs.cells(job({}, { conditions: [cond("FailureTarget")] }), NOW)[1]).toBe("FailureTarget");
    expect(jobs.cells(job({ suspend: true }, { conditions: [cond("Suspended")] }), NOW)[1]).toBe("Suspended");
    expect(jobs.cells(job({}, { conditions: [cond("Suspended")] }, { deletionTimestamp: ago(0) }), NOW)[1]).toBe("Terminating");
    expect(jobs.cells(job({}, { conditions: [cond("Complete", "False")] }), NOW)[1]).toBe("Running");
  });
});

describe("cronjob printer", () => {
  test("columns", () => {
    expect(cronJobs.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ["Name", "string", 0],
      ["Schedule", "string", 0],
      ["Timezone", "string", 0],
      ["Suspend", "boolean", 0],
      ["Active", "integer", 0],
      ["Last Schedule", "string", 0],
      ["Age", "string", 0],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ]);
  });

  test("cells", () => {
    const cj = {
      metadata: meta("nightly", 2 * 86400),
      spec: { schedule: "0 3 * * *", suspend: false, jobTemplate: { spec: { template: podTemplate } } },
      status: { active: [{ name: "nightly-1" }], lastScheduleTime: ago(32400) },
    };
    expect(cronJobs.cells(cj, NOW)).toEqual(["nightly", "0 3 * * *", "<none>", "False", 1, "9h", "2d", "pi", "perl:5.34", "<none>"]);
    cj.spec = { ...cj.spec, timeZone: "Europe/Paris", suspend: true } as any;
    cj.status = {} as any;
    expect(cronJobs.cells(cj, NOW).slice(2, 6)).toEqual(["Europe/Paris", "True", 0, "<none>"]);
  });
});
