// The merged view of the kubeconfig files `kubectl config` works on, and writing changes
// back to the file each entry came from (the first file defining it; new entries and the
// current-context go to the first existing file), as kubectl does with several KUBECONFIG files.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, goFileError } from "./errors.ts";
import { kubeconfigPaths, type KubeconfigSource } from "./kubeconfig.ts";
import { emptyConfig, encodeConfig, readConfigFile, type ConfigDoc, type ConfigFile, type NamedEntry } from "./kubeconfig-raw.ts";

type Obj = Record<string, unknown>;
type ListKey = "clusters" | "users" | "contexts";

/** Every file of the invocation plus their merge. */
export interface ConfigSet {
  files: ConfigFile[];
  /** Merged, lists sorted by name. */
  merged: ConfigDoc;
  /** Where kubectl writes new entries and the current-context. */
  defaultFile: string;
  /** The file each entry was merged from, per list. */
  origin: Record<ListKey, Map<string, string>>;
}

/** Loads the files kubectl would read (an explicit --kubeconfig must exist). */
export async function loadConfigSet(source: KubeconfigSource): Promise<ConfigSet> {
  const { paths, explicit } = kubeconfigPaths(source);
  const files = await Promise.all(paths.map((p) => readConfigFile(p, explicit)));
  const existing = files.filter((f) => f.doc);
  const defaultFile = explicit || paths.length === 1 ? paths[0]! : (existing[0]?.path ?? paths[paths.length - 1]!);
  const origin: ConfigSet["origin"] = { clusters: new Map(), users: new Map(), contexts: new Map() };
  const merged = emptyConfig();
  const lists: Record<ListKey, NamedEntry[]> = { clusters: [], users: [], contexts: [] };
  for (const f of existing) {
    const doc = f.doc!;
    if (!merged.currentContext) merged.currentContext = doc.currentContext;
    for (const [k, v] of Object.entries(doc.preferences)) if (!(k in merged.preferences)) merged.preferences[k] = v;
    if (doc.extensions && !merged.extensions) merged.extensions = doc.extensions;
    for (const key of ["clusters", "users", "contexts"] as const) {
      for (const entry of doc[key] ?? []) {
        if (origin[key].has(entry.name)) continue;
        origin[key].set(entry.name, f.path);
        lists[key].push(entry);
      }
    }
  }
  for (const key of ["clusters", "users", "contexts"] as const) merged[key] = lists[key].length ? sortByName(lists[key]) : null;
  return { files, merged, defaultFile, origin };
}

/** `config view` without --raw: certificate data omitted, tokens and passwords redacted. */
export function redact(doc: ConfigDoc): ConfigDoc {
  const mask = (entries: NamedEntry[] | null, fields: [string, string][]) =>
    entries?.map((e) => {
      const value = { ...e.value };
      for (const [field, marker] of fields) if (value[field] !== undefined) value[field] = marker;
      return { name: e.name, value };
    }) ?? null;
  return {
    ...doc,
    clusters: mask(doc.clusters, [["certificate-authority-data", "DATA+OMITTED"]]),
    users: mask(doc.users, [
      ["client-certificate-data", "DATA+OMITTED"],
      ["client-key-data", "DATA+OMITTED"],
      ["token", "REDACTED"],
      ["password", "REDACTED"],
    ]),
  };
}

/** `--minify`: only the context in use and its cluster and user. */
export function minify(doc: ConfigDoc, contextName: string): ConfigDoc {
  if (!contextName) throw new ConfigError("current-context must exist in order to minify");
  const ctx = doc.contexts?.find((c) => c.name === contextName);
  if (!ctx) throw new ConfigError(`cannot locate context ${contextName}`);
  const only = (list: NamedEntry[] | null, name: unknown) => {
    const hit = list?.filter((e) => e.name === name) ?? [];
    return hit.length ? hit : null;
  };
  return { ...doc, currentContext: contextName, contexts: [ctx], clusters: only(doc.clusters, ctx.value.cluster), users: only(doc.users, ctx.value.user) };
}

/** `--flatten`: referenced files (relative to the kubeconfig naming them) read into the `-data` fields. */
export function flatten(doc: ConfigDoc, origin: ConfigSet["origin"]): ConfigDoc {
  const inline = (key: ListKey, entries: NamedEntry[] | null, pairs: [string, string][]) =>
    entries?.map((e) => {
      const value: Obj = { ...e.value };
      for (const [fileField, dataField] of pairs) {
        const ref = value[fileField];
        if (typeof ref !== "string") continue;
        const path = resolve(dirname(origin[key].get(e.name) ?? "."), ref);
        let data: Buffer;
        try {
          data = readFileSync(path);
        } catch (err) {
          throw new ConfigError(goFileError("open", path, err));
        }
        delete value[fileField];
        value[dataField] = data.toString("base64");
      }
      return { name: e.name, value: reorderLike(value, e.value, pairs) };
    }) ?? null;
  return {
    ...doc,
    clusters: inline("clusters", doc.clusters, [["certificate-authority", "certificate-authority-data"]]),
    users: inline("users", doc.users, [
      ["client-certificate", "client-certificate-data"],
      ["client-key", "client-key-data"],
    ]),
  };
}

// Puts each new `-data` field where its file field was.
function reorderLike(value: Obj, original: Obj, pairs: [string, string][]): Obj {
  const out: Obj = {};
  for (const k of Object.keys(original)) {
    const data = pairs.find(([f]) => f === k)?.[1];
    if (data && data in value) out[data] = value[data];
    else if (k in value) out[k] = value[k];
  }
  for (const k of Object.keys(value)) if (!(k in out)) out[k] = value[k];
  return out;
}

/** Applies `change` to the file holding the entry (or to the default file) and writes it. */
export async function updateFile(set: ConfigSet, path: string, change: (doc: ConfigDoc) => void): Promise<void> {
  const file = set.files.find((f) => f.path === path);
  const doc = file?.doc ? structuredClone(file.doc) : emptyConfig();
  change(doc);
  await writeConfig(path, doc);
}

/** Writes a Config file the way kubectl does: v1 YAML, keys sorted, new files mode 0600. */
export async function writeConfig(path: string, doc: ConfigDoc): Promise<void> {
  const { goYaml } = await import("./printers/go-yaml.ts");
  const normalized = { ...doc };
  for (const key of ["clusters", "users", "contexts"] as const) normalized[key] = doc[key]?.length ? sortByName(doc[key]!) : null;
  if (!normalized.kind) normalized.kind = "Config";
  if (!normalized.apiVersion) normalized.apiVersion = "v1";
  try {
    mkdirSync(dirname(path), { recursive: true });
    // The mode applies to new files only; an existing file keeps its own.
    writeFileSync(path, goYaml(encodeConfig(normalized)), { mode: 0o600 });
  } catch (err) {
    throw new ConfigError(goFileError("open", path, err));
  }
}

/** Replaces or appends one named entry of a list. */
export function setEntry(doc: ConfigDoc, key: ListKey, entry: NamedEntry): void {
  const list = doc[key] ?? [];
  const at = list.findIndex((e) => e.name === entry.name);
  if (at >= 0) list[at] = entry;
  else list.push(entry);
  doc[key] = list;
}

/** Removes one named entry of a list (null when the list becomes empty). */
export function removeEntry(doc: ConfigDoc, key: ListKey, name: string): void {
  const list = (doc[key] ?? []).filter((e) => e.name !== name);
  doc[key] = list.length ? list : null;
}

function sortByName(list: NamedEntry[]): NamedEntry[] {
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
