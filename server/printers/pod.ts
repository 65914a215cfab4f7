// The Pod printer: READY, STATUS and RESTARTS follow upstream printPod, including init and
// sidecar containers, waiting/terminated reasons, Terminating and the "(5m ago)" suffix.
import { column, nameColumn, ageColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { humanDuration, parseTimestamp } from "./duration.ts";
import { findCondition, objectAge } from "./format.ts";
import type { TablePrinter, TableRowCondition } from "./types.ts";

interface Restarts {
  count: number;
  last: number | undefined;
}

function isRestartable(container: any): boolean {
  return container?.restartPolicy === "Always";
}

function noteRestart(acc: Restarts, status: any): void {
  acc.count += Number(status?.restartCount ?? 0);
  const finished = parseTimestamp(status?.lastState?.terminated?.finishedAt);
  if (finished !== undefined && (acc.last === undefined || acc.last < finished)) acc.last = finished;
}

function terminatedReason(terminated: any, prefix: string): string {
  if (terminated.reason) return prefix + terminated.reason;
  if (terminated.signal) return `${prefix}Signal:${terminated.signal}`;
  return `${prefix}ExitCode:${terminated.exitCode ?? 0}`;
}

function conditionTrue(pod: any, type: string): boolean {
  return findCondition(pod.status?.conditions, type)?.status === "True";
}

function hasPodReadyCondition(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c?.type === "Ready" && c?.status === "True");
}

function readinessGates(pod: any): string {
  const gates: any[] = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const trueCount = gates.filter((g) => conditionTrue(pod, g?.conditionType)).length;
  return `${trueCount}/${gates.length}`;
}

/** Computes READY, STATUS and RESTARTS exactly as upstream printPod does. */
export function podSummary(pod: any, now: Date): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs: any[] = spec.initContainers ?? [];
  const phase: string = status.phase ?? "";
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c?.type === "PodScheduled" && c?.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const initByName = new Map<string, any>(initSpecs.map((c) => [c?.name, c]));
  const total = (spec.containers ?? []).length + initSpecs.filter(isRestartable).length;
  let ready = 0;
  const all: Restarts = { count: 0, last: undefined };
  const sidecars: Restarts = { count: 0, last: undefined };

  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const restartable = isRestartable(initByName.get(cs?.name));
    noteRestart(all, cs);
    if (restartable) noteRestart(sidecars, cs);
    const state = cs?.state ?? {};
    if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue;
    if (restartable && cs?.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (state.terminated) {
      reason = terminatedReason(state.terminated, "Init:");
    } else if (state.waiting?.reason && state.waiting.reason !== "PodInitializing") {
      reason = `Init:${state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || conditionTrue(pod, "Initialized")) {
    restarts = sidecars;
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      noteRestart(restarts, cs);
      const state = cs?.state ?? {};
      if (state.waiting?.reason) {
        reason = state.waiting.reason;
      } else if (state.terminated) {
        reason = terminatedReason(state.terminated, "");
      } else if (cs?.ready && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      reason = hasPodReadyCondition(pod) ? "Running" : "NotReady";
    }
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === "NodeLost") {
    reason = "Unknown";
  } else if (deleting && phase !== "Succeeded" && phase !== "Failed") {
    reason = "Terminating";
  }

  let restartsText = String(restarts.count);
  if (restarts.count !== 0 && restarts.last !== undefined) {
    restartsText += ` (${humanDuration(now.getTime() - restarts.last)} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function podCells(pod: any, now: Date): unknown[] {
  const { ready, status, restarts } = podSummary(pod, now);
  const podIP = pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || "<none>";
  return [
    pod.metadata?.name ?? "",
    ready,
    status,
    restarts,
    objectAge(pod, now),
    podIP,
    pod.spec?.nodeName || "<none>",
    pod.status?.nominatedNodeName || "<none>",
    readinessGates(pod),
  ];
}

function podConditions(pod: any): TableRowCondition[] | undefined {
  switch (pod.status?.phase) {
    case "Succeeded":
      return [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
    case "Failed":
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
  }
  return undefined;
}

/** core/v1 pods. */
export const podPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "string", "The aggregate status of the containers in this pod."),
    column(
      "Restarts",
      "string",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    ageColumn(),
    wide("IP", docs["PodStatus.podIP"]),
    wide("Node", docs["PodSpec.nodeName"]),
    wide("Nominated Node", docs["PodStatus.nominatedNodeName"]),
    wide("Readiness Gates", docs["PodSpec.readinessGates"]),
  ],
  cells: podCells,
  conditions: podConditions,
};
