// The built-in node: registration and heartbeat, the agent that runs the pods bound to it
// through a runtime (`process` or `simulated`), and the source of pods/log.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ControllerDeps } from "../controllers/index.ts";
import type { Controller } from "../controllers/namespace.ts";
import { createEventRecorder } from "../controllers/events.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { startNodeAgent } from "./agent.ts";
import type { EnvSources } from "./container-env.ts";
import type { NodeContext } from "./context.ts";
import { attachLogSource } from "./pod-log.ts";
import { processRuntime } from "./process-runtime.ts";
import { registerNode, type HeartbeatSettings } from "./registration.ts";
import { simulatedRuntime, type Runtime } from "./runtime.ts";

import { runtimeNames } from "./runtime-names.ts";

export { runtimeNames };

/** Options of the node beyond the core options. */
export interface NodeOptions {
  heartbeat?: Partial<HeartbeatSettings>;
}

/** Host variables containers see (processes run on the host, so its tools are theirs). */
const hostEnvNames = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

/** Starts the node named `deps.options.nodeName` with `deps.options.runtime`. */
export function startNode(deps: ControllerDeps, nodeOptions: NodeOptions = {}): Controller {
  const { store, catalog, writer, options } = deps;
  const nodeName = options.nodeName!;
  const runtime = createRuntime(options.runtime ?? "process");
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "kapi-node-"));
  const podsDir = join(dataDir, "pods");
  mkdirSync(podsDir, { recursive: true });
  const nodeIP = "127.0.0.1";
  const events = createEventRecorder(catalog, writer, { component: "kubelet", host: nodeName });
  const ctx: NodeContext = {
    nodeName,
    nodeIP,
    runtime,
    events,
    writer,
    pods: catalog.lookup("", "v1", "pods")!,
    envSources: envSources(deps),
    baseEnv: {
      apiHost: options.endpoint.ip,
      apiPort: options.endpoint.port,
      host: Object.fromEntries(hostEnvNames.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!])),
    },
    podsDir,
  };
  attachLogSource(catalog, { nodeName, podsDir, runtime: runtime.name });
  let stopped = false;
  let heartbeat: { stop(): void } | undefined;
  registerNode(catalog, writer, { name: nodeName, ip: nodeIP, runtime: runtime.name, dataDir }, events, nodeOptions.heartbeat)
    .then((h) => (stopped ? h.stop() : (heartbeat = h)))
    .catch((err) => {
      if (!stopped) console.error(`node ${nodeName}: registration failed:`, (err as Error).message);
    });
  const agent = startNodeAgent(store, ctx);
  return {
    stop() {
      stopped = true;
      heartbeat?.stop();
      return agent.stop();
    },
  };
}

function createRuntime(name: string): Runtime {
  if (name === "process") return processRuntime();
  if (name === "simulated") return simulatedRuntime();
  throw new Error(`unknown runtime "${name}" (supported: ${runtimeNames.join(", ")})`);
}

function envSources(deps: ControllerDeps): EnvSources {
  const lookup = (resource: string) => async (namespace: string, name: string): Promise<KubeObject | undefined> => {
    const t = deps.catalog.lookup("", "v1", resource)!;
    try {
      return await deps.reader.get(t, namespace, name);
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  };
  return { configMap: lookup("configmaps"), secret: lookup("secrets") };
}
