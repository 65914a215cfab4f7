import { chmodSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** How the kubeconfig user authenticates: a client certificate or a bearer token. */
export type KubeconfigCredentials = { certPem: string; keyPem: string } | { token: string };

/** Everything {@link renderKubeconfig} needs for one cluster, user and context. */
export interface KubeconfigSpec {
  serverUrl: string;
  /** CA bundle that signed the server certificate; omitted with `insecureSkipTlsVerify`. */
  caPem?: string;
  insecureSkipTlsVerify?: boolean;
  /** Name to verify the server certificate against when it differs from the URL host. */
  tlsServerName?: string;
  credentials: KubeconfigCredentials;
  clusterName?: string;
  userName?: string;
  contextName?: string;
  namespace?: string;
}

/** Input of {@link renderAdminKubeconfig}: the admin client certificate and the cluster CA. */
export interface AdminKubeconfigSpec {
  serverUrl: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  clusterName?: string;
  userName?: string;
  contextName?: string;
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** Renders a single-context kubeconfig (YAML) with inline `*-data` fields. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const clusterName = spec.clusterName ?? "kapi";
  const userName = spec.userName ?? "kapi-admin";
  const contextName = spec.contextName ?? clusterName;
  const cluster: Record<string, unknown> = { server: spec.serverUrl };
  if (spec.caPem) cluster["certificate-authority-data"] = base64(spec.caPem);
  if (spec.insecureSkipTlsVerify) cluster["insecure-skip-tls-verify"] = true;
  if (spec.tlsServerName) cluster["tls-server-name"] = spec.tlsServerName;
  const user =
    "token" in spec.credentials
      ? { token: spec.credentials.token }
      : {
          "client-certificate-data": base64(spec.credentials.certPem),
          "client-key-data": base64(spec.credentials.keyPem),
        };
  const context: Record<string, unknown> = { cluster: clusterName, user: userName };
  if (spec.namespace) context.namespace = spec.namespace;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${scalar(clusterName)}`,
    "  cluster:",
    ...mapping(cluster, "    "),
    "users:",
    `- name: ${scalar(userName)}`,
    "  user:",
    ...mapping(user, "    "),
    "contexts:",
    `- name: ${scalar(contextName)}`,
    "  context:",
    ...mapping(context, "    "),
    `current-context: ${scalar(contextName)}`,
    "preferences: {}",
    "",
  ].join("\n");
}

// The kubeconfig's shape is fixed, so it is written here rather than with a YAML library
// (which the server would otherwise load at every start only for this).

/** `key: value` lines of a flat mapping. */
function mapping(entries: Record<string, unknown>, indent: string): string[] {
  return Object.entries(entries).map(([key, value]) => `${indent}${key}: ${scalar(value)}`);
}

/** A YAML scalar: plain when that reads back as the same string, double-quoted (JSON escapes) otherwise. */
function scalar(value: unknown): string {
  if (typeof value !== "string") return String(value);
  const plain = /^[A-Za-z/_][A-Za-z0-9/+=_.:@-]*$/.test(value) && !/:$/.test(value) && !/^(true|false|yes|no|on|off|y|n|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** Renders the admin kubeconfig (cluster, user and context default to `kapi`, `kapi-admin`, `kapi`). */
export function renderAdminKubeconfig(spec: AdminKubeconfigSpec): string {
  return renderKubeconfig({
    serverUrl: spec.serverUrl,
    caPem: spec.caPem,
    credentials: { certPem: spec.certPem, keyPem: spec.keyPem },
    clusterName: spec.clusterName ?? "kapi",
    userName: spec.userName ?? "kapi-admin",
    contextName: spec.contextName ?? "kapi",
  });
}

/** Writes a kubeconfig atomically with mode 0600 (it holds a private key or token). */
export function writeKubeconfig(path: string, spec: KubeconfigSpec): void {
  writePrivateFile(path, renderKubeconfig(spec));
}

/** Writes the admin kubeconfig atomically with mode 0600. */
export function writeAdminKubeconfig(path: string, spec: AdminKubeconfigSpec): void {
  writePrivateFile(path, renderAdminKubeconfig(spec));
}

function writePrivateFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
