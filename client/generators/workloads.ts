// Namespace, ServiceAccount and Deployment objects as `kubectl create namespace|serviceaccount|
// deployment` build them (Go struct field order, zero values kubectl's JSON keeps).

import { objectMeta } from "./meta.ts";

type Obj = Record<string, unknown>;

/** `create namespace NAME`. */
export function namespace(name: string): Obj {
  return { kind: "Namespace", apiVersion: "v1", metadata: objectMeta(name), spec: {}, status: {} };
}

/** `create serviceaccount NAME`. */
export function serviceAccount(name: string, ns?: string): Obj {
  return { kind: "ServiceAccount", apiVersion: "v1", metadata: objectMeta(name, ns) };
}

/** Options of `create deployment`. */
export interface DeploymentOptions {
  name: string;
  namespace?: string;
  images: string[];
  replicas: number;
  /** -1 when unset. */
  port: number;
  /** Arguments after `--`. */
  command: string[];
}

/** `create deployment NAME --image=…`: label app=NAME, one container per image. */
export function deployment(o: DeploymentOptions): Obj {
  if (o.images.length > 1 && o.command.length > 0) throw new Error("cannot specify multiple --image options and command");
  const labels = { app: o.name };
  const containers = o.images.map((image, i) => {
    const c: Obj = { name: containerName(image), image };
    if (o.command.length > 0) c.command = o.command;
    if (i === 0 && o.port >= 0) c.ports = [{ containerPort: o.port }];
    c.resources = {};
    return c;
  });
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: objectMeta(o.name, o.namespace, labels),
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

const RANDOM_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * The container name kubectl derives from an image reference: the last path segment without
 * tag or digest; names with `_` or `.` get them turned into `-` plus a random 5-letter suffix.
 */
export function containerName(image: string): string {
  let name = image.split("/").pop()!;
  name = name.split(":")[0]!.split("@")[0]!;
  if (!/[_.]/.test(name)) return name;
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => RANDOM_ALPHABET[b % RANDOM_ALPHABET.length]).join("");
  return `${name.replace(/[_.]/g, "-")}-${suffix}`;
}
