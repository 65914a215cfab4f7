// The default scheduler: binds pending pods of schedulerName `default-scheduler` to a node
// through pods/binding, as kube-scheduler does. It checks that the node is Ready and
// schedulable, that the pod tolerates the node's NoSchedule/NoExecute taints and matches its
// nodeSelector (and required node affinity terms); it does not account for resources.
// Pods it cannot place stay Pending with a PodScheduled=False condition and a
// FailedScheduling event, and are retried when nodes change and with a growing backoff.
import { matchLabels, labelSelectorFromObject } from "../../api/label-selector.ts";
import { nowTimestamp } from "../registry/object-meta.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { clone, jsonEqual } from "../registry/strategies/common.ts";
import { createEventRecorder } from "./events.ts";
import { startInformer } from "./informer.ts";
import type { ControllerDeps } from "./index.ts";
import type { Controller } from "./namespace.ts";
import { createWorkQueue } from "./work-queue.ts";

const schedulerName = "default-scheduler";
const maxBackoffMs = 60_000;

/** Starts the scheduler. */
export function startScheduler(deps: ControllerDeps): Controller {
  const { store, catalog, writer } = deps;
  const pods = catalog.lookup("", "v1", "pods")!;
  const nodesType = catalog.lookup("", "v1", "nodes")!;
  const events = createEventRecorder(catalog, writer, { component: schedulerName });
  const unschedulable = new Map<string, number>();
  const queue = createWorkQueue(schedule, { name: "scheduler", concurrency: 8 });

  const podInformer = startInformer(store, pods, (event, pod, old) => {
    const key = keyOf(pod);
    if (event === "DELETED") unschedulable.delete(key);
    // An unschedulable pod waits for its backoff or a node change unless its spec changed.
    else if (wantsScheduling(pod) && !(unschedulable.has(key) && old && jsonEqual(old.spec, pod.spec))) queue.add(key);
  });
  const nodeInformer = startInformer(store, nodesType, () => {
    for (const key of unschedulable.keys()) queue.add(key);
  });

  async function schedule(key: string): Promise<void> {
    await nodeInformer.synced;
    const [namespace, name] = key.split("/");
    const cached = podInformer.get(namespace, name);
    if (!cached || !wantsScheduling(cached)) return;
    const nodes = nodeInformer.list();
    const fit = nodes.find((node) => fitError(cached, node) === undefined);
    if (!fit) return reportUnschedulable(key, cached, nodes);
    unschedulable.delete(key);
    const pod = clone(cached);
    pod.spec.nodeName = fit.metadata.name;
    setScheduledCondition(pod, { status: "True" });
    // Stamped before the bind (and a millisecond back, as event names break ties by a global
    // sequence), so the event sorts before the node's events about the pod.
    const time = Date.now() - 1;
    try {
      await writer.bindPod(pods, namespace, name, pod);
    } catch (err) {
      // A newer version of the pod arrives through the informer and queues it again.
      if ((err as { code?: number }).code === 409) return;
      throw err;
    }
    events.record(cached, "Normal", "Scheduled", `Successfully assigned ${namespace}/${name} to ${fit.metadata.name}`, { time });
  }

  async function reportUnschedulable(key: string, pod: KubeObject, nodes: KubeObject[]): Promise<void> {
    const attempts = (unschedulable.get(key) ?? 0) + 1;
    unschedulable.set(key, attempts);
    const message = failureMessage(pod, nodes);
    const current = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "PodScheduled");
    if (current?.status !== "False" || current.message !== message) {
      const updated = clone(pod);
      setScheduledCondition(updated, { status: "False", reason: "Unschedulable", message });
      await writer.update(pods, pod.metadata.namespace, pod.metadata.name, updated, { subresource: "status" });
    }
    events.record(pod, "Warning", "FailedScheduling", message);
    queue.addAfter(key, Math.min(1000 * 2 ** (attempts - 1), maxBackoffMs));
  }

  return {
    stop() {
      queue.stop();
      podInformer.stop();
      nodeInformer.stop();
    },
  };
}

function keyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** A pod this scheduler should place: unbound, ours, alive and not finished. */
export function wantsScheduling(pod: KubeObject): boolean {
  if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) return false;
  if ((pod.spec?.schedulerName ?? schedulerName) !== schedulerName) return false;
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed";
}

/** Why the node cannot take the pod, as a kube-scheduler filter reason; undefined when it fits. */
export function fitError(pod: KubeObject, node: KubeObject): string | undefined {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
  if (ready?.status !== "True") return "node(s) were not ready";
  if (node.spec?.unschedulable && !tolerates(pod, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) return "node(s) were unschedulable";
  const labels = node.metadata.labels ?? {};
  const selector = pod.spec?.nodeSelector ?? {};
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return "node(s) didn't match Pod's node affinity/selector";
  if (!matchesRequiredAffinity(pod, labels)) return "node(s) didn't match Pod's node affinity/selector";
  for (const taint of node.spec?.taints ?? []) {
    if ((taint.effect === "NoSchedule" || taint.effect === "NoExecute") && !tolerates(pod, taint)) {
      return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
    }
  }
  return undefined;
}

function matchesRequiredAffinity(pod: KubeObject, labels: Record<string, string>): boolean {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return true;
  // Terms are ORed; the expressions of one term are ANDed (Gt/Lt are not supported).
  return terms.some((term: { matchExpressions?: unknown[] }) => {
    const expressions = term.matchExpressions ?? [];
    return expressions.length > 0 && matchLabels(labelSelectorFromObject({ matchExpressions: expressions as never }), labels);
  });
}

function tolerates(pod: KubeObject, taint: { key: string; value?: string; effect: string }): boolean {
  return (pod.spec?.tolerations ?? []).some((t: Record<string, string>) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

/** kube-scheduler's summary: `0/N nodes are available: <count> <reason>. ...`. */
function failureMessage(pod: KubeObject, nodes: KubeObject[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const reason = fitError(pod, node)!;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  const head = `0/${nodes.length} nodes are available`;
  if (!nodes.length) return `no nodes available to schedule pods`;
  return `${head}: ${reasons.join(", ")}. preemption: ${head}: ${nodes.length} Preemption is not helpful for scheduling.`;
}

function setScheduledCondition(pod: KubeObject, change: { status: string; reason?: string; message?: string }): void {
  const conditions = ((pod.status ??= {}).conditions ??= []) as Record<string, unknown>[];
  const condition: Record<string, unknown> = { type: "PodScheduled", status: change.status, lastProbeTime: null, lastTransitionTime: nowTimestamp() };
  if (change.reason) condition.reason = change.reason;
  if (change.message) condition.message = change.message;
  const index = conditions.findIndex((c) => c.type === "PodScheduled");
  if (index >= 0) conditions[index] = condition;
  else conditions.push(condition);
}
