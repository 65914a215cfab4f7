// What the parts of the built-in node share: its identity, runtime, API access and files.
import { join } from "node:path";
import type { ObjectWriter } from "../registry/object-writer.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import type { EventRecorder } from "../controllers/events.ts";
import type { BaseEnv, EnvSources } from "./container-env.ts";
import type { Runtime } from "./runtime.ts";

/** The node agent's view of the server and of itself. */
export interface NodeContext {
  nodeName: string;
  /** The node's InternalIP, also reported as every pod's IP (processes share the host network). */
  nodeIP: string;
  runtime: Runtime;
  events: EventRecorder;
  writer: ObjectWriter;
  pods: ResourceType;
  envSources: EnvSources;
  baseEnv: BaseEnv;
  /** `<dataDir>/pods`: one directory per pod, holding its container logs. */
  podsDir: string;
}

/** `<podsDir>/<namespace>_<name>_<uid>`, as the kubelet names pod log directories. */
export function podDirectory(podsDir: string, pod: KubeObject): string {
  return join(podsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

/** The log file of run `run` of a container: `<podDir>/<container>/<run>.log`. */
export function containerLogPath(podsDir: string, pod: KubeObject, container: string, run: number): string {
  return join(podDirectory(podsDir, pod), container, `${run}.log`);
}
