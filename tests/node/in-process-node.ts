// An in-process server with the built-in node (process or simulated runtime) and helpers to
// create objects and wait for their state.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";

/** A server whose node is called `node-1`, with its data directory. */
export interface NodeServer extends InProcessServer {
  dataDir: string;
  /** POSTs an object; fails the test on anything but 201. */
  create(path: string, body: unknown): Promise<any>;
  /** GETs `path` until `predicate` holds (bounded), returning the last body. */
  waitFor(path: string, predicate: (body: any) => boolean, attempts?: number): Promise<any>;
  stop(): Promise<void>;
}

/** Starts a node server. */
export async function startNodeServer(runtime: "process" | "simulated" = "process"): Promise<NodeServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "kapi-node-test-"));
  const s = await startInProcessServer(undefined, { dataDir, runtime, nodeName: "node-1" });
  return {
    ...s,
    dataDir,
    async create(path, body) {
      const res = await s.json("POST", path, { body });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async waitFor(path, predicate, attempts = 200) {
      let last: any;
      for (let i = 0; i < attempts; i++) {
        last = (await s.json("GET", path)).body;
        if (predicate(last)) return last;
        await Bun.sleep(50);
      }
      throw new Error(`timed out waiting on ${path}: ${JSON.stringify(last?.status ?? last)}`);
    },
    async stop() {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pod body with the given containers (name, image and any other fields). */
export function podBody(name: string, containers: Record<string, unknown>[], spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: containers.map((c) => ({ image: "busybox", ...c })), ...spec } };
}

/** A container running `sh -c script`. */
export function shell(name: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, command: ["sh", "-c", script], ...extra };
}

/** The status of container `name` in a pod. */
export function containerStatus(pod: any, name: string): any {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((c: any) => c.name === name);
}
