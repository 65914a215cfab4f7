// The pod status the node reports: container statuses from the agent's records, the phase
// (as the kubelet derives it from container states and the restart policy) and the
// conditions the kubelet owns. Conditions owned by others (PodScheduled, ...) are kept.
import { nowTimestamp } from "../registry/object-meta.ts";
import type { KubeObject } from "../registry/resource-type.ts";

/** One of waiting, running or terminated, as containerStatuses[].state has it. */
export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: Record<string, unknown> & { exitCode: number; reason: string } };

/** What the agent knows about one container of a pod. */
export interface ContainerRecord {
  name: string;
  image: string;
  init: boolean;
  restartCount: number;
  state: ContainerState;
  /** The previous run's end, or {} before the first restart. */
  lastState: { terminated?: Record<string, unknown> };
  containerID?: string;
  ready: boolean;
  started: boolean;
}

/** Where the pod runs. */
export interface PodPlacement {
  hostIP: string;
  podIP: string;
  startTime: string;
}

const ownConditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];

/**
 * The full status to report for `pod`, given the agent's records. `final` is the last report
 * of a deleted pod: with every container stopped it is terminal whatever the restart policy.
 */
export function buildPodStatus(pod: KubeObject, records: ContainerRecord[], placement: PodPlacement, final = false): Record<string, any> {
  const previous = pod.status ?? {};
  const phase = podPhase(pod, records, final);
  const status: Record<string, any> = {
    ...previous,
    phase,
    conditions: [...podConditions(records, phase, previous.conditions ?? []), ...(previous.conditions ?? []).filter((c: { type: string }) => !ownConditions.includes(c.type))],
    hostIP: placement.hostIP,
    hostIPs: [{ ip: placement.hostIP }],
    podIP: placement.podIP,
    podIPs: [{ ip: placement.podIP }],
    startTime: placement.startTime,
  };
  const init = records.filter((r) => r.init);
  if (init.length) status.initContainerStatuses = init.map(containerStatus);
  status.containerStatuses = records.filter((r) => !r.init).map(containerStatus);
  return status;
}

function containerStatus(r: ContainerRecord): Record<string, unknown> {
  const status: Record<string, unknown> = {
    name: r.name,
    state: r.state,
    lastState: r.lastState,
    ready: r.ready,
    restartCount: r.restartCount,
    image: r.image,
    imageID: "",
  };
  if (r.containerID) status.containerID = r.containerID;
  status.started = r.started;
  return status;
}

/** Whether an init container finished successfully. */
export function initDone(r: ContainerRecord): boolean {
  return "terminated" in r.state && r.state.terminated.exitCode === 0;
}

/** Pending, Running, Succeeded or Failed, following the kubelet's rules. */
export function podPhase(pod: KubeObject, records: ContainerRecord[], final = false): string {
  const policy = pod.spec?.restartPolicy ?? "Always";
  for (const r of records.filter((c) => c.init)) {
    if (initDone(r)) continue;
    if ("terminated" in r.state && policy === "Never") return "Failed";
    return "Pending";
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const r of records.filter((c) => !c.init)) {
    if ("running" in r.state) running++;
    else if ("terminated" in r.state) {
      stopped++;
      if (r.state.terminated.exitCode === 0) succeeded++;
    } else if (r.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped === 0) return "Pending";
  if (policy === "Always" && !final) return "Running";
  if (stopped === succeeded) return "Succeeded";
  return policy === "Never" || final ? "Failed" : "Running";
}

function podConditions(records: ContainerRecord[], phase: string, previous: Record<string, any>[]): Record<string, unknown>[] {
  const completed = phase === "Succeeded";
  const terminal = completed || phase === "Failed";
  const pendingInit = records.filter((r) => r.init && !initDone(r)).map((r) => r.name);
  const unready = records.filter((r) => !r.init && !r.ready).map((r) => r.name);
  const notReady = completed
    ? { status: "False", reason: "PodCompleted" }
    : unready.length
      ? { status: "False", reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` }
      : { status: "True" };
  const initialized = completed
    ? { status: "True", reason: "PodCompleted" }
    : pendingInit.length
      ? { status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${pendingInit.join(" ")}]` }
      : { status: "True" };
  return [
    condition("PodReadyToStartContainers", { status: terminal ? "False" : "True" }, previous),
    condition("Initialized", initialized, previous),
    condition("Ready", notReady, previous),
    condition("ContainersReady", notReady, previous),
  ];
}

function condition(type: string, value: { status: string; reason?: string; message?: string }, previous: Record<string, any>[]): Record<string, unknown> {
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before?.status === value.status ? before.lastTransitionTime : nowTimestamp();
  return { type, status: value.status, lastProbeTime: null, lastTransitionTime, ...(value.reason ? { reason: value.reason } : {}), ...(value.message ? { message: value.message } : {}) };
}
