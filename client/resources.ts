// Resource-name resolution with kubectl's rules, and the REST paths of resources. The list
// given to matchResource is in priority order (Discovery.resources()), so when two groups
// serve the same name the first wins: the core group, then the others in server order.

import type { ApiResource } from "./discovery.ts";

/** A resource argument the server does not serve. */
export class UnknownResourceError extends Error {
  constructor(readonly arg: string) {
    super(`the server doesn't have a resource type "${arg.split(".")[0]}"`);
    this.name = "UnknownResourceError";
  }
}

/** What a resource argument asks for: `deployments.v1.apps` → resource, version, group. */
export interface ResourceArg {
  resource: string;
  group?: string;
  version?: string;
}

/** Splits `resource[.version].group` the way kubectl's ParseResourceArg does, lower-cased. */
export function parseResourceArg(arg: string): { full?: ResourceArg; partial: ResourceArg } {
  const parts = arg.toLowerCase().split(".");
  const resource = parts[0]!;
  if (parts.length === 1) return { partial: { resource } };
  const partial = { resource, group: parts.slice(1).join(".") };
  if (parts.length === 2) return { partial };
  return { full: { resource, version: parts[1], group: parts.slice(2).join(".") }, partial };
}

/** The first resource (in priority order) matching `arg`, or undefined. */
export function matchResource(resources: ApiResource[], arg: string): ApiResource | undefined {
  const { full, partial } = parseResourceArg(arg);
  return (full && matchParsed(resources, full)) || matchParsed(resources, partial);
}

/**
 * The first resource matching one parsed form. A fully specified form (with a version)
 * needs the exact group; a partial one also accepts a group prefix (`deployments.app`).
 */
export function matchParsed(resources: ApiResource[], want: ResourceArg): ApiResource | undefined {
  const expanded = expandShortName(resources, want);
  const exact = find(resources, expanded, false);
  if (exact || expanded.group === undefined || expanded.version !== undefined) return exact;
  return find(resources, expanded, true);
}

/** kubectl's warnings when a short name also belongs to lower-priority resources. */
export function shortNameWarnings(resources: ApiResource[], want: ResourceArg, chosen: ApiResource): string[] {
  if (chosen.resource === want.resource || chosen.singular === want.resource || !chosen.shortNames.includes(want.resource)) return [];
  const seen = new Set([groupResource(chosen)]);
  const out: string[] = [];
  for (const r of resources) {
    if (!r.shortNames.includes(want.resource) || seen.has(groupResource(r))) continue;
    if (want.group !== undefined && r.group !== want.group) continue;
    seen.add(groupResource(r));
    out.push(`short name "${want.resource}" could also match lower priority resource ${groupResource(r)}`);
  }
  return out;
}

/** The resource serving exactly `group/version` `kind`. */
export function findKind(resources: ApiResource[], group: string, version: string, kind: string): ApiResource | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** `pods`, `deployments.apps`: how kubectl names a resource in messages. */
export function groupResource(r: Pick<ApiResource, "group" | "resource">): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** `pod`, `deployment.apps`: the prefix of `-o name` and of multi-type tables. */
export function kindPrefix(r: Pick<ApiResource, "group" | "kind">): string {
  return (r.group ? `${r.kind}.${r.group}` : r.kind).toLowerCase();
}

/** `v1`, `apps/v1`. */
export function apiVersionOf(r: Pick<ApiResource, "group" | "version">): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/**
 * The REST path of a collection (no name) or an object; `namespace` is ignored for
 * cluster-scoped resources and an empty one means all namespaces.
 */
export function resourcePath(r: Pick<ApiResource, "group" | "version" | "resource" | "namespaced">, namespace?: string, name?: string, subresource?: string): string {
  let path = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${r.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

function find(resources: ApiResource[], want: ResourceArg, groupPrefix: boolean): ApiResource | undefined {
  return resources.find(
    (r) =>
      (want.group === undefined || r.group === want.group || (groupPrefix && r.group.startsWith(want.group))) &&
      (want.version === undefined || r.version === want.version) &&
      (r.resource === want.resource || r.singular === want.resource || r.kind.toLowerCase() === want.resource),
  );
}

// A short name stands for its resource unless the word already names a resource exactly; a
// partial group (`hpa.autoscal`) may match a short name's group by prefix.
function expandShortName(resources: ApiResource[], want: ResourceArg): ResourceArg {
  const inGroup = (r: ApiResource) => want.group === undefined || r.group === want.group;
  if (resources.some((r) => inGroup(r) && (r.resource === want.resource || r.singular === want.resource))) return want;
  const exact = resources.find((r) => inGroup(r) && r.shortNames.includes(want.resource));
  if (exact) return { ...want, resource: exact.resource, group: exact.group };
  if (want.group === undefined) return want;
  const prefixed = resources.find((r) => r.group.startsWith(want.group!) && r.shortNames.includes(want.resource));
  return prefixed ? { ...want, resource: prefixed.resource, group: prefixed.group } : want;
}
