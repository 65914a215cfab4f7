import { describe, expect, test } from "bun:test";
import { buildPodStatus, podPhase, type ContainerRecord } from "./pod-status.ts";

const rec = (state: ContainerRecord["state"], extra: Partial<ContainerRecord> = {}): ContainerRecord => ({
  name: "c",
  image: "busybox",
  init: false,
  restartCount: 0,
  state,
  lastState: {},
  ready: "running" in state,
  started: "running" in state,
  ...extra,
});
const running = { running: { startedAt: "2024-01-01T00:00:00Z" } };
const exited = (exitCode: number) => ({ terminated: { exitCode, reason: exitCode ? "Error" : "Completed" } });
const pod = (restartPolicy: string) => ({ metadata: { name: "p" }, spec: { restartPolicy } });

describe("podPhase", () => {
  test("follows the kubelet's rules", () => {
    expect(podPhase(pod("Always"), [rec({ waiting: { reason: "ContainerCreating" } })])).toBe("Pending");
    expect(podPhase(pod("Always"), [rec(running)])).toBe("Running");
    expect(podPhase(pod("Always"), [rec(exited(0))])).toBe("Running");
    expect(podPhase(pod("Never"), [rec(exited(0))])).toBe("Succeeded");
    expect(podPhase(pod("Never"), [rec(exited(1))])).toBe("Failed");
    expect(podPhase(pod("OnFailure"), [rec(exited(1))])).toBe("Running");
    expect(podPhase(pod("OnFailure"), [rec(exited(0)), rec(running)])).toBe("Running");
    const crashLooping = rec({ waiting: { reason: "CrashLoopBackOff" } }, { lastState: { terminated: { exitCode: 1 } } });
    expect(podPhase(pod("Always"), [crashLooping])).toBe("Running");
    expect(podPhase(pod("Never"), [rec(exited(0), { init: true, name: "i" }), rec(running)])).toBe("Running");
    expect(podPhase(pod("Always"), [rec(running, { init: true, name: "i" }), rec({ waiting: { reason: "PodInitializing" } })])).toBe("Pending");
    expect(podPhase(pod("Never"), [rec(exited(2), { init: true, name: "i" }), rec({ waiting: { reason: "PodInitializing" } })])).toBe("Failed");
  });

  test("a deleted pod whose containers all stopped is terminal whatever its policy", () => {
    expect(podPhase(pod("Always"), [rec(exited(0))], true)).toBe("Succeeded");
    expect(podPhase(pod("Always"), [rec(exited(143))], true)).toBe("Failed");
  });
});

describe("buildPodStatus", () => {
  test("keeps conditions owned by others and transition times that did not change", () => {
    const scheduled = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: "2020-01-01T00:00:00Z" };
    const ready = { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: "2021-01-01T00:00:00Z" };
    const status = buildPodStatus({ ...pod("Always"), status: { qosClass: "BestEffort", conditions: [scheduled, ready] } }, [rec(running)], { hostIP: "127.0.0.1", podIP: "127.0.0.1", startTime: "2024-01-01T00:00:00Z" });
    expect(status.conditions.map((c: any) => c.type)).toEqual(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);
    expect(status.conditions.find((c: any) => c.type === "Ready").lastTransitionTime).toBe("2021-01-01T00:00:00Z");
    expect(status.qosClass).toBe("BestEffort");
    expect(status.containerStatuses[0]).toEqual({ name: "c", state: running, lastState: {}, ready: true, restartCount: 0, image: "busybox", imageID: "", started: true });
  });
});
