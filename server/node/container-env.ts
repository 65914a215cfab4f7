// A container's environment and command line as the kubelet builds them: the kubernetes
// service variables, then envFrom sources, then env entries in order (with fieldRef,
// configMapKeyRef, secretKeyRef and resourceFieldRef), with $(VAR) references expanded.
import type { KubeObject } from "../registry/resource-type.ts";

/** Reads ConfigMaps and Secrets of the pod's namespace; undefined when absent. */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** What a container cannot start without; the message is the kubelet's. */
export class EnvError extends Error {}

/** The variables every container gets before its own. */
export interface BaseEnv {
  /** Where the API server listens, published as KUBERNETES_SERVICE_HOST/PORT. */
  apiHost: string;
  apiPort: number;
  /** Host variables passed through (PATH, HOME, ...): processes run on the host. */
  host: Record<string, string>;
}

/** The environment of `container` in `pod`. */
export async function containerEnv(pod: KubeObject, container: Record<string, any>, sources: EnvSources, base: BaseEnv): Promise<Record<string, string>> {
  const namespace = pod.metadata.namespace;
  const env: Record<string, string> = { ...base.host, HOSTNAME: pod.spec?.hostname ?? pod.metadata.name, ...serviceEnv(base) };
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref?.name) continue;
    const isSecret = Boolean(from.secretRef);
    const obj = isSecret ? await sources.secret(namespace, ref.name) : await sources.configMap(namespace, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      throw new EnvError(`${isSecret ? "secret" : "configmap"} "${ref.name}" not found`);
    }
    for (const [key, value] of Object.entries(dataOf(obj, isSecret))) env[`${from.prefix ?? ""}${key}`] = value;
  }
  const own: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (!entry?.name) continue;
    const value = entry.valueFrom ? await valueFrom(pod, container, entry.valueFrom, sources) : expand(String(entry.value ?? ""), { ...env, ...own });
    if (value !== undefined) own[entry.name] = value;
  }
  return { ...env, ...own };
}

/** Command and args with $(VAR) references expanded; args alone are the argv (no entrypoint). */
export function containerArgv(container: Record<string, any>, env: Record<string, string>): string[] {
  const argv = [...(container.command ?? []), ...(container.args ?? [])] as string[];
  return argv.map((a) => expand(String(a), env));
}

function serviceEnv(base: BaseEnv): Record<string, string> {
  const { apiHost: host, apiPort: port } = base;
  return {
    KUBERNETES_SERVICE_HOST: host,
    KUBERNETES_SERVICE_PORT: String(port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(port),
    KUBERNETES_PORT: `tcp://${host}:${port}`,
    [`KUBERNETES_PORT_${port}_TCP`]: `tcp://${host}:${port}`,
    [`KUBERNETES_PORT_${port}_TCP_PROTO`]: "tcp",
    [`KUBERNETES_PORT_${port}_TCP_PORT`]: String(port),
    [`KUBERNETES_PORT_${port}_TCP_ADDR`]: host,
  };
}

async function valueFrom(pod: KubeObject, container: Record<string, any>, from: Record<string, any>, sources: EnvSources): Promise<string | undefined> {
  const namespace = pod.metadata.namespace;
  if (from.fieldRef) return fieldValue(pod, String(from.fieldRef.fieldPath ?? ""));
  if (from.resourceFieldRef) {
    const { resource = "" } = from.resourceFieldRef;
    const [kind, name] = String(resource).split(".");
    return String(container.resources?.[kind]?.[name] ?? "0");
  }
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (!keyRef) return undefined;
  const isSecret = Boolean(from.secretKeyRef);
  const kind = isSecret ? "secret" : "configmap";
  const obj = isSecret ? await sources.secret(namespace, keyRef.name) : await sources.configMap(namespace, keyRef.name);
  if (!obj) {
    if (keyRef.optional) return undefined;
    throw new EnvError(`${kind} "${keyRef.name}" not found`);
  }
  const data = dataOf(obj, isSecret);
  if (!Object.hasOwn(data, keyRef.key)) {
    if (keyRef.optional) return undefined;
    throw new EnvError(`couldn't find key ${keyRef.key} in ${isSecret ? "Secret" : "ConfigMap"} ${namespace}/${keyRef.name}`);
  }
  return data[keyRef.key];
}

function dataOf(obj: KubeObject, isSecret: boolean): Record<string, string> {
  if (isSecret) {
    const decoded: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.data ?? {})) decoded[k] = Buffer.from(String(v), "base64").toString("utf8");
    return decoded;
  }
  const data: Record<string, string> = { ...(obj.data ?? {}) };
  for (const [k, v] of Object.entries(obj.binaryData ?? {})) data[k] = Buffer.from(String(v), "base64").toString("utf8");
  return data;
}

/** The downward-API value of a fieldRef path. */
export function fieldValue(pod: KubeObject, path: string): string {
  const meta = pod.metadata;
  const mapKey = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (mapKey) return meta[mapKey[1]]?.[mapKey[2]] ?? "";
  switch (path) {
    case "metadata.name":
      return meta.name ?? "";
    case "metadata.namespace":
      return meta.namespace ?? "";
    case "metadata.uid":
      return meta.uid ?? "";
    case "metadata.labels":
    case "metadata.annotations":
      return Object.entries(meta[path.slice(9)] ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("\n");
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
    case "status.podIP":
      return pod.status?.[path.slice(7)] ?? "127.0.0.1";
    case "status.hostIPs":
    case "status.podIPs":
      return (pod.status?.[path.slice(7)] ?? [{ ip: "127.0.0.1" }]).map((ip: { ip: string }) => ip.ip).join(",");
    default:
      return "";
  }
}

/** Expands $(VAR) from `env`; `$$` is a literal `$`; unknown references stay as written. */
export function expand(input: string, env: Record<string, string>): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== "$" || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += Object.hasOwn(env, name) ? env[name] : `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}
