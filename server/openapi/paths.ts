// OpenAPI path items for the resources of one group-version: list/create/deletecollection on
// the collection, get/replace/patch/delete on items, and the subresources. Every operation
// carries x-kubernetes-group-version-kind and x-kubernetes-action; writes list the
// fieldValidation parameter, which is how kubectl learns that the server validates.
import { kindType } from "../../api/schema/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import { apiVersionOf, verbsOf, type ResourceType, type SubresourceType } from "../registry/resource-type.ts";
import { refTo, type Flavour } from "./schemas.ts";

type Json = Record<string, any>;

interface Param {
  name: string;
  in: "query" | "path";
  type: "string" | "integer" | "boolean";
  description: string;
}

const queryParam = (name: string, type: Param["type"], description: string): Param => ({ name, in: "query", type, description });
const dryRun = queryParam("dryRun", "string", "When set to All, the request is checked but nothing is stored.");
const fieldManager = queryParam("fieldManager", "string", "The name of the actor making the change, recorded in managedFields.");
const fieldValidation = queryParam("fieldValidation", "string", "How unknown or duplicate fields are treated: Ignore, Warn or Strict.");
const force = queryParam("force", "boolean", "Take over fields owned by other managers (apply requests only).");
const pretty = queryParam("pretty", "string", "Indent the output.");
const listParams = [
  queryParam("allowWatchBookmarks", "boolean", "Ask for BOOKMARK events on a watch."),
  queryParam("continue", "string", "The continue token of the previous page."),
  queryParam("fieldSelector", "string", "Only return objects whose fields match."),
  queryParam("labelSelector", "string", "Only return objects whose labels match."),
  queryParam("limit", "integer", "The largest number of items to return."),
  queryParam("resourceVersion", "string", "How fresh the returned data must be."),
  queryParam("resourceVersionMatch", "string", "How resourceVersion is applied."),
  queryParam("sendInitialEvents", "boolean", "Start a watch with the current objects."),
  queryParam("timeoutSeconds", "integer", "End the call after this many seconds."),
  queryParam("watch", "boolean", "Stream changes instead of returning a list."),
];
const deleteParams = [
  dryRun,
  queryParam("gracePeriodSeconds", "integer", "Seconds before the object is deleted."),
  queryParam("propagationPolicy", "string", "Orphan, Background or Foreground deletion of dependents."),
];
const patchTypes = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];
const mediaTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const metaName = "io.k8s.apimachinery.pkg.apis.meta.v1";

/** The path items of one group-version, keyed by path. */
export function groupVersionPaths(catalog: Catalog, group: string, version: string, flavour: Flavour): Json {
  const paths: Json = {};
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  for (const t of catalog.typesOf(group, version)) addResource(paths, prefix, t, flavour);
  return paths;
}

/** The named schemas the paths of a group-version refer to. */
export function groupVersionRoots(catalog: Catalog, group: string, version: string): string[] {
  const roots = new Set([`${metaName}.DeleteOptions`, `${metaName}.Status`, `${metaName}.Patch`]);
  for (const t of catalog.typesOf(group, version)) {
    for (const k of [t.kind, t.listKind]) {
      const schema = kindType(apiVersionOf(t), k);
      if (schema) roots.add(schema.name);
    }
    for (const sub of t.subresources) {
      const schema = kindType(subApiVersion(t, sub), sub.kind);
      if (schema) roots.add(schema.name);
    }
  }
  roots.delete(`${metaName}.Patch`);
  return [...roots];
}

function addResource(paths: Json, prefix: string, t: ResourceType, flavour: Flavour): void {
  const verbs = new Set(verbsOf(t));
  const gvk = { group: t.group, kind: t.kind, version: t.version };
  const kindRef = schemaRef(apiVersionOf(t), t.kind, flavour);
  const listRef = schemaRef(apiVersionOf(t), t.listKind, flavour);
  const ns = t.namespaced ? "/namespaces/{namespace}" : "";
  const collection = `${prefix}${ns}/${t.resource}`;
  const scope = t.namespaced ? ["namespace"] : [];
  const ctx = { flavour, t };
  const coll: Json = { parameters: pathParams(scope, flavour) };
  if (verbs.has("list")) coll.get = op(ctx, "list", gvk, { params: listParams, response: listRef });
  if (verbs.has("create")) coll.post = op(ctx, "post", gvk, { params: [dryRun, fieldManager, fieldValidation], body: kindRef, response: kindRef, created: true });
  if (verbs.has("deletecollection")) coll.delete = op(ctx, "deletecollection", gvk, { params: [...deleteParams, ...listParams.slice(1, 9)], body: refTo(`${metaName}.DeleteOptions`, flavour), response: statusRef(flavour) });
  if (coll.get || coll.post || coll.delete) paths[collection] = coll;
  const item: Json = { parameters: pathParams([...scope, "name"], flavour) };
  if (verbs.has("get")) item.get = op(ctx, "get", gvk, { response: kindRef });
  if (verbs.has("update")) item.put = op(ctx, "put", gvk, { params: [dryRun, fieldManager, fieldValidation], body: kindRef, response: kindRef, created: true });
  if (verbs.has("patch")) item.patch = op(ctx, "patch", gvk, { params: [dryRun, fieldManager, fieldValidation, force], patch: true, response: kindRef, created: true });
  if (verbs.has("delete")) item.delete = op(ctx, "delete", gvk, { params: deleteParams, body: refTo(`${metaName}.DeleteOptions`, flavour), response: statusRef(flavour) });
  if (item.get || item.put || item.patch || item.delete) paths[`${collection}/{name}`] = item;
  for (const sub of t.subresources) addSubresource(paths, `${collection}/{name}/${sub.name}`, t, sub, scope, flavour);
}

function addSubresource(paths: Json, path: string, t: ResourceType, sub: SubresourceType, scope: string[], flavour: Flavour): void {
  const gvk = { group: sub.group ?? t.group, kind: sub.kind, version: sub.version ?? t.version };
  const ref = schemaRef(subApiVersion(t, sub), sub.kind, flavour);
  const ctx = { flavour, t, sub: sub.name };
  const item: Json = { parameters: pathParams([...scope, "name"], flavour) };
  const writes = [dryRun, fieldManager, fieldValidation];
  for (const verb of sub.verbs) {
    if (verb === "get") item.get = op(ctx, "get", gvk, { response: ref, text: sub.name === "log" });
    if (verb === "update") item.put = op(ctx, "put", gvk, { params: writes, body: ref, response: ref, created: true });
    if (verb === "patch") item.patch = op(ctx, "patch", gvk, { params: [...writes, force], patch: true, response: ref, created: true });
    if (verb === "create") item.post = op(ctx, "post", gvk, { params: writes, body: ref, response: ref, created: true });
  }
  paths[path] = item;
}

function subApiVersion(t: ResourceType, sub: SubresourceType): string {
  return apiVersionOf({ group: sub.group ?? t.group, version: sub.version ?? t.version });
}

function schemaRef(apiVersion: string, kind: string, flavour: Flavour): Json | undefined {
  const schema = kindType(apiVersion, kind);
  return schema ? refTo(schema.name, flavour) : undefined;
}

function statusRef(flavour: Flavour): Json {
  return refTo(`${metaName}.Status`, flavour);
}

interface OpSpec {
  params?: Param[];
  body?: Json;
  patch?: boolean;
  response?: Json;
  created?: boolean;
  text?: boolean;
}

function op(ctx: { flavour: Flavour; t: ResourceType; sub?: string }, action: string, gvk: Json, spec: OpSpec): Json {
  const { flavour, t } = ctx;
  const out: Json = {
    description: `${action} ${ctx.sub ? `${ctx.sub} of ` : ""}${t.kind}`,
    operationId: operationId(action, t, ctx.sub),
    tags: [tagOf(t)],
    parameters: (spec.params ?? []).map((p) => paramSchema(p, flavour)),
    responses: responses(spec, flavour),
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
  };
  const bodySchema = spec.patch ? refTo(`${metaName}.Patch`, flavour) : spec.body;
  if (bodySchema) {
    const contentTypes = spec.patch ? patchTypes : ["*/*"];
    if (flavour === "v3") out.requestBody = { content: Object.fromEntries(contentTypes.map((c) => [c, { schema: bodySchema }])), required: true };
    else {
      out.parameters.unshift({ in: "body", name: "body", required: true, schema: bodySchema });
      out.consumes = contentTypes;
    }
  }
  if (flavour === "v2") out.produces = spec.text ? ["text/plain", "application/json"] : mediaTypes;
  return out;
}

function responses(spec: OpSpec, flavour: Flavour): Json {
  const out: Json = {};
  const codes = spec.created ? ["200", "201"] : ["200"];
  for (const code of codes) {
    const description = code === "201" ? "Created" : "OK";
    if (spec.text) out[code] = flavour === "v3" ? { description, content: { "text/plain": { schema: { type: "string" } } } } : { description, schema: { type: "string" } };
    else if (!spec.response) out[code] = { description };
    else if (flavour === "v3") out[code] = { description, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: spec.response }])) };
    else out[code] = { description, schema: spec.response };
  }
  out["401"] = { description: "Unauthorized" };
  return out;
}

function paramSchema(p: Param, flavour: Flavour): Json {
  const base: Json = { description: p.description, in: p.in, name: p.name };
  if (p.in === "path") base.required = true;
  if (flavour === "v3") return { ...base, schema: { type: p.type, uniqueItems: true } };
  return { ...base, type: p.type, uniqueItems: true };
}

function pathParams(names: string[], flavour: Flavour): Json[] {
  const params = names.map((name) => paramSchema({ name, in: "path", type: "string", description: `The ${name} of the object.` }, flavour));
  return [...params, paramSchema(pretty, flavour)];
}

function tagOf(t: ResourceType): string {
  return `${t.group ? t.group.split(".")[0] : "core"}_${t.version}`;
}

function operationId(action: string, t: ResourceType, sub?: string): string {
  const verb = { list: "list", post: "create", get: "read", put: "replace", patch: "patch", delete: "delete", deletecollection: "deleteCollection" }[action] ?? action;
  const group = (t.group ? t.group.split(".")[0] : "core").replace(/^./, (c) => c.toUpperCase());
  const version = t.version.replace(/^./, (c) => c.toUpperCase());
  const scope = t.namespaced ? "Namespaced" : "";
  const subName = sub ? sub.replace(/^./, (c) => c.toUpperCase()) : "";
  return `${verb}${group}${version}${scope}${t.kind}${subName}`;
}
