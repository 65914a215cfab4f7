// One pod on the node: runs its init containers in order, then its containers; restarts
// them per restartPolicy with the kubelet's back-off (immediately, then 10 s doubling to
// 5 min, reset after 10 min of running); reports status; and when the pod is deleted stops
// them (SIGTERM, grace period, SIGKILL) before confirming the deletion with a zero grace.
import { rmSync } from "node:fs";
import { nowTimestamp } from "../registry/object-meta.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { containerArgv, containerEnv, EnvError } from "./container-env.ts";
import { containerLogPath, podDirectory, type NodeContext } from "./context.ts";
import { buildPodStatus, initDone, type ContainerRecord } from "./pod-status.ts";
import { containerIdFor, type ContainerExit, type RuntimeContainer } from "./runtime.ts";
import { createStatusReporter } from "./status-reporter.ts";

/** The agent's handle on one pod. */
export interface PodWorker {
  /** A newer version of the pod (from the informer). */
  update(pod: KubeObject): void;
  /** The pod object is gone: stop what still runs and drop its files. */
  removed(): Promise<void>;
  /** Server shutdown: stop processes quickly and report nothing. */
  shutdown(): Promise<void>;
}

const configRetryMs = 10_000;
const initialBackoffMs = 10_000;
const maxBackoffMs = 300_000;
const backoffResetMs = 600_000;
const removedGraceSeconds = 2;
const shutdownGraceSeconds = 1;

/** Starts managing `first` (a pod bound to this node). */
export function createPodWorker(ctx: NodeContext, first: KubeObject): PodWorker {
  let pod = first;
  const { uid, namespace, name } = pod.metadata;
  const records: ContainerRecord[] = [];
  const recovered = new Set<ContainerRecord>();
  const handles = new Map<string, RuntimeContainer>();
  const backoff = new Map<string, number>();
  const sleepers = new Set<() => void>();
  const startTime: string = pod.status?.startTime ?? nowTimestamp();
  const podDir = podDirectory(ctx.podsDir, pod);
  let started = false;
  let stopping = false;
  let deleting = false;
  const placement = { hostIP: ctx.nodeIP, podIP: ctx.nodeIP, startTime };
  const status = createStatusReporter(ctx, () => pod, replace, (p) => buildPodStatus(p, records, placement, deleting));

  function replace(next: KubeObject): void {
    if (Number(next.metadata.resourceVersion) >= Number(pod.metadata.resourceVersion)) pod = next;
  }

  const fieldPath = (rec: ContainerRecord) => `spec.${rec.init ? "initContainers" : "containers"}{${rec.name}}`;
  const event = (rec: ContainerRecord, type: "Normal" | "Warning", reason: string, message: string) => ctx.events.record(pod, type, reason, message, { fieldPath: fieldPath(rec) });
  const specOf = (rec: ContainerRecord) => ((rec.init ? pod.spec.initContainers : pod.spec.containers) as Record<string, any>[]).find((c) => c.name === rec.name)!;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  function wakeAll(): void {
    for (const wake of [...sleepers]) wake();
  }

  async function start(): Promise<void> {
    const hasInit = (pod.spec.initContainers ?? []).length > 0;
    for (const c of pod.spec.initContainers ?? []) records.push(newRecord(c, true, "ContainerCreating"));
    for (const c of pod.spec.containers ?? []) records.push(newRecord(c, false, hasInit ? "PodInitializing" : "ContainerCreating"));
    status.changed();
    for (const rec of records.filter((r) => r.init)) {
      if (!initDone(rec)) await runContainer(rec);
      if (!initDone(rec)) return status.changed();
    }
    for (const rec of records.filter((r) => !r.init)) void runContainer(rec);
  }

  /** A fresh record, or the state a previous server reported (its runs did not survive). */
  function newRecord(c: Record<string, any>, init: boolean, waitingReason: string): ContainerRecord {
    const rec: ContainerRecord = { name: c.name, image: c.image, init, restartCount: 0, state: { waiting: { reason: waitingReason } }, lastState: {}, ready: false, started: false };
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const before = statuses.find((s: { name: string }) => s.name === c.name);
    if (!before || (!before.containerID && !before.lastState?.terminated)) return rec;
    rec.restartCount = before.restartCount ?? 0;
    rec.lastState = before.lastState ?? {};
    rec.containerID = before.containerID;
    const lost = before.state?.running && { exitCode: 255, reason: "Unknown", startedAt: before.state.running.startedAt, finishedAt: nowTimestamp(), containerID: before.containerID };
    rec.state = before.state?.terminated ? { terminated: before.state.terminated } : lost ? { terminated: lost } : before.state;
    recovered.add(rec);
    return rec;
  }

  function wantsRestart(rec: ContainerRecord, exitCode: number): boolean {
    const policy = pod.spec.restartPolicy ?? "Always";
    if (rec.init) return exitCode !== 0 && policy !== "Never";
    return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
  }

  function prepareRestart(rec: ContainerRecord): void {
    if ("terminated" in rec.state) rec.lastState = { terminated: rec.state.terminated };
    rec.restartCount++;
  }

  async function runContainer(rec: ContainerRecord): Promise<void> {
    if (recovered.delete(rec)) {
      if ("terminated" in rec.state && !wantsRestart(rec, rec.state.terminated.exitCode)) return;
      prepareRestart(rec);
    }
    while (!stopping) {
      const exit = await runOnce(rec);
      if (!exit) continue;
      if (stopping || !wantsRestart(rec, exit.exitCode)) return;
      const delay = nextDelay(rec, exit);
      if (delay > 0) {
        rec.lastState = { terminated: (rec.state as { terminated: Record<string, unknown> }).terminated };
        const message = `back-off ${goDuration(delay)} restarting failed container=${rec.name} pod=${name}_${namespace}(${uid})`;
        rec.state = { waiting: { reason: "CrashLoopBackOff", message } };
        event(rec, "Warning", "BackOff", `Back-off restarting failed container ${rec.name} in pod ${name}_${namespace}(${uid})`);
        status.changed();
        await sleep(delay);
        if (stopping) return;
      }
      prepareRestart(rec);
    }
  }

  /** One run of a container; undefined when its configuration is not ready (retried later). */
  async function runOnce(rec: ContainerRecord): Promise<(ContainerExit & { startedAt: string }) | undefined> {
    const spec = specOf(rec);
    let env: Record<string, string>;
    try {
      env = await containerEnv(pod, spec, ctx.envSources, ctx.baseEnv);
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      rec.state = { waiting: { reason: "CreateContainerConfigError", message: err.message } };
      event(rec, "Warning", "Failed", `Error: ${err.message}`);
      status.changed();
      await sleep(configRetryMs);
      return undefined;
    }
    const argv = containerArgv(spec, env);
    const run = rec.restartCount;
    const id = containerIdFor(ctx.runtime.name, uid, rec.name, run);
    event(rec, "Normal", "Pulled", `Container image "${spec.image}" already present on machine`);
    let handle: RuntimeContainer;
    try {
      handle = await ctx.runtime.start({ id, argv, env, workingDir: spec.workingDir || podDir, logPath: containerLogPath(ctx.podsDir, pod, rec.name, run) });
    } catch (err) {
      const exit = { exitCode: 128, reason: "StartError", message: (err as Error).message, startedAt: "1970-01-01T00:00:00Z", finishedAt: nowTimestamp() };
      event(rec, "Warning", "Failed", `Error: ${exit.message}`);
      terminated(rec, exit, id);
      return exit;
    }
    handles.set(rec.name, handle);
    if (stopping) void handle.stop(0);
    event(rec, "Normal", "Created", `Created container: ${rec.name}`);
    event(rec, "Normal", "Started", `Started container ${rec.name}`);
    if (ctx.runtime.runsProcesses && !argv.length) {
      event(rec, "Warning", "NoCommand", `Container ${rec.name} sets no command or args, so no process runs for image "${spec.image}"; it is reported Running`);
    }
    rec.state = { running: { startedAt: handle.startedAt } };
    rec.containerID = id;
    rec.ready = !rec.init;
    rec.started = !rec.init;
    status.changed();
    if (run >= 2) rmSync(containerLogPath(ctx.podsDir, pod, rec.name, run - 2), { force: true });
    const exit = { ...(await handle.exited), startedAt: handle.startedAt };
    handles.delete(rec.name);
    terminated(rec, exit, id);
    return exit;
  }

  function terminated(rec: ContainerRecord, exit: ContainerExit & { startedAt: string }, containerID: string): void {
    const { exitCode, signal, reason, message, startedAt, finishedAt } = exit;
    rec.state = { terminated: { exitCode, ...(signal ? { signal } : {}), reason, ...(message ? { message } : {}), startedAt, finishedAt, containerID } };
    rec.containerID = containerID;
    rec.ready = false;
    rec.started = false;
    status.changed();
  }

  function nextDelay(rec: ContainerRecord, exit: { startedAt: string; finishedAt: string }): number {
    const ran = Date.parse(exit.finishedAt) - Date.parse(exit.startedAt);
    const delay = ran >= backoffResetMs ? 0 : (backoff.get(rec.name) ?? 0);
    backoff.set(rec.name, delay ? Math.min(delay * 2, maxBackoffMs) : initialBackoffMs);
    return delay;
  }

  async function terminate(): Promise<void> {
    if (deleting) return;
    deleting = true;
    stopping = true;
    wakeAll();
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const stops = [...handles].map(([container, handle]) => {
      const rec = records.find((r) => r.name === container)!;
      event(rec, "Normal", "Killing", `Stopping container ${container}`);
      return handle.stop(grace);
    });
    await Promise.all(stops);
    status.changed();
    await status.flush();
    status.close();
    try {
      await ctx.writer.delete(ctx.pods, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 409) console.error(`node: deleting pod ${namespace}/${name}:`, (err as Error).message);
    }
  }

  async function stopAll(graceSeconds: number): Promise<void> {
    stopping = true;
    wakeAll();
    status.close();
    await Promise.all([...handles.values()].map((h) => h.stop(Math.min(graceSeconds, pod.spec.terminationGracePeriodSeconds ?? 30))));
  }

  return {
    update(next) {
      replace(next);
      if (pod.metadata.deletionTimestamp) return void terminate();
      if (started || stopping) return;
      started = true;
      if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return;
      void start();
    },
    async removed() {
      await stopAll(removedGraceSeconds);
      rmSync(podDir, { recursive: true, force: true });
    },
    shutdown: () => stopAll(shutdownGraceSeconds),
  };
}

/** Go's time.Duration formatting for whole seconds: 10s, 1m20s, 5m0s. */
function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
