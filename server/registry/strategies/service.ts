// Service defaulting (cluster IPs, node ports, policies) and validation.
import type { FieldError } from "../../../api/status.ts";
import type { KubeObject, StrategyContext } from "../resource-type.ts";
import { ensureObject, notSupported, required, setDefault } from "./common.ts";

const serviceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

/** The defaults every decoded service gets (create and update). */
export function defaultService(svc: KubeObject): void {
  const spec = ensureObject(svc, "spec");
  setDefault(spec, "type", "ClusterIP");
  setDefault(spec, "sessionAffinity", "None");
  if (!Array.isArray(spec.ports)) return;
  for (const port of spec.ports as Record<string, any>[]) {
    if (!port || typeof port !== "object") continue;
    setDefault(port, "protocol", "TCP");
    setDefault(port, "targetPort", port.port);
  }
}

/** Fills in what kube-apiserver allocates for a new service. */
export async function prepareForCreateService(svc: KubeObject, ctx: StrategyContext): Promise<void> {
  const spec = ensureObject(svc, "spec");
  if (spec.type !== "ExternalName") {
    if (!spec.clusterIP && ctx.allocate) spec.clusterIP = await ctx.allocate.clusterIP();
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    setDefault(spec, "ipFamilies", ["IPv4"]);
    setDefault(spec, "ipFamilyPolicy", "SingleStack");
    setDefault(spec, "internalTrafficPolicy", "Cluster");
  }
  if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
    setDefault(spec, "externalTrafficPolicy", "Cluster");
    for (const port of (spec.ports ?? []) as Record<string, any>[]) {
      if (!port.nodePort && ctx.allocate) port.nodePort = await ctx.allocate.nodePort();
    }
  }
  if (spec.type === "LoadBalancer") setDefault(spec, "allocateLoadBalancerNodePorts", true);
  svc.status = { loadBalancer: {} };
}

/** Keeps allocated values an update omitted, as upstream does. */
export function prepareForUpdateService(svc: KubeObject, old: KubeObject): void {
  const spec = ensureObject(svc, "spec");
  const oldSpec = old.spec ?? {};
  if (!spec.clusterIP && oldSpec.clusterIP && spec.type === oldSpec.type) {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = oldSpec.clusterIPs;
  }
  for (const key of ["ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "sessionAffinity"]) {
    setDefault(spec, key, oldSpec[key]);
  }
  for (const port of (Array.isArray(spec.ports) ? spec.ports : []) as Record<string, any>[]) {
    const previous = (oldSpec.ports ?? []).find((p: any) => p.port === port.port && (p.protocol ?? "TCP") === port.protocol);
    if (!port.nodePort && previous?.nodePort && spec.type !== "ClusterIP") port.nodePort = previous.nodePort;
  }
  svc.status = old.status;
}

/** Validates a service spec. */
export function validateService(svc: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = svc.spec ?? {};
  const type = spec.type ?? "ClusterIP";
  if (!serviceTypes.includes(type)) errors.push(notSupported("spec.type", type, serviceTypes));
  const ports = (spec.ports ?? []) as Record<string, any>[];
  if (type === "ExternalName") {
    if (!spec.externalName) errors.push(required("spec.externalName"));
  } else if (ports.length === 0 && spec.clusterIP !== "None") {
    errors.push(required("spec.ports"));
  }
  ports.forEach((p, i) => {
    const field = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errors.push(required(`${field}.name`));
    if (typeof p.port !== "number" || p.port < 1 || p.port > 65535) {
      errors.push({ type: "FieldValueInvalid", field: `${field}.port`, value: p.port, detail: "must be between 1 and 65535, inclusive" });
    }
    if (p.protocol && !["TCP", "UDP", "SCTP"].includes(p.protocol)) {
      errors.push(notSupported(`${field}.protocol`, p.protocol, ["SCTP", "TCP", "UDP"]));
    }
  });
  return errors;
}

/** clusterIP may not change once set. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateService(svc);
  const ip = svc.spec?.clusterIP;
  const oldIp = old.spec?.clusterIP;
  if (oldIp && ip && ip !== oldIp && svc.spec?.type !== "ExternalName") {
    errors.push({ type: "FieldValueInvalid", field: "spec.clusterIPs[0]", value: ip, detail: "may not change once set" });
  }
  return errors;
}
