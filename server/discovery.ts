// API discovery documents, derived from the catalog: legacy (/api, /apis, /api/v1,
// /apis/{g}, /apis/{g}/{v}) and aggregated (apidiscovery.k8s.io v2 and v2beta1).
import { createHash } from "node:crypto";
import { pathNotFound } from "../api/status.ts";
import type { Catalog } from "./registry/catalog.ts";
import { verbsOf, type ResourceType } from "./registry/resource-type.ts";
import { negotiateDiscovery, negotiateOutput } from "./http/negotiation.ts";
import { contentTypeFor, objectResponse } from "./http/respond.ts";
import { completeResponse } from "./http/direct-body.ts";

/** Serves discovery paths; returns null for paths that are not discovery. */
export function discoveryResponse(catalog: Catalog, path: string, request: Request, serverAddress: string): Promise<Response> | null {
  const segments = path.split("/").filter(Boolean);
  const accept = request.headers.get("accept");
  if (segments[0] === "api" && segments.length === 1) {
    const output = negotiateDiscovery(accept);
    if (output.kind.startsWith("discovery")) return cached(request, aggregated(catalog, true, output.version), contentTypeFor(output));
    return objectResponse(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] }, output);
  }
  if (segments[0] === "apis" && segments.length === 1) {
    const output = negotiateDiscovery(accept);
    if (output.kind.startsWith("discovery")) return cached(request, aggregated(catalog, false, output.version), contentTypeFor(output));
    return objectResponse(200, { kind: "APIGroupList", apiVersion: "v1", groups: groups(catalog).map(apiGroup) }, output);
  }
  if (segments[0] === "api" && segments.length === 2) {
    if (segments[1] !== "v1") throw pathNotFound();
    return objectResponse(200, resourceList(catalog, "", "v1"), negotiateOutput(accept, { allowTable: false }));
  }
  if (segments[0] === "apis" && segments.length === 2) {
    const group = groups(catalog).find((g) => g.group === segments[1]);
    if (!group) throw pathNotFound();
    return objectResponse(200, { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group) }, negotiateOutput(accept, { allowTable: false }));
  }
  if (segments[0] === "apis" && segments.length === 3) {
    if (!catalog.typesOf(segments[1], segments[2]).length) throw pathNotFound();
    return objectResponse(200, resourceList(catalog, segments[1], segments[2]), negotiateOutput(accept, { allowTable: false }));
  }
  return null;
}

function groups(catalog: Catalog): { group: string; versions: string[] }[] {
  return catalog.groupVersions().filter((g) => g.group !== "");
}

function apiGroup(g: { group: string; versions: string[] }) {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.group}/${version}`, version }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

function resourceList(catalog: Catalog, group: string, version: string) {
  const resources: Record<string, unknown>[] = [];
  for (const t of catalog.typesOf(group, version)) {
    const entry: Record<string, unknown> = { name: t.resource, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsOf(t) };
    if (t.shortNames) entry.shortNames = t.shortNames;
    if (t.categories) entry.categories = t.categories;
    entry.storageVersionHash = storageVersionHash(t);
    resources.push(entry);
    for (const sub of t.subresources) {
      const subEntry: Record<string, unknown> = { name: `${t.resource}/${sub.name}`, singularName: "", namespaced: t.namespaced, kind: sub.kind, verbs: sub.verbs };
      if (sub.group !== undefined) subEntry.group = sub.group;
      if (sub.version !== undefined) subEntry.version = sub.version;
      resources.push(subEntry);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
}

function aggregatedResource(t: ResourceType) {
  const entry: Record<string, unknown> = {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? "Namespaced" : "Cluster",
    singularResource: t.singular,
    verbs: verbsOf(t),
  };
  if (t.shortNames) entry.shortNames = t.shortNames;
  if (t.categories) entry.categories = t.categories;
  if (t.subresources.length) {
    entry.subresources = t.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? t.group, version: s.version ?? t.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

function aggregated(catalog: Catalog, core: boolean, version: string) {
  const items = catalog
    .groupVersions()
    .filter((g) => (g.group === "") === core)
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v, resources: catalog.typesOf(g.group, v).map(aggregatedResource), freshness: "Current" })),
    }));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** A short hash identifying the stored version, as upstream publishes. */
function storageVersionHash(t: ResourceType): string {
  return createHash("sha256").update(`${t.group}/${t.version}/${t.kind}`).digest("base64").slice(0, 11);
}

/** Aggregated discovery with an ETag; `If-None-Match` gets 304 Not Modified. */
function cached(request: Request, body: unknown, contentType: string): Promise<Response> {
  const text = JSON.stringify(body);
  const etag = `"${createHash("sha256").update(text).digest("hex").toUpperCase()}"`;
  if (request.headers.get("if-none-match") === etag) return Promise.resolve(new Response(null, { status: 304, headers: { etag } }));
  return Promise.resolve(completeResponse(text, { status: 200, headers: { "content-type": contentType, etag, vary: "Accept" } }));
}
