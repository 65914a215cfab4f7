// Resolving the effective connection settings from kubeconfig + command-line overrides, with
// kubectl's precedence, validation messages, in-cluster fallback and localhost:8080 default.

import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError, configurationInvalid, goFileError } from "./errors.ts";
import { parseGoDuration } from "./go-duration.ts";
import { loadKubeconfig, type ClusterEntry, type ExecConfig, type KubeconfigSource, type UserEntry } from "./kubeconfig.ts";

/** Command-line settings that take precedence over the kubeconfig (kubectl's global flags). */
export interface ConfigOverrides {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  username?: string;
  password?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  impersonate?: string;
  impersonateUid?: string;
  impersonateGroups?: string[];
  requestTimeout?: string;
  disableCompression?: boolean;
}

/** Where files and environment come from; tests point these at fixtures. */
export interface ResolveOptions extends KubeconfigSource {
  /** Service-account directory for in-cluster config. */
  inClusterDir?: string;
}

/** Who to act as (the Impersonate-* headers). */
export interface Impersonation {
  user: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** Everything the transport needs to talk to one API server. PEM material is inlined. */
export interface ClientConfig {
  /** Base URL without a trailing slash, e.g. `https://127.0.0.1:6443` or `https://h/prefix`. */
  server: string;
  source: "kubeconfig" | "in-cluster" | "default";
  contextName: string;
  clusterName: string;
  userName: string;
  namespace: string;
  /** True when the namespace came from `-n`, not from the context. */
  namespaceExplicit: boolean;
  caData?: string;
  certData?: string;
  keyData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  token?: string;
  /** Re-read on every request, so rotated service-account tokens are picked up. */
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  authProvider?: { name: string; config: Record<string, string> };
  impersonate?: Impersonation;
  proxyUrl?: string;
  disableCompression: boolean;
  /** 0 means no client-side timeout. */
  timeoutMs: number;
  /** Kubeconfig files that were read, in precedence order. */
  files: string[];
}

const IN_CLUSTER_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const DEFAULT_SERVER = "http://localhost:8080";

/** Resolves the connection settings for one invocation; throws ConfigError with kubectl's wording. */
export async function resolveClientConfig(overrides: ConfigOverrides = {}, options: ResolveOptions = {}): Promise<ClientConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const timeoutMs = parseRequestTimeout(overrides.requestTimeout ?? "0");
  const { config, files } = await loadKubeconfig({ ...options, explicitPath: overrides.kubeconfig });

  if (overrides.context && !config.contexts.has(overrides.context)) throw new ConfigError(`context "${overrides.context}" does not exist`);
  const contextName = overrides.context || config.currentContext;
  if (!overrides.context && contextName && !config.contexts.has(contextName)) {
    throw new ConfigError(`Error in configuration: context was not found for specified context: ${contextName}`, true);
  }
  const context = config.contexts.get(contextName) ?? { cluster: "", user: "" };
  if (overrides.cluster && !config.clusters.has(overrides.cluster)) throw new ConfigError(`cluster "${overrides.cluster}" does not exist`);
  if (overrides.user && !config.users.has(overrides.user)) throw new ConfigError(`auth info "${overrides.user}" does not exist`);
  const clusterName = overrides.cluster || context.cluster;
  const userName = overrides.user || context.user;
  const cluster: ClusterEntry = config.clusters.get(clusterName) ?? {};
  const user: UserEntry = config.users.get(userName) ?? {};

  const fromFlag = (p?: string) => (p ? resolve(cwd, p) : undefined);
  const problems: string[] = [];
  let server = overrides.server || cluster.server || "";
  let source: ClientConfig["source"] = "kubeconfig";
  let namespace = overrides.namespace || config.contexts.get(contextName)?.namespace || "default";
  let tokenFile = overrides.token ? undefined : user.tokenFile;
  let caFile = fromFlag(overrides.certificateAuthority) ?? (cluster.certificateAuthorityData ? undefined : cluster.certificateAuthority);
  let caData = overrides.certificateAuthority ? undefined : cluster.certificateAuthorityData;
  const insecure = overrides.insecureSkipTlsVerify ?? cluster.insecureSkipTlsVerify ?? false;
  if (overrides.insecureSkipTlsVerify && !overrides.certificateAuthority) caFile = caData = undefined;

  if (!server) {
    const inCluster = inClusterSettings(env, options.inClusterDir ?? IN_CLUSTER_DIR);
    if (inCluster) {
      source = "in-cluster";
      server = inCluster.server;
      tokenFile = overrides.token ? undefined : inCluster.tokenFile;
      if (!caFile && !caData && !insecure) caFile = inCluster.caFile;
      namespace = overrides.namespace || inCluster.namespace;
    } else {
      source = "default";
      server = DEFAULT_SERVER;
    }
  }

  if (insecure && (caFile || caData)) problems.push("specifying a root certificates file with the insecure flag is not allowed");
  if (caFile) caData = readPem(caFile, `unable to read certificate-authority ${caFile} for ${clusterName} due to`, problems);

  const certFile = fromFlag(overrides.clientCertificate) ?? (user.clientCertificateData ? undefined : user.clientCertificate);
  const keyFile = fromFlag(overrides.clientKey) ?? (user.clientKeyData ? undefined : user.clientKey);
  const certData = certFile ? readPem(certFile, `unable to read client-cert ${certFile} for ${userName} due to`, problems) : overrides.clientCertificate ? undefined : user.clientCertificateData;
  const keyData = keyFile ? readPem(keyFile, `unable to read client-key ${keyFile} for ${userName} due to`, problems) : overrides.clientKey ? undefined : user.clientKeyData;
  const hasCert = !!(certFile || certData);
  const hasKey = !!(keyFile || keyData);
  if (hasCert && !hasKey) problems.push(`client-key-data or client-key must be specified for ${userName} to use the clientCert authentication method.`);
  if (hasKey && !hasCert) problems.push(`client-cert-data or client-cert must be specified for ${userName} to use the clientCert authentication method.`);

  const token = overrides.token || user.token;
  const username = overrides.username || user.username;
  const password = overrides.password || user.password;
  const methods = [...(token || tokenFile ? ["token"] : []), ...(username || password ? ["basicAuth"] : [])];
  if (methods.length > 1) problems.push(`more than one authentication method found for ${userName}; found [${methods.join(" ")}], only one is allowed`);
  if (user.exec && !user.exec.apiVersion) problems.push(`apiVersion must be specified for ${userName} to use exec authentication plugin`);
  if (user.exec && !user.exec.command) problems.push(`command must be specified for ${userName} to use exec authentication plugin`);
  if (user.exec?.apiVersion === "client.authentication.k8s.io/v1" && !user.exec.interactiveMode) {
    problems.push(`interactiveMode must be specified for ${userName} to use exec authentication plugin`);
  }
  if (user.exec?.interactiveMode && !["Never", "IfAvailable", "Always"].includes(user.exec.interactiveMode)) {
    problems.push(`invalid interactiveMode for ${userName}: ${JSON.stringify(user.exec.interactiveMode)}`);
  }

  const impersonate = impersonation(overrides, user, userName, problems);
  if (problems.length > 0) throw configurationInvalid(problems);

  return {
    server: normalizeServer(server, !!(caData || certData || insecure)),
    source,
    contextName,
    clusterName,
    userName,
    namespace,
    namespaceExplicit: !!overrides.namespace,
    caData,
    certData,
    keyData,
    insecureSkipTlsVerify: insecure,
    tlsServerName: overrides.tlsServerName || (overrides.server ? undefined : cluster.tlsServerName) || undefined,
    token: tokenFile ? undefined : token,
    tokenFile,
    username,
    password,
    exec: user.exec,
    authProvider: user.authProvider,
    impersonate,
    proxyUrl: cluster.proxyUrl || undefined,
    disableCompression: !!(overrides.disableCompression || cluster.disableCompression),
    timeoutMs,
    files,
  };
}

/** `--request-timeout`: whole seconds, or a Go duration; kubectl's message otherwise. */
export function parseRequestTimeout(value: string): number {
  const invalid = () =>
    new ConfigError(
      "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)",
    );
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  try {
    const ms = parseGoDuration(value);
    if (ms < 0) throw invalid();
    return ms;
  } catch {
    throw invalid();
  }
}

/** Adds a scheme to `host:port` (https when TLS settings exist) and drops trailing slashes; the port stays as written. */
export function normalizeServer(server: string, tls: boolean): string {
  const invalid = () => new ConfigError(`host must be a URL or a host:port pair: ${JSON.stringify(server)}`);
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(server) ? server : `${tls ? "https" : "http"}://${server}`;
  const m = /^(https?):\/\/([^/?#]+)([^?#]*)$/i.exec(withScheme);
  if (!m || !/^([A-Za-z0-9._~-]+|\[[0-9a-fA-F:.]+\])(:\d+)?$/.test(m[2]!)) throw invalid();
  try {
    new URL(withScheme);
  } catch {
    throw invalid();
  }
  return `${m[1]!.toLowerCase()}://${m[2]}${m[3]!.replace(/\/+$/, "")}`;
}

/** The `host:port` part of a server URL as written (kubectl's error messages quote it so). */
export function serverHost(server: string): string {
  return /^[a-z]+:\/\/([^/?#]+)/i.exec(server)?.[1] ?? server;
}

function impersonation(overrides: ConfigOverrides, user: UserEntry, userName: string, problems: string[]): Impersonation | undefined {
  const as = overrides.impersonate || user.as || "";
  const groups = overrides.impersonateGroups ?? user.asGroups ?? [];
  const uid = overrides.impersonateUid || user.asUid || undefined;
  const extra = user.asUserExtra ?? {};
  if (!as) {
    if (groups.length > 0 || uid || Object.keys(extra).length > 0) {
      problems.push(`requesting uid, groups or user-extra for ${userName} without impersonating a user`);
    }
    return undefined;
  }
  return { user: as, uid, groups, extra };
}

function readPem(path: string, prefix: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    problems.push(`${prefix} ${goFileError("open", path, err)}`);
    return undefined;
  }
}

function inClusterSettings(
  env: Record<string, string | undefined>,
  dir: string,
): { server: string; tokenFile: string; caFile?: string; namespace: string } | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, "token");
  if (!host || !port || !isFile(tokenFile)) return undefined;
  const caFile = join(dir, "ca.crt");
  let namespace = env.POD_NAMESPACE || "";
  if (!namespace) {
    try {
      namespace = readFileSync(join(dir, "namespace"), "utf8").trim();
    } catch {
      // no namespace file: fall back to "default" like client-go
    }
  }
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tokenFile,
    caFile: isFile(caFile) ? caFile : undefined,
    namespace: namespace || "default",
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
