// Kubeconfig files as `kubectl config` sees them: each file decoded into the v1 Config shape
// (Go field order, omitted empties, defaults, unknown fields dropped) so that it can be
// printed (`config view`) and written back (`use-context`, `set-context`) the way kubectl
// re-serialises it. The connection code uses kubeconfig.ts instead.

import { readFileSync } from "node:fs";
import { ConfigError, goFileError } from "./errors.ts";

type Obj = Record<string, unknown>;

/** One named entry (cluster, user or context) in v1 form. */
export interface NamedEntry {
  name: string;
  value: Obj;
}

/** A v1 Config with its named lists. */
export interface ConfigDoc {
  kind?: string;
  apiVersion?: string;
  preferences: Obj;
  clusters: NamedEntry[] | null;
  users: NamedEntry[] | null;
  contexts: NamedEntry[] | null;
  currentContext: string;
  extensions?: Obj[];
}

/** One kubeconfig file: `doc` is undefined when the file does not exist. */
export interface ConfigFile {
  path: string;
  doc?: ConfigDoc;
}

/** Reads and decodes one file; a missing file gives `doc: undefined`. */
export async function readConfigFile(path: string, mustExist = false): Promise<ConfigFile> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT" && !mustExist) return { path };
    throw new ConfigError(goFileError("stat", path, err));
  }
  const { parseYamlDocument } = await import("../api/yaml.ts");
  let raw: unknown;
  try {
    raw = parseYamlDocument(text);
  } catch (err) {
    throw new ConfigError(`error loading config file "${path}": yaml: ${String((err as Error).message).split("\n")[0]}`);
  }
  return { path, doc: decodeConfig((raw ?? {}) as Obj) };
}

/** An empty Config as kubectl writes a new file. */
export function emptyConfig(): ConfigDoc {
  return { kind: "Config", apiVersion: "v1", preferences: {}, clusters: null, users: null, contexts: null, currentContext: "" };
}

/** Decodes a parsed kubeconfig document into v1 form. */
export function decodeConfig(raw: Obj): ConfigDoc {
  const doc: ConfigDoc = {
    preferences: pick(obj(raw.preferences), [["colors", bool], ["extensions", extensions]]),
    clusters: named(raw.clusters, "cluster", cluster),
    users: named(raw.users, "user", user),
    contexts: named(raw.contexts, "context", context),
    currentContext: str(raw["current-context"]) ?? "",
  };
  if (str(raw.kind)) doc.kind = str(raw.kind);
  if (str(raw.apiVersion)) doc.apiVersion = str(raw.apiVersion);
  const ext = extensions(raw.extensions);
  if (ext) doc.extensions = ext;
  return doc;
}

/** The v1 JSON shape of a Config (what `-o json` prints and files hold), in Go field order. */
export function encodeConfig(doc: ConfigDoc): Obj {
  const out: Obj = {};
  if (doc.kind) out.kind = doc.kind;
  if (doc.apiVersion) out.apiVersion = doc.apiVersion;
  out.preferences = doc.preferences;
  out.clusters = doc.clusters?.map((e) => ({ name: e.name, cluster: e.value })) ?? null;
  out.users = doc.users?.map((e) => ({ name: e.name, user: e.value })) ?? null;
  out.contexts = doc.contexts?.map((e) => ({ name: e.name, context: e.value })) ?? null;
  out["current-context"] = doc.currentContext;
  if (doc.extensions) out.extensions = doc.extensions;
  return out;
}

type Field = [string, (v: unknown) => unknown];

// Keeps the listed fields in order, dropping empty values (Go's omitempty).
function pick(src: Obj, fields: Field[], always: string[] = []): Obj {
  const out: Obj = {};
  for (const [name, conv] of fields) {
    const v = conv(src[name]);
    if (always.includes(name)) out[name] = v ?? (name === "args" || name === "env" ? null : conv === bool ? false : "");
    else if (v !== undefined && v !== "" && v !== false) out[name] = v;
  }
  return out;
}

function cluster(v: unknown): Obj {
  return pick(
    obj(v),
    [
      ["server", str],
      ["tls-server-name", str],
      ["insecure-skip-tls-verify", bool],
      ["certificate-authority", str],
      ["certificate-authority-data", base64],
      ["proxy-url", str],
      ["disable-compression", bool],
      ["extensions", extensions],
    ],
    ["server"],
  );
}

function user(v: unknown): Obj {
  const src = obj(v);
  return pick(src, [
    ["client-certificate", str],
    ["client-certificate-data", base64],
    ["client-key", str],
    ["client-key-data", base64],
    ["token", str],
    ["tokenFile", str],
    ["as", str],
    ["as-uid", str],
    ["as-groups", strings],
    ["as-user-extra", stringLists],
    ["username", str],
    ["password", str],
    ["auth-provider", (a) => (a == null ? undefined : pick(obj(a), [["name", str], ["config", stringMap]], ["name"]))],
    ["exec", (e) => (e == null ? undefined : exec(obj(e)))],
    ["extensions", extensions],
  ]);
}

function exec(src: Obj): Obj {
  const out = pick(
    src,
    [
      ["command", str],
      ["args", strings],
      ["env", (e) => (Array.isArray(e) ? e.map((x) => pick(obj(x), [["name", str], ["value", str]], ["name", "value"])) : undefined)],
      ["apiVersion", str],
      ["installHint", str],
      ["provideClusterInfo", bool],
      ["interactiveMode", str],
    ],
    ["command", "args", "env", "provideClusterInfo"],
  );
  // Older plugin API versions default to IfAvailable (client-go's defaulting).
  if (!out.interactiveMode && /\/v1(alpha|beta)1$/.test(String(out.apiVersion ?? ""))) out.interactiveMode = "IfAvailable";
  return out;
}

function context(v: unknown): Obj {
  return pick(
    obj(v),
    [
      ["cluster", str],
      ["user", str],
      ["namespace", str],
      ["extensions", extensions],
    ],
    ["cluster", "user"],
  );
}

function named(list: unknown, inner: string, conv: (v: unknown) => Obj): NamedEntry[] | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  return list.map((item) => {
    const o = obj(item);
    return { name: str(o.name) ?? "", value: conv(o[inner]) };
  });
}

function extensions(v: unknown): Obj[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((e) => ({ name: str(obj(e).name) ?? "", extension: sortedDeep(obj(e).extension ?? null) }));
}

function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedDeep((v as Obj)[k])]));
}

function obj(v: unknown): Obj {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === "boolean" ? v : undefined;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length > 0 ? v.map((x) => String(x)) : undefined;
}

function stringMap(v: unknown): Obj | undefined {
  const o = obj(v);
  const keys = Object.keys(o).sort();
  return keys.length ? Object.fromEntries(keys.map((k) => [k, String(o[k])])) : undefined;
}

function stringLists(v: unknown): Obj | undefined {
  const o = obj(v);
  const keys = Object.keys(o).sort();
  return keys.length ? Object.fromEntries(keys.map((k) => [k, strings(o[k]) ?? null])) : undefined;
}

// []byte fields: decoded and re-encoded, as Go does.
function base64(v: unknown): string | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  return Buffer.from(v.replace(/\s/g, ""), "base64").toString("base64");
}
