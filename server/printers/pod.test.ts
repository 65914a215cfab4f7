import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, ago, meta } from "./testing.ts";

const pods = printerFor("", "pods");

function running(name: string, ready = true, restartCount = 0): any {
  return { name, ready, started: true, restartCount, state: { running: { startedAt: ago(500) } } };
}

function pod(name: string, spec: any, status: any, metaExtra: Record<string, unknown> = {}): any {
  return { apiVersion: "v1", kind: "Pod", metadata: meta(name, 3600, metaExtra), spec, status };
}

const twoContainers = {
  nodeName: "kapi-node",
  containers: [
    { name: "app", image: "nginx:1.27" },
    { name: "sidecar", image: "busybox" },
  ],
};

describe("pod columns", () => {
  test("names, types and priorities match kube-apiserver 1.33", () => {
    expect(pods.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ["Name", "string", "name", 0],
      ["Ready", "string", "", 0],
      ["Status", "string", "", 0],
      ["Restarts", "string", "", 0],
      ["Age", "string", "", 0],
      ["IP", "string", "", 1],
      ["Node", "string", "", 1],
      ["Nominated Node", "string", "", 1],
      ["Readiness Gates", "string", "", 1],
    ]);
  });
});

describe("pod cells", () => {
  test("pending and unscheduled", () => {
    const p = pod("web", { containers: [{ name: "app", image: "nginx" }] }, { phase: "Pending" });
    expect(pods.cells(p, NOW)).toEqual(["web", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>"]);
    expect(pods.conditions?.(p)).toBeUndefined();
  });

  test("scheduling gated", () => {
    const p = pod(
      "gated",
      { containers: [{ name: "app" }], schedulingGates: [{ name: "example.com/gate" }] },
      { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] },
    );
    expect(pods.cells(p, NOW)[2]).toBe("SchedulingGated");
  });

  test("container creating", () => {
    const p = pod("web", twoContainers, {
      phase: "Pending",
      containerStatuses: [
        { name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } },
        { name: "sidecar", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } },
      ],
    });
    expect(pods.cells(p, NOW).slice(1, 4)).toEqual(["0/2", "ContainerCreating", "0"]);
  });

  test("running 2/2 with wide columns", () => {
    const p = pod(
      "web-7d4b9c",
      { ...twoContainers, readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }] },
      {
        phase: "Running",
        podIP: "10.244.0.12",
        podIPs: [{ ip: "10.244.0.12" }, { ip: "fd00::12" }],
        nominatedNodeName: "other",
        conditions: [
          { type: "Ready", status: "True" },
          { type: "example.com/lb", status: "True" },
          { type: "example.com/dns", status: "False" },
        ],
        containerStatuses: [running("app"), running("sidecar")],
      },
    );
    expect(pods.cells(p, NOW)).toEqual(["web-7d4b9c", "2/2", "Running", "0", "60m", "10.244.0.12", "kapi-node", "other", "1/2"]);
  });

  test("podIPs alone gives the IP", () => {
    const p = pod("v6", twoContainers, { phase: "Running", podIPs: [{ ip: "fd00::1" }] });
    expect(pods.cells(p, NOW)[5]).toBe("fd00::1");
  });

  test("crash loop with restarts and the time of the last restart", () => {
    const p = pod("crashy", twoContainers, {
      phase: "Running",
      containerStatuses: [
        {
          name: "app",
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s" } },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(125) } },
        },
        {
          ...running("sidecar", true, 1),
          lastState: { terminated: { exitCode: 137, reason: "OOMKilled", finishedAt: ago(3000) } },
        },
      ],
    });
    expect(pods.cells(p, NOW).slice(1, 4)).toEqual(["1/2", "CrashLoopBackOff", "6 (2m5s ago)"]);
  });

  test("restarts without a termination time have no suffix", () => {
    const p = pod("r", { containers: [{ name: "app" }] }, { phase: "Running", containerStatuses: [running("app", true, 3)] });
    expect(pods.cells(p, NOW)[3]).toBe("3");
  });

  test("the first container's reason wins", () => {
    const p = pod("errs", twoContainers, {
      phase: "Running",
      containerStatuses: [
        { name: "app", restartCount: 0, state: { waiting: { reason: "ImagePullBackOff" } } },
        { name: "sidecar", restartCount: 0, state: { terminated: { exitCode: 2 } } },
      ],
    });
    expect(pods.cells(p, NOW)[2]).toBe("ImagePullBackOff");
    p.status.containerStatuses.reverse();
    expect(pods.cells(p, NOW)[2]).toBe("ExitCode:2");
    p.status.containerStatuses[0].state = { terminated: { exitCode: 0, signal: 9 } };
    expect(pods.cells(p, NOW)[2]).toBe("Signal:9");
  });

  test("init containers in progress", () => {
    const spec = { ...twoContainers, initContainers: [{ name: "migrate" }, { name: "seed" }] };
    const first = pod("init", spec, {
      phase: "Pending",
      initContainerStatuses: [
        { name: "migrate", restartCount: 0, state: { running: {} } },
        { name: "seed", restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
      ],
      containerStatuses: [
        { name: "app", restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
        { name: "sidecar", restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
      ],
    });
    expect(pods.cells(first, NOW).slice(1, 4)).toEqual(["0/2", "Init:0/2", "0"]);

    first.status.initContainerStatuses[0].state = { terminated: { exitCode: 0, reason: "Completed" } };
    first.status.initContainerStatuses[1].state = { running: {} };
    expect(pods.cells(first, NOW)[2]).toBe("Init:1/2");
  });

  test("failing init containers", () => {
    const spec = { containers: [{ name: "app" }], initContainers: [{ name: "migrate" }] };
    const crash = pod("init", spec, {
      phase: "Pending",
      initContainerStatuses: [
        {
          name: "migrate",
          restartCount: 4,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(30) } },
        },
      ],
      containerStatuses: [{ name: "app", restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }],
    });
    expect(pods.cells(crash, NOW).slice(1, 4)).toEqual(["0/1", "Init:CrashLoopBackOff", "4 (30s ago)"]);

    crash.status.initContainerStatuses[0].state = { terminated: { exitCode: 1, reason: "Error" } };
    expect(pods.cells(crash, NOW)[2]).toBe("Init:Error");
    crash.status.initContainerStatuses[0].state = { terminated: { exitCode: 3 } };
    expect(pods.cells(crash, NOW)[2]).toBe("Init:ExitCode:3");
    crash.status.initContainerStatuses[0].state = { terminated: { exitCode: 137, signal: 9 } };
    expect(pods.cells(crash, NOW)[2]).toBe("Init:Signal:9");
  });

  test("a restartable init container (sidecar) counts toward READY and RESTARTS", () => {
    const spec = {
      containers: [{ name: "app" }],
      initContainers: [{ name: "proxy", restartPolicy: "Always" }, { name: "setup" }],
    };
    const p = pod("side", spec, {
      phase: "Running",
      conditions: [
        { type: "Initialized", status: "True" },
        { type: "Ready", status: "True" },
      ],
      initContainerStatuses: [
        {
          name: "proxy",
          ready: true,
          started: true,
          restartCount: 2,
          state: { running: {} },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(400) } },
        },
        { name: "setup", restartCount: 7, state: { terminated: { exitCode: 0, reason: "Completed" } } },
      ],
      containerStatuses: [running("app")],
    });
    // Restarts of the completed regular init container no longer count once initialised.
    expect(pods.cells(p, NOW).slice(1, 4)).toEqual(["2/2", "Running", "2 (6m40s ago)"]);
  });

  test("terminating", () => {
    const p = pod("bye", twoContainers, { phase: "Running", containerStatuses: [running("app"), running("sidecar")] }, {
      deletionTimestamp: ago(-30),
      deletionGracePeriodSeconds: 30,
    });
    expect(pods.cells(p, NOW).slice(1, 3)).toEqual(["2/2", "Terminating"]);
  });

  test("a finished pod being deleted keeps its phase", () => {
    const p = pod("done", { containers: [{ name: "app" }] }, { phase: "Succeeded" }, { deletionTimestamp: ago(0) });
    expect(pods.cells(p, NOW)[2]).toBe("Succeeded");
  });

  test("node lost", () => {
    const p = pod("lost", { containers: [{ name: "app" }] }, { phase: "Running", reason: "NodeLost" });
    expect(pods.cells(p, NOW)[2]).toBe("NodeLost");
    p.metadata.deletionTimestamp = ago(0);
    expect(pods.cells(p, NOW)[2]).toBe("Unknown");
  });

  test("evicted", () => {
    const p = pod("ev", { containers: [{ name: "app" }] }, { phase: "Failed", reason: "Evicted", message: "low memory" });
    expect(pods.cells(p, NOW)[2]).toBe("Evicted");
  });

  test("succeeded pods show Completed and carry the Completed row condition", () => {
    const p = pod("job-x", { containers: [{ name: "app" }] }, {
      phase: "Succeeded",
      containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }],
    });
    expect(pods.cells(p, NOW).slice(1, 4)).toEqual(["0/1", "Completed", "0"]);
    expect(pods.conditions?.(p)).toEqual([
      { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
    ]);
  });

  test("failed pods show the container's reason", () => {
    const p = pod("job-y", { containers: [{ name: "app" }] }, {
      phase: "Failed",
      containerStatuses: [{ name: "app", restartCount: 0, state: { terminated: { exitCode: 1, reason: "Error" } } }],
    });
    expect(pods.cells(p, NOW)[2]).toBe("Error");
    expect(pods.conditions?.(p)).toEqual([{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }]);
  });

  test("Completed turns back into Running or NotReady while another container runs", () => {
    const p = pod("mixed", twoContainers, {
      phase: "Running",
      conditions: [{ type: "Ready", status: "False" }],
      containerStatuses: [
        { name: "app", restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        running("sidecar"),
      ],
    });
    expect(pods.cells(p, NOW).slice(1, 3)).toEqual(["1/2", "NotReady"]);
    p.status.conditions[0].status = "True";
    expect(pods.cells(p, NOW)[2]).toBe("Running");
  });

  test("an empty object does not throw", () => {
    expect(pods.cells({}, NOW)).toEqual(["", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"]);
  });
});
