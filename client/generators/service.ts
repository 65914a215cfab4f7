// Service objects as `kubectl create service clusterip|nodeport|loadbalancer|externalname`
// builds them: label and selector app=NAME, one TCP port per --tcp (named after the spec,
// `5678:8080` → `5678-8080`), the type, and the optional cluster IP / external name.

import { isDns1123Subdomain } from "../../api/validation.ts";
import { objectMeta } from "./meta.ts";

type Obj = Record<string, unknown>;

/** What `kubectl create service <type>` takes. */
export interface ServiceOptions {
  name: string;
  namespace?: string;
  type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  tcp: string[];
  clusterIP?: string;
  nodePort?: number;
  externalName?: string;
}

/** Checks the options as kubectl does before building anything. */
export function validateService(o: ServiceOptions): void {
  if (o.clusterIP === "None" && o.type !== "ClusterIP") throw new Error("ClusterIP=None can only be used with ClusterIP service type");
  if (o.clusterIP !== "None" && o.tcp.length === 0 && o.type !== "ExternalName") throw new Error("at least one tcp port specifier must be provided");
  if (o.type === "ExternalName" && isDns1123Subdomain(o.externalName ?? "").length > 0) throw new Error(`invalid service external name ${o.externalName ?? ""}`);
}

/** The Service object (after {@link validateService}). */
export function service(o: ServiceOptions): Obj {
  const ports = o.tcp.map((spec) => {
    const { port, targetPort } = parsePorts(spec);
    const p: Obj = { name: spec.replaceAll(":", "-"), protocol: "TCP", port, targetPort };
    if (o.nodePort) p.nodePort = o.nodePort;
    return p;
  });
  const labels = { app: o.name };
  const spec: Obj = {};
  if (ports.length > 0) spec.ports = ports;
  spec.selector = { app: o.name };
  if (o.clusterIP) spec.clusterIP = o.clusterIP;
  spec.type = o.type;
  if (o.externalName) spec.externalName = o.externalName;
  return { kind: "Service", apiVersion: "v1", metadata: objectMeta(o.name, o.namespace, labels), spec, status: { loadBalancer: {} } };
}

/** `port[:targetPort]`, with Go's strconv and the API's port-name/number messages. */
function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const [first = "", second] = spec.split(":");
  const port = parseUint16(first);
  if (second === undefined) return { port, targetPort: port };
  if (/^[+-]?\d+$/.test(second)) {
    const n = Number(second);
    if (n < 1 || n > 65535) throw new Error("must be between 1 and 65535, inclusive");
    return { port, targetPort: n };
  }
  const problems = portNameProblems(second);
  if (problems.length > 0) throw new Error(problems.join(","));
  return { port, targetPort: second };
}

function parseUint16(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

// IANA_SVC_NAME rules, as the API words them.
function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 15) problems.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) problems.push("must contain at least one letter (a-z)");
  if (name.includes("--")) problems.push("must not contain consecutive hyphens");
  if (name.length > 0 && (name.startsWith("-") || name.endsWith("-"))) problems.push("must not begin or end with a hyphen");
  return problems;
}
