// Which pods and containers `kapi logs` reads, found the way kubectl finds them: a pod by
// name, the pods of a label selector, or one pod (all with --all-pods) of a workload or
// service through its selector, waiting up to --pod-running-timeout for one to appear.

import type { CommandContext } from "../main.ts";
import type { ApiResource } from "../../client/discovery.ts";
import type { RestClient } from "../../client/transport.ts";
import { resourcePath } from "../../client/resources.ts";
import { writeStderr } from "../../client/stdio.ts";
import { StatusError } from "../../api/status.ts";
import { formatLabelSelector, labelSelectorFromObject } from "../../api/label-selector.ts";
import { discoveryFor } from "../discovery.ts";
import { byLogging, type Pod } from "./pod-order.ts";

type Obj = Record<string, any>;

/** What the command-line arguments named. */
export type Target = { kind: "pods"; pods: Pod[] } | { kind: "object"; resource: ApiResource; object: Obj } | { kind: "empty" };

/** One stream to read. */
export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
}

/** How pods and containers are chosen. */
export interface ChoiceOptions {
  namespace: string;
  /** -c or the inline CONTAINER argument; "" to default. */
  container: string;
  allContainers: boolean;
  allPods: boolean;
  podTimeoutMs: number;
}

const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/** Fetches the pod, the object, or the pods of the selector; `empty` when a selector matched nothing. */
export async function fetchTarget(ctx: CommandContext, namespace: string, arg: string | undefined, selector: string): Promise<Target> {
  const discovery = await discoveryFor(ctx);
  const client = await ctx.restClient();
  if (arg === undefined) {
    const pods = await discovery.resolve("pods");
    const list = await client.requestJson<{ items?: Pod[] }>({ path: resourcePath(pods, namespace), query: { labelSelector: selector } });
    if (!list.items?.length) {
      writeStderr(`No resources found in ${namespace} namespace.\n`);
      return { kind: "empty" };
    }
    return { kind: "pods", pods: list.items };
  }
  const slash = arg.indexOf("/");
  const resource = await discovery.resolve(slash >= 0 ? arg.slice(0, slash) : "pods");
  const name = slash >= 0 ? arg.slice(slash + 1) : arg;
  let object: Obj;
  try {
    object = await client.requestJson<Obj>({ path: resourcePath(resource, namespace, name) });
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404)) throw err;
    const missing = resource.namespaced ? await missingNamespace(client, namespace) : undefined;
    throw new Error(`error from server (NotFound): ${(missing ?? err).message} in namespace "${namespace}"`);
  }
  if (resource.group === "" && resource.resource === "pods") return { kind: "pods", pods: [object as Pod] };
  return { kind: "object", resource, object };
}

// kubectl reports a missing namespace rather than the missing object inside it.
async function missingNamespace(client: RestClient, namespace: string): Promise<StatusError | undefined> {
  try {
    await client.requestJson({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` });
    return undefined;
  } catch (err) {
    return err instanceof StatusError && err.code === 404 ? err : undefined;
  }
}

/** The streams to read for a target, containers checked and defaulted as kubectl does. */
export async function logRequests(ctx: CommandContext, target: Target, opts: ChoiceOptions): Promise<LogRequest[]> {
  if (target.kind === "empty") return [];
  let pods: Pod[];
  if (target.kind === "pods") pods = target.pods;
  else {
    const selector = selectorOf(target.resource, target.object);
    const client = await ctx.restClient();
    const first = await firstPod(client, opts.namespace, selector, opts.podTimeoutMs, !opts.allPods);
    pods = opts.allPods ? await listPods(client, opts.namespace, selector).then((l) => l.items ?? []) : [first];
  }
  return pods.flatMap((pod) => containersOf(pod, opts).map((container) => ({ namespace: pod.metadata?.namespace ?? opts.namespace, pod: pod.metadata?.name ?? "", container })));
}

// The label selector of the kinds kubectl knows how to find pods for.
function selectorOf(r: ApiResource, obj: Obj): string {
  const typeName = `*${r.version}.${r.kind}`;
  const spec = obj.spec ?? {};
  const known = (group: string[], kinds: string[]) => group.includes(r.group) && kinds.includes(r.kind);
  if (known([""], ["ReplicationController", "Service"])) {
    const set = spec.selector ?? {};
    if (r.kind === "Service" && Object.keys(set).length === 0) {
      throw new Error(`cannot get the logs from ${typeName}: invalid service '${obj.metadata?.name}': Service is defined without a selector`);
    }
    return formatLabelSelector(labelSelectorFromObject({ matchLabels: set }));
  }
  if (known(["apps", "extensions"], ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]) || known(["batch"], ["Job"])) {
    return formatLabelSelector(labelSelectorFromObject(spec.selector));
  }
  throw new Error(`cannot get the logs from ${typeName}: selector for ${typeName} not implemented`);
}

// kubectl lists them through its typed clientset, which prefers protobuf.
async function listPods(client: RestClient, namespace: string, selector: string): Promise<{ items?: Pod[]; metadata?: { resourceVersion?: string } }> {
  const { requestTyped } = await import("../../client/typed-request.ts");
  return requestTyped(client, { path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, query: { labelSelector: selector } });
}

// kubectl's GetFirstPod: the best pod for logging, or the first one to appear.
async function firstPod(client: RestClient, namespace: string, selector: string, timeoutMs: number, announce: boolean): Promise<Pod> {
  const list = await listPods(client, namespace, selector);
  const items = [...(list.items ?? [])];
  if (items.length > 0) {
    items.sort(byLogging);
    if (items.length > 1 && announce) writeStderr(`Found ${items.length} pods, using pod/${items[0]!.metadata?.name}\n`);
    return items[0]!;
  }
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => new Error("timed out waiting for the condition");
  let response: Response;
  try {
    response = await client.request({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      query: { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion ?? "", watch: "true" },
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw timedOut();
    throw err;
  }
  try {
    for await (const event of watchEvents(response)) {
      if (event.type === "ADDED" || event.type === "MODIFIED") return event.object as Pod;
      if (event.type === "DELETED") throw new Error("pod not found");
    }
  } catch (err) {
    if (signal.aborted) throw timedOut();
    throw err;
  }
  throw timedOut();
}

async function* watchEvents(response: Response): AsyncGenerator<{ type: string; object: unknown }> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
}

function containersOf(pod: Pod, opts: ChoiceOptions): string[] {
  const spec = pod.spec ?? {};
  const names = (list?: { name: string }[]) => (list ?? []).map((c) => c.name);
  const [main, init, ephemeral] = [names(spec.containers), names(spec.initContainers), names(spec.ephemeralContainers)];
  const podName = pod.metadata?.name ?? "";
  if (opts.allContainers) return [...init, ...main, ...ephemeral];
  if (opts.container) {
    if (![...main, ...init, ...ephemeral].includes(opts.container)) throw new Error(`container ${opts.container} is not valid for pod ${podName}`);
    return [opts.container];
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && [...main, ...init, ...ephemeral].includes(annotated)) return [annotated];
  const chosen = main[0];
  if (chosen === undefined) throw new Error(`pod ${podName} does not have a container`);
  if (main.length > 1 || init.length > 0 || ephemeral.length > 0) {
    const all = [...main, ...init.map((n) => `${n} (init)`), ...ephemeral.map((n) => `${n} (ephem)`)].join(", ");
    writeStderr(`Defaulted container "${chosen}" out of: ${all}\n`);
  }
  return [chosen];
}
