// Helpers for the node tests: streaming kubectl commands, bounded polling and finding the
// processes of a pod.
import { readdirSync, readFileSync } from "node:fs";
import type { Kubectl } from "../support/kubectl.ts";
import type { TestServer } from "../support/server.ts";

/** A long-running kubectl (get -w, logs -f) whose output is read as it arrives. */
export interface KubectlStream {
  /** Reads until the output matches (bounded by `maxReads` chunks); returns the output so far. */
  waitFor(pattern: RegExp, maxReads?: number): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts kubectl with its stdout piped. */
export function streamKubectl(server: TestServer, k: Kubectl, args: string[]): KubectlStream {
  const child = Bun.spawn([k.path, "--kubeconfig", server.kubeconfigPath, ...args], {
    env: { ...process.env, HOME: server.home, KUBECONFIG: "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let ended = false;
  return {
    async waitFor(pattern, maxReads = 500) {
      for (let i = 0; i < maxReads && !pattern.test(seen) && !ended; i++) {
        const { value, done } = await reader.read();
        if (done) ended = true;
        else seen += decoder.decode(value, { stream: true });
      }
      return seen;
    },
    output: () => seen,
    async stop() {
      child.kill();
      await child.exited;
    },
  };
}

/** Polls `check` every `intervalMs` until it returns a truthy value (at most `attempts` times). */
export async function eventually<T>(check: () => Promise<T> | T, attempts = 200, intervalMs = 50): Promise<T> {
  let last: T = await check();
  for (let i = 1; i < attempts && !last; i++) {
    await Bun.sleep(intervalMs);
    last = await check();
  }
  return last;
}

/** PIDs of live processes whose environment has HOSTNAME=<pod> (every process of the pod inherits it). */
export function podProcesses(podName: string): number[] {
  const wanted = `HOSTNAME=${podName}`;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (environ.includes(wanted) && state !== "Z") pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}
