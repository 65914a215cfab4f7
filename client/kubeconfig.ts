// Loading kubeconfig files the way kubectl does: one `--kubeconfig` file, or every file of
// $KUBECONFIG merged (the first file to set a key wins), or ~/.kube/config. Relative paths
// inside a file are resolved against that file's directory. The YAML codec is imported lazily.

import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ConfigError, goFileError } from "./errors.ts";
import { parseSimpleYaml } from "../api/simple-yaml.ts";

/** A cluster entry; `*Data` fields are already base64-decoded. */
export interface ClusterEntry {
  server?: string;
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  disableCompression?: boolean;
}

/** A client.authentication.k8s.io exec credential plugin, parsed but not run. */
export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode?: string;
}

/** A user (AuthInfo) entry; `*Data` fields are already base64-decoded. */
export interface UserEntry {
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  as?: string;
  asUid?: string;
  asGroups?: string[];
  asUserExtra?: Record<string, string[]>;
  exec?: ExecConfig;
  authProvider?: { name: string; config: Record<string, string> };
}

/** A context entry. */
export interface ContextEntry {
  cluster: string;
  user: string;
  namespace?: string;
}

/** One kubeconfig, or several merged. */
export interface Kubeconfig {
  currentContext: string;
  clusters: Map<string, ClusterEntry>;
  users: Map<string, UserEntry>;
  contexts: Map<string, ContextEntry>;
}

/** Where to look: the `--kubeconfig` flag value, the environment, and the home directory. */
export interface KubeconfigSource {
  explicitPath?: string;
  env?: Record<string, string | undefined>;
  home?: string;
  cwd?: string;
}

/** A merged kubeconfig plus the files it came from (in precedence order). */
export interface LoadedKubeconfig {
  config: Kubeconfig;
  files: string[];
}

/** An empty kubeconfig. */
export function emptyKubeconfig(): Kubeconfig {
  return { currentContext: "", clusters: new Map(), users: new Map(), contexts: new Map() };
}

/** The files kubectl would read, in precedence order; `explicit` when set by --kubeconfig. */
export function kubeconfigPaths(source: KubeconfigSource): { paths: string[]; explicit: boolean } {
  const cwd = source.cwd ?? process.cwd();
  if (source.explicitPath) return { paths: [resolve(cwd, source.explicitPath)], explicit: true };
  const env = source.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list) {
    const paths = [...new Set(list.split(":").filter((p) => p !== "").map((p) => resolve(cwd, p)))];
    return { paths, explicit: false };
  }
  const home = source.home ?? env.HOME ?? "";
  return { paths: [join(home, ".kube", "config")], explicit: false };
}

/** Reads, parses and merges the kubeconfig files; missing implicit files are skipped. */
export async function loadKubeconfig(source: KubeconfigSource = {}): Promise<LoadedKubeconfig> {
  const { paths, explicit } = kubeconfigPaths(source);
  const display = source.explicitPath;
  const parsed: Kubeconfig[] = [];
  const files: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      if (explicit) statSync(path);
      text = readFileSync(path, "utf8");
    } catch (err) {
      if (explicit) throw new ConfigError(goFileError("stat", display ?? path, err));
      if ((err as { code?: string }).code === "ENOENT") continue;
      throw new ConfigError(`error loading config file "${path}": ${goFileError("read", path, err)}`);
    }
    parsed.push(await parseKubeconfig(text, path, explicit && display ? display : path));
    files.push(path);
  }
  return { config: mergeKubeconfigs(parsed), files };
}

/** Merges kubeconfigs: per name, and for current-context, the first one to set it wins. */
export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const merged = emptyKubeconfig();
  for (const c of configs) {
    if (!merged.currentContext) merged.currentContext = c.currentContext;
    for (const key of ["clusters", "users", "contexts"] as const) {
      const into = merged[key] as Map<string, unknown>;
      for (const [name, entry] of c[key]) if (!into.has(name)) into.set(name, entry);
    }
  }
  return merged;
}

/** Parses one kubeconfig document; `path` anchors relative file references. */
export async function parseKubeconfig(text: string, path: string, displayName = path): Promise<Kubeconfig> {
  const fail = (why: string) => new ConfigError(`error loading config file "${displayName}": ${why}`);
  // Most kubeconfigs are plain block YAML that the small reader handles without loading the full parser.
  let doc: unknown = parseSimpleYaml(text);
  if (doc === undefined) {
    const { parseYamlDocument } = await import("../api/yaml.ts");
    try {
      doc = parseYamlDocument(text);
    } catch (err) {
      throw fail(`yaml: ${String((err as Error).message).split("\n")[0]}`);
    }
  }
  const config = emptyKubeconfig();
  if (doc === null || doc === undefined) return config;
  const r = new Reader(fail, dirname(path));
  const root = r.object(doc, "");
  const kind = r.string(root, "kind", "");
  const apiVersion = r.string(root, "apiVersion", "");
  if ((kind && kind !== "Config") || (apiVersion && apiVersion !== "v1")) {
    throw fail(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)}`);
  }
  config.currentContext = r.string(root, "current-context", "current-context") ?? "";
  r.named(root, "clusters", "cluster", config.clusters, (o, at) => ({
    server: r.string(o, "server", at),
    certificateAuthority: r.path(o, "certificate-authority", at),
    certificateAuthorityData: r.base64(o, "certificate-authority-data", at),
    insecureSkipTlsVerify: r.bool(o, "insecure-skip-tls-verify", at),
    tlsServerName: r.string(o, "tls-server-name", at),
    proxyUrl: r.string(o, "proxy-url", at),
    disableCompression: r.bool(o, "disable-compression", at),
  }));
  r.named(root, "users", "user", config.users, (o, at) => ({
    clientCertificate: r.path(o, "client-certificate", at),
    clientCertificateData: r.base64(o, "client-certificate-data", at),
    clientKey: r.path(o, "client-key", at),
    clientKeyData: r.base64(o, "client-key-data", at),
    token: r.string(o, "token", at),
    tokenFile: r.path(o, "tokenFile", at),
    username: r.string(o, "username", at),
    password: r.string(o, "password", at),
    as: r.string(o, "as", at),
    asUid: r.string(o, "as-uid", at),
    asGroups: r.strings(o, "as-groups", at),
    asUserExtra: r.stringLists(o, "as-user-extra", at),
    exec: o.exec == null ? undefined : r.exec(r.object(o.exec, `${at}.exec`), `${at}.exec`),
    authProvider: o["auth-provider"] == null ? undefined : r.authProvider(r.object(o["auth-provider"], `${at}.auth-provider`), `${at}.auth-provider`),
  }));
  r.named(root, "contexts", "context", config.contexts, (o, at) => ({
    cluster: r.string(o, "cluster", at) ?? "",
    user: r.string(o, "user", at) ?? "",
    namespace: r.string(o, "namespace", at),
  }));
  return config;
}

type Obj = Record<string, unknown>;

/** Typed access to the parsed document with path-qualified errors. */
class Reader {
  constructor(
    private readonly fail: (why: string) => ConfigError,
    private readonly dir: string,
  ) {}

  object(v: unknown, at: string): Obj {
    if (v === null || v === undefined) return {};
    if (typeof v !== "object" || Array.isArray(v)) throw this.fail(`${at || "document"}: expected a mapping, got ${describe(v)}`);
    return v as Obj;
  }

  string(o: Obj, key: string, at: string): string | undefined {
    const v = o[key];
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "string") throw this.fail(`${join2(at, key)}: expected a string, got ${describe(v)}`);
    return v;
  }

  bool(o: Obj, key: string, at: string): boolean | undefined {
    const v = o[key];
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "boolean") throw this.fail(`${join2(at, key)}: expected a boolean, got ${describe(v)}`);
    return v;
  }

  /** A file reference, made absolute against the kubeconfig's directory. */
  path(o: Obj, key: string, at: string): string | undefined {
    const v = this.string(o, key, at);
    return v && !isAbsolute(v) ? resolve(this.dir, v) : v;
  }

  base64(o: Obj, key: string, at: string): string | undefined {
    const v = this.string(o, key, at);
    if (v === undefined) return undefined;
    const clean = v.replace(/[\r\n]/g, "");
    const bad = /[^A-Za-z0-9+/=]|=[^=]/.exec(clean);
    if (bad || clean.length % 4 !== 0) {
      throw this.fail(`illegal base64 data at input byte ${bad ? bad.index : clean.length - (clean.length % 4)}`);
    }
    return Buffer.from(clean, "base64").toString("utf8");
  }

  strings(o: Obj, key: string, at: string): string[] | undefined {
    const v = o[key];
    if (v === null || v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.fail(`${join2(at, key)}: expected a list, got ${describe(v)}`);
    return v.map((item, i) => {
      if (typeof item !== "string") throw this.fail(`${join2(at, key)}[${i}]: expected a string, got ${describe(item)}`);
      return item;
    });
  }

  stringLists(o: Obj, key: string, at: string): Record<string, string[]> | undefined {
    if (o[key] === null || o[key] === undefined) return undefined;
    const m = this.object(o[key], join2(at, key));
    const out: Record<string, string[]> = {};
    for (const k of Object.keys(m)) out[k] = this.strings(m, k, join2(at, key)) ?? [];
    return out;
  }

  named<T>(root: Obj, key: string, inner: string, into: Map<string, T>, build: (o: Obj, at: string) => T): void {
    const list = root[key];
    if (list === null || list === undefined) return;
    if (!Array.isArray(list)) throw this.fail(`${key}: expected a list, got ${describe(list)}`);
    list.forEach((item, i) => {
      const at = `${key}[${i}]`;
      const entry = this.object(item, at);
      const name = this.string(entry, "name", at) ?? "";
      if (into.has(name)) throw this.fail(`duplicate name ${JSON.stringify(name)} in list ${key}`);
      into.set(name, build(this.object(entry[inner], `${at}.${inner}`), `${at}.${inner}`));
    });
  }

  exec(o: Obj, at: string): ExecConfig {
    const rawCommand = this.string(o, "command", at) ?? "";
    const command = rawCommand.includes("/") && !isAbsolute(rawCommand) ? resolve(this.dir, rawCommand) : rawCommand;
    const envList = o.env == null ? [] : o.env;
    if (!Array.isArray(envList)) throw this.fail(`${at}.env: expected a list, got ${describe(envList)}`);
    return {
      apiVersion: this.string(o, "apiVersion", at) ?? "",
      command,
      args: this.strings(o, "args", at) ?? [],
      env: envList.map((e, i) => {
        const entry = this.object(e, `${at}.env[${i}]`);
        return { name: this.string(entry, "name", `${at}.env[${i}]`) ?? "", value: this.string(entry, "value", `${at}.env[${i}]`) ?? "" };
      }),
      installHint: this.string(o, "installHint", at),
      provideClusterInfo: this.bool(o, "provideClusterInfo", at) ?? false,
      interactiveMode: this.string(o, "interactiveMode", at),
    };
  }

  authProvider(o: Obj, at: string): { name: string; config: Record<string, string> } {
    const config: Record<string, string> = {};
    const c = this.object(o.config, `${at}.config`);
    for (const k of Object.keys(c)) config[k] = this.string(c, k, `${at}.config`) ?? "";
    return { name: this.string(o, "name", at) ?? "", config };
  }
}

function join2(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}
