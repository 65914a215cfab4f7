// GET pods/{name}/log: validates PodLogOptions and the container name as kube-apiserver
// does, checks the container's state as the kubelet does (reporting the same errors), then
// streams the container's log file as text/plain.
import { badRequest, invalid, type FieldError } from "../../api/status.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { CustomCall, KubeObject } from "../registry/resource-type.ts";
import { containerLogPath } from "./context.ts";
import { readLogStream, type LogReadOptions } from "./log-reader.ts";
import { containerIdFor } from "./runtime.ts";

/** Where a server's node keeps its pods' logs. */
export interface LogSource {
  nodeName: string;
  podsDir: string;
  runtime: string;
}

const sources = new WeakMap<Catalog, LogSource>();

/** Makes the node's logs readable through the server that owns `catalog`. */
export function attachLogSource(catalog: Catalog, source: LogSource): void {
  sources.set(catalog, source);
}

const textPlain = { "content-type": "text/plain" };

/** The pods/log handler. */
export async function servePodLog(call: CustomCall): Promise<Response> {
  const { ctx, t, namespace, name, query } = call;
  const options = parseLogOptions(name, query);
  const pod = await ctx.reader.get(t, namespace, name);
  const container = chooseContainer(pod, query.get("container") ?? "");
  const source = sources.get(ctx.catalog);
  // As upstream, a pod with no node yet (or on a node with no agent here) has an empty log.
  if (!pod.spec?.nodeName || !source || source.nodeName !== pod.spec.nodeName) return new Response("", { status: 200, headers: textPlain });
  const run = logRun(pod, container, options.previous, source.runtime);
  const path = containerLogPath(source.podsDir, pod, container, run);
  return new Response(readLogStream(path, options), { status: 200, headers: textPlain });
}

/** PodLogOptions from the query, with upstream's validation messages. */
export function parseLogOptions(name: string, query: URLSearchParams): LogReadOptions & { previous: boolean } {
  const errors: FieldError[] = [];
  const int = (key: string) => {
    const raw = query.get(key);
    if (raw === null || raw === "") return undefined;
    if (!/^-?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
    return Number(raw);
  };
  const bool = (key: string) => ["true", "1"].includes((query.get(key) ?? "").toLowerCase());
  const tailLines = int("tailLines");
  const limitBytes = int("limitBytes");
  const sinceSeconds = int("sinceSeconds");
  const sinceTimeRaw = query.get("sinceTime") || undefined;
  if (tailLines !== undefined && tailLines < 0) errors.push({ type: "FieldValueInvalid", field: "tailLines", value: tailLines, detail: "must be greater than or equal to 0" });
  if (limitBytes !== undefined && limitBytes < 1) errors.push({ type: "FieldValueInvalid", field: "limitBytes", value: limitBytes, detail: "must be greater than 0" });
  if (sinceSeconds !== undefined && sinceTimeRaw) errors.push({ type: "FieldValueForbidden", field: "", detail: "at most one of `sinceTime` or `sinceSeconds` may be specified" });
  if (sinceSeconds !== undefined && sinceSeconds < 1) errors.push({ type: "FieldValueInvalid", field: "sinceSeconds", value: sinceSeconds, detail: "must be greater than 0" });
  if (errors.length) throw invalid("", "PodLogOptions", name, errors);
  let sinceMs: number | undefined;
  if (sinceTimeRaw) {
    sinceMs = Date.parse(sinceTimeRaw);
    if (Number.isNaN(sinceMs)) throw badRequest(`parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeRaw}" as "2006"`);
    // metav1.Time has second precision.
    sinceMs = Math.floor(sinceMs / 1000) * 1000;
  } else if (sinceSeconds !== undefined) {
    sinceMs = Date.now() - sinceSeconds * 1000;
  }
  return { follow: bool("follow"), previous: bool("previous"), timestamps: bool("timestamps"), tailLines, limitBytes, sinceMs };
}

/** The container to read: the one named, or the only one; 400 otherwise. */
export function chooseContainer(pod: KubeObject, requested: string): string {
  const spec = pod.spec ?? {};
  const names = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: { name: string }) => c.name);
  if (requested) {
    if (!names.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const containers = spec.containers ?? [];
  if (containers.length === 1) return containers[0].name;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}`);
  throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`);
}

/**
 * Which run's log to read, from the reported container status (the kubelet's rules for
 * current and previous logs). Container IDs name their run, so the file is found from them.
 */
function logRun(pod: KubeObject, container: string, previous: boolean, runtime: string): number {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = statuses.find((s: { name: string }) => s.name === container);
  const podName = pod.metadata.name;
  const waitingToStart = (reason: string) => badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  if (!status) throw waitingToStart("ContainerCreating");
  const last = status.lastState?.terminated;
  const { waiting, running, terminated } = status.state ?? {};
  let id: string | undefined;
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    id = last.containerID;
  } else if (running) id = status.containerID;
  else if (terminated) {
    id = terminated.containerID || last?.containerID;
    if (!id) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
  } else if (last) {
    if (!last.containerID) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    id = last.containerID;
  } else if (waiting) throw waitingToStart(waiting.reason);
  else throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
  const restarts = status.restartCount ?? 0;
  for (let run = restarts; run >= 0; run--) if (containerIdFor(runtime, pod.metadata.uid, container, run) === id) return run;
  return restarts;
}
