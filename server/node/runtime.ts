// The runtime interface the node agent drives, in the spirit of the CRI: start a container
// run, learn how it ended, stop it with a grace period.
import { createHash } from "node:crypto";
import { nowTimestamp } from "../registry/object-meta.ts";

/** Everything a runtime needs to start one run of a container. */
export interface ContainerLaunch {
  /** The containerID to report (`<runtime>://<hex>`). */
  id: string;
  /** Command and arguments; empty when the container sets neither (image defaults). */
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  /** Where stdout and stderr go (CRI log format). */
  logPath: string;
}

/** How a run ended, as containerStatuses[].state.terminated reports it. */
export interface ContainerExit {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  finishedAt: string;
}

/** A started run. */
export interface RuntimeContainer {
  id: string;
  pid?: number;
  startedAt: string;
  /** Settles once, when the run has ended and its output is in the log. */
  exited: Promise<ContainerExit>;
  /** SIGTERM, then SIGKILL after `graceSeconds`; resolves with the exit. */
  stop(graceSeconds: number): Promise<ContainerExit>;
}

/** A container runtime. */
export interface Runtime {
  name: string;
  /** Whether containers become processes (containers without a command never do). */
  runsProcesses: boolean;
  /** Starts a run; rejects with an Error whose message the kubelet would show (StartError). */
  start(launch: ContainerLaunch): Promise<RuntimeContainer>;
  /** Stops what a previous server left running (after a crash); called once at start-up. */
  reapOrphans?(podsDir: string): void;
}

/** The id of run `run` of a container: stable, so logs can be found from a reported containerID. */
export function containerIdFor(runtime: string, podUid: string, container: string, run: number): string {
  return `${runtime}://${createHash("sha256").update(`${podUid}/${container}/${run}`).digest("hex")}`;
}

/** A run with no process: running until stopped, then exiting with code 0. */
export function idleContainer(id: string): RuntimeContainer {
  let finish: (exit: ContainerExit) => void = () => {};
  const exited = new Promise<ContainerExit>((resolve) => (finish = resolve));
  return {
    id,
    startedAt: nowTimestamp(),
    exited,
    stop() {
      finish({ exitCode: 0, reason: "Completed", finishedAt: nowTimestamp() });
      return exited;
    },
  };
}

/** The `simulated` runtime: no processes; every container runs until it is stopped. */
export function simulatedRuntime(): Runtime {
  return {
    name: "simulated",
    runsProcesses: false,
    start: async (launch) => idleContainer(launch.id),
  };
}
