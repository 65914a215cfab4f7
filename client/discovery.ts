// API discovery as kubectl does it: aggregated discovery (/api and /apis with the
// apidiscovery v2, then v2beta1 Accept) and the legacy per-group-version fallback, kept in
// kubectl's disk cache for six hours and refetched once when a name does not resolve.

import type { ClientConfig } from "./client-config.ts";
import {
  discoveryCacheDir,
  readDiscoveryCache,
  writeDiscoveryCache,
  type DiscoveryDocument,
  type GroupList,
  type ResourceEntry,
  type ResourceList,
} from "./discovery-cache.ts";
import { findKind, matchParsed, parseResourceArg, shortNameWarnings, UnknownResourceError } from "./resources.ts";
import { klogLine } from "./trace.ts";
import { writeStderr } from "./stdio.ts";
import type { RestClient } from "./transport.ts";
import { StatusError } from "../api/status.ts";

/** One served resource (not a subresource) in one group-version. */
export interface ApiResource {
  group: string;
  version: string;
  /** The plural name used in URLs (`pods`). */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
}

/** One API group with its versions, preferred first. */
export interface ApiGroup {
  name: string;
  versions: string[];
  preferred: string;
}

/** The Accept kubectl ≥1.30 sends on /api and /apis. */
export const AGGREGATED_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

/** Discovery for one server, memoised for the invocation and cached on disk. */
export class Discovery {
  private doc?: Promise<DiscoveryDocument>;
  private resourcesOf?: { doc: DiscoveryDocument; list: ApiResource[] };
  /** True once this process fetched from the server (a second fetch would not tell more). */
  private fresh = false;
  private readonly cacheDir?: string;

  constructor(
    private readonly rest: RestClient,
    config: ClientConfig,
    opts: { cacheDir?: string } = {},
  ) {
    const base = opts.cacheDir ?? (process.env.HOME ? `${process.env.HOME}/.kube/cache` : undefined);
    this.cacheDir = base ? discoveryCacheDir(base, config.server) : undefined;
  }

  /**
   * Every resource of every served group-version, subresources excluded, in resolution
   * priority: each group's preferred version in server order (core first), then the other
   * versions.
   */
  async resources(): Promise<ApiResource[]> {
    const doc = await this.document();
    if (this.resourcesOf?.doc !== doc) this.resourcesOf = { doc, list: toResources(doc) };
    return this.resourcesOf.list;
  }

  /** Resources of each group's preferred version, plus those only served by other versions (`api-resources`). */
  async preferredResources(): Promise<ApiResource[]> {
    const seen = new Set<string>();
    const out: ApiResource[] = [];
    const all = await this.resources();
    for (const g of await this.groups()) {
      for (const r of all) {
        if (r.group !== g.name || seen.has(`${r.group}/${r.resource}`)) continue;
        seen.add(`${r.group}/${r.resource}`);
        out.push(r);
      }
    }
    return out;
  }

  /** The served groups in server order, the core group ("") first. */
  async groups(): Promise<ApiGroup[]> {
    const doc = await this.document();
    return doc.groups.groups.map((g) => ({
      name: g.name,
      versions: g.versions.map((v) => v.version),
      preferred: g.preferredVersion?.version ?? g.versions[0]?.version ?? "",
    }));
  }

  /** The raw resource lists (subresources included), keyed by group-version. */
  async resourceLists(): Promise<Map<string, ResourceList>> {
    return (await this.document()).resources;
  }

  /**
   * Resolves a resource argument as kubectl does: plural, singular or kind (any case), a
   * short name, `resource.group` or `resource.version.group`. Refetches once when the cache
   * does not know it; throws UnknownResourceError (`the server doesn't have a resource type "x"`).
   */
  async resolve(arg: string): Promise<ApiResource> {
    const { full, partial } = parseResourceArg(arg);
    // kubectl tries the fully specified reading first and refetches discovery when it fails.
    for (const want of full ? [full, partial] : [partial]) {
      let hit = matchParsed(await this.resources(), want);
      if (!hit && !this.fresh) {
        await this.invalidate();
        hit = matchParsed(await this.resources(), want);
      }
      if (!hit) continue;
      for (const w of shortNameWarnings(await this.resources(), want, hit)) writeStderr(`Warning: ${w}\n`);
      return hit;
    }
    throw new UnknownResourceError(arg);
  }

  /** The resources of a category (`all`), or undefined when no resource declares it. */
  async expandCategory(name: string): Promise<ApiResource[] | undefined> {
    const seen = new Set<string>();
    const found = (await this.resources()).filter((r) => {
      if (!r.categories.includes(name) || seen.has(`${r.group}/${r.resource}`)) return false;
      seen.add(`${r.group}/${r.resource}`);
      return true;
    });
    return found.length ? found : undefined;
  }

  /** The resource serving `kind` in `apiVersion` (`apps/v1`); throws `no matches for kind …`. */
  async forKind(apiVersion: string, kind: string): Promise<ApiResource> {
    const slash = apiVersion.indexOf("/");
    const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
    const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
    return this.retrying(
      async () => findKind(await this.resources(), group, version, kind),
      () => new NoKindMatchError(kind, apiVersion),
    );
  }

  /** Forgets what is known so the next call asks the server again (and rewrites the cache). */
  async invalidate(): Promise<void> {
    this.doc = undefined;
    this.fresh = true;
    this.doc = this.fetch();
    await this.doc.catch(() => undefined);
  }

  private async retrying<T>(find: () => Promise<T | undefined>, notFound: () => Error): Promise<T> {
    const hit = await find();
    if (hit) return hit;
    if (!this.fresh) {
      await this.invalidate();
      const again = await find();
      if (again) return again;
    }
    throw notFound();
  }

  private document(): Promise<DiscoveryDocument> {
    if (!this.doc) {
      const cached = this.cacheDir ? readDiscoveryCache(this.cacheDir) : undefined;
      if (cached) this.doc = Promise.resolve(cached);
      else {
        this.fresh = true;
        this.doc = this.fetch();
      }
    }
    return this.doc;
  }

  private async fetch(): Promise<DiscoveryDocument> {
    const doc = await fetchDiscovery(this.rest);
    if (this.cacheDir) writeDiscoveryCache(this.cacheDir, doc);
    return doc;
  }
}

/** A kind that no served group-version has. */
export class NoKindMatchError extends Error {
  constructor(
    readonly kind: string,
    readonly apiVersion: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
    this.name = "NoKindMatchError";
  }
}

async function fetchDiscovery(rest: RestClient): Promise<DiscoveryDocument> {
  const core = await getDiscovery(rest, "/api", true);
  const apis = await getDiscovery(rest, "/apis", false);
  const groups: GroupList = { kind: "APIGroupList", apiVersion: "v1", groups: [] };
  const resources = new Map<string, ResourceList>();
  const legacy: string[] = [];
  for (const part of [core, apis]) {
    if (!part) continue;
    groups.groups.push(...part.groups);
    for (const [gv, list] of part.resources) resources.set(gv, list);
    if (part.legacy) legacy.push(...part.groups.flatMap((g) => g.versions.map((v) => v.groupVersion)));
  }
  const fetched = await Promise.all(legacy.map((gv) => getResourceList(rest, gv)));
  for (const list of fetched) if (list) resources.set(list.groupVersion, list);
  return { groups, resources };
}

interface DiscoveryPart {
  groups: GroupList["groups"];
  resources: Map<string, ResourceList>;
  legacy: boolean;
}

async function getDiscovery(rest: RestClient, path: string, isCore: boolean): Promise<DiscoveryPart | undefined> {
  let res;
  try {
    res = await rest.requestText({ path, accept: AGGREGATED_ACCEPT, discovery: true });
  } catch (err) {
    // Without /api there is simply no core group; /apis is required.
    if (isCore && err instanceof StatusError && err.code === 404) return undefined;
    throw err;
  }
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (body.kind === "APIGroupDiscoveryList") return fromAggregated(body as unknown as AggregatedList);
  if (isCore) {
    const versions = (body.versions as string[] | undefined) ?? [];
    const vs = versions.map((v) => ({ groupVersion: v, version: v }));
    return { groups: vs.length ? [{ name: "", versions: vs, preferredVersion: vs[0] }] : [], resources: new Map(), legacy: true };
  }
  return { groups: (body as unknown as GroupList).groups ?? [], resources: new Map(), legacy: true };
}

async function getResourceList(rest: RestClient, gv: string): Promise<ResourceList | undefined> {
  const path = gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`;
  try {
    return await rest.requestJson<ResourceList>({ path, discovery: true });
  } catch (err) {
    writeStderr(`${klogLine("discovery.ts:1", `couldn't get resource list for ${gv}: ${(err as Error).message}`).replace(/^I/, "E")}\n`);
    return undefined;
  }
}

interface AggregatedResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: string;
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string; responseKind?: { group?: string; version?: string; kind?: string }; verbs?: string[] }[];
}

interface AggregatedList {
  items?: { metadata?: { name?: string }; versions?: { version: string; resources?: AggregatedResource[]; freshness?: string }[] }[];
}

function fromAggregated(list: AggregatedList): DiscoveryPart {
  const groups: GroupList["groups"] = [];
  const resources = new Map<string, ResourceList>();
  for (const item of list.items ?? []) {
    const name = item.metadata?.name ?? "";
    const versions = (item.versions ?? []).map((v) => ({ groupVersion: name ? `${name}/${v.version}` : v.version, version: v.version }));
    if (!versions.length) continue;
    groups.push({ name, versions, preferredVersion: versions[0] });
    for (const v of item.versions ?? []) {
      const gv = name ? `${name}/${v.version}` : v.version;
      resources.set(gv, { kind: "APIResourceList", apiVersion: "v1", groupVersion: gv, resources: (v.resources ?? []).flatMap(entriesOf) });
    }
  }
  return { groups, resources, legacy: false };
}

function entriesOf(r: AggregatedResource): ResourceEntry[] {
  const namespaced = r.scope === "Namespaced";
  const kind = r.responseKind ?? {};
  const main: ResourceEntry = { name: r.resource, singularName: r.singularResource ?? "", namespaced, kind: kind.kind ?? "", verbs: r.verbs ?? [] };
  if (kind.group) main.group = kind.group;
  if (kind.version) main.version = kind.version;
  if (r.shortNames?.length) main.shortNames = r.shortNames;
  if (r.categories?.length) main.categories = r.categories;
  const subs = (r.subresources ?? []).map((s) => {
    const e: ResourceEntry = { name: `${r.resource}/${s.subresource}`, singularName: r.singularResource ?? "", namespaced, kind: s.responseKind?.kind ?? "", verbs: s.verbs ?? [] };
    if (s.responseKind?.group) e.group = s.responseKind.group;
    if (s.responseKind?.version) e.version = s.responseKind.version;
    return e;
  });
  return [main, ...subs];
}

function toResources(doc: DiscoveryDocument): ApiResource[] {
  const preferred: ApiResource[] = [];
  const others: ApiResource[] = [];
  for (const g of doc.groups.groups) {
    const pref = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of g.versions) {
      const list = doc.resources.get(v.groupVersion);
      for (const e of list?.resources ?? []) {
        if (e.name.includes("/")) continue;
        (v.version === pref ? preferred : others).push({
          group: g.name,
          version: v.version,
          resource: e.name,
          singular: e.singularName || e.kind.toLowerCase(),
          kind: e.kind,
          namespaced: e.namespaced,
          verbs: e.verbs ?? [],
          shortNames: e.shortNames ?? [],
          categories: e.categories ?? [],
        });
      }
    }
  }
  return [...preferred, ...others];
}
