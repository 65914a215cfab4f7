// The on-disk discovery cache, in the layout kubectl uses, so both tools can share
// ~/.kube/cache: discovery/<host>_<port>/servergroups.json (an APIGroupList whose first group
// is the core group "") and <group>/<version>/serverresources.json (APIResourceLists; the
// core group-version lives at v1/). Entries older than six hours (by mtime) are stale.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** metav1.APIGroupList as cached. */
export interface GroupList {
  kind?: string;
  apiVersion?: string;
  groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { groupVersion: string; version: string } }[];
}

/** metav1.APIResource as cached (subresources appear as `pods/log`). */
export interface ResourceEntry {
  name: string;
  singularName?: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/** metav1.APIResourceList as cached. */
export interface ResourceList {
  kind?: string;
  apiVersion?: string;
  groupVersion: string;
  resources: ResourceEntry[];
}

/** Everything discovery knows: the groups and each group-version's resources. */
export interface DiscoveryDocument {
  groups: GroupList;
  /** Keyed by group-version (`v1`, `apps/v1`). */
  resources: Map<string, ResourceList>;
}

const TTL_MS = 6 * 60 * 60 * 1000;
// kubectl keeps word characters, dots and slashes of the schemeless host; the rest become `_`.
const UNSAFE = /[^\w/.]/g;

/** The cache directory for one server URL: `<cacheDir>/discovery/127.0.0.1_6443`. */
export function discoveryCacheDir(cacheDir: string, server: string): string {
  const host = server.replace(/^https?:\/\//, "");
  return join(cacheDir, "discovery", host.replace(UNSAFE, "_"));
}

/** Reads a fresh, complete cache, or returns undefined when any part is missing or stale. */
export function readDiscoveryCache(dir: string, now = Date.now()): DiscoveryDocument | undefined {
  const groups = readFresh<GroupList>(join(dir, "servergroups.json"), now);
  if (!groups?.groups) return undefined;
  const resources = new Map<string, ResourceList>();
  for (const g of groups.groups) {
    for (const v of g.versions) {
      const list = readFresh<ResourceList>(join(dir, v.groupVersion, "serverresources.json"), now);
      if (!list) return undefined;
      resources.set(v.groupVersion, list);
    }
  }
  return { groups, resources };
}

/** Writes the document; failures are ignored (a read-only HOME must not break commands). */
export function writeDiscoveryCache(dir: string, doc: DiscoveryDocument): void {
  try {
    for (const [gv, list] of doc.resources) writeAtomic(join(dir, gv, "serverresources.json"), JSON.stringify(list));
    writeAtomic(join(dir, "servergroups.json"), JSON.stringify(doc.groups));
  } catch {
    // kubectl also carries on without a cache.
  }
}

function readFresh<T>(file: string, now: number): T | undefined {
  try {
    if (now - statSync(file).mtimeMs > TTL_MS) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o750 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o660 });
  renameSync(tmp, file);
}
