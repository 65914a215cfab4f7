// The resource handlers: one entry point that resolves the type and scope, negotiates the
// media type, decodes the body, calls the registry and transforms the response.
import { badRequest, methodNotAllowed, notFound, pathNotFound } from "../../api/status.ts";
import type { RequestInfo } from "../request-info.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { ObjectReader } from "../registry/object-store.ts";
import { decodeWithoutManagedFields, storedObjectJson } from "../registry/stored-form.ts";
import { writtenObject, type ObjectWriter, type Written } from "../registry/object-writer.ts";
import { apiVersionOf, verbsOf, type KubeObject, type ResourceType } from "../registry/resource-type.ts";
import { bodyFormat, negotiateOutput, type Output } from "../http/negotiation.ts";
import { decodeBody, readBody } from "../http/body.ts";
import { contentTypeFor, objectResponse } from "../http/respond.ts";
import { decodeProtobufBody } from "../http/protobuf-body.ts";
import { partialList, partialObject, tableJsonParts, toTable } from "../table.ts";
import { includeObjectParam, listParams, managerFor, writeParams } from "./params.ts";
import { addWarnings, validateBody, type FieldValidation } from "../validation/index.ts";
import { deleteCollection, deleteOne } from "./delete.ts";
import { patchResource } from "./patch.ts";
import { handleSubresource } from "./subresources.ts";
import type { WatchHub } from "./watch.ts";
import type { UserInfo } from "../auth/user.ts";
import { completeResponse } from "../http/direct-body.ts";
import { listJsonHead, unlimitedListResponse } from "./list.ts";

/** What the resource handlers need from the server. */
export interface HandlerContext {
  catalog: Catalog;
  reader: ObjectReader;
  writer: ObjectWriter;
  watches: WatchHub;
}

/** Handles any /api or /apis resource request. */
export async function handleResource(ctx: HandlerContext, info: RequestInfo, request: Request, query: URLSearchParams, user: UserInfo): Promise<Response> {
  const t = ctx.catalog.lookup(info.apiGroup, info.apiVersion, info.resource);
  if (!t || info.parts.length > 3) throw pathNotFound();
  if (t.namespaced === false && info.namespace && info.resource !== "namespaces") throw pathNotFound();
  const namespace = t.namespaced ? info.namespace : "";
  if (info.subresource) return handleSubresource(ctx, t, namespace, info, request, query, user);
  if (!verbsOf(t).includes(info.verb)) throw methodNotAllowed(info.verb, { group: t.group, resource: t.resource });
  if (t.custom) return t.custom({ ctx, t, namespace, name: info.name, verb: info.verb, request, query, user });
  const gr = { group: t.group, resource: t.resource };

  switch (info.verb) {
    case "get": {
      const output = negotiateOutput(request.headers.get("accept"), { allowTable: true, list: false });
      const kv = await ctx.reader.getKv(t, namespace, info.name, query.get("resourceVersion") || undefined);
      if (!kv) throw notFound(gr, info.name);
      return renderWritten(t, 200, { kv }, output, query);
    }
    case "list": {
      const output = negotiateOutput(request.headers.get("accept"), { allowTable: true, list: true });
      const params = listParams(t, query);
      const unlimited = await unlimitedListResponse(ctx.reader, t, namespace, params, output, query);
      if (unlimited) return unlimited;
      if (output.kind === "json") return listJsonResponse(t, await ctx.reader.listJson(t, namespace, params));
      if (output.kind === "table") {
        const opts = { version: output.version, includeObject: includeObjectParam(query) };
        const parts = await tableJsonParts(t, opts, async (row) => listMeta(await ctx.reader.visit(t, namespace, params, row, decodeWithoutManagedFields)));
        return completeResponse(parts, { status: 200, headers: { "content-type": contentTypeFor(output) } });
      }
      const page = await ctx.reader.list(t, namespace, params);
      const meta = listMeta(page);
      if (output.kind === "partial") return objectResponse(200, partialList(page.items, meta, output.version), output);
      const items = page.items.map(({ kind, apiVersion, ...rest }) => rest);
      return objectResponse(200, { kind: t.listKind, apiVersion: apiVersionOf(t), metadata: meta, items }, output);
    }
    case "watch":
      return ctx.watches.serve(t, namespace, request, query);
    case "create": {
      const output = negotiateOutput(request.headers.get("accept"), { allowTable: true });
      if (info.name) throw methodNotAllowed("create", gr);
      const params = writeParams(query, "CreateOptions");
      const warnings: string[] = [];
      const obj = await decodeTyped(t, request, undefined, { directive: params.fieldValidation, warnings });
      const created = await ctx.writer.createStored(t, namespace, obj, { dryRun: params.dryRun, fieldManager: managerFor(params, request), user, handOver: true });
      return addWarnings(await renderWritten(t, 201, created, output, query), warnings);
    }
    case "update": {
      if (!info.name) throw methodNotAllowed("update", gr);
      const output = negotiateOutput(request.headers.get("accept"), { allowTable: true });
      const params = writeParams(query, "UpdateOptions");
      const warnings: string[] = [];
      const obj = await decodeTyped(t, request, undefined, { directive: params.fieldValidation, warnings });
      const existed = t.allowCreateOnUpdate ? await ctx.reader.getKv(t, namespace, info.name) : true;
      const updated = await ctx.writer.updateStored(t, namespace, info.name, obj, { dryRun: params.dryRun, fieldManager: managerFor(params, request), user });
      return addWarnings(await renderWritten(t, existed ? 200 : 201, updated, output, query), warnings);
    }
    case "patch": {
      if (!info.name) throw methodNotAllowed("patch", gr);
      const output = negotiateOutput(request.headers.get("accept"), { allowTable: true });
      const patched = await patchResource(ctx, t, namespace, info.name, request, query, undefined, user);
      return addWarnings(await renderWritten(t, patched.created ? 201 : 200, patched.written, output, query), patched.warnings);
    }
    case "delete":
      return deleteOne(ctx, t, namespace, info.name, request, query);
    case "deletecollection":
      return deleteCollection(ctx, t, namespace, request, query);
    default:
      throw methodNotAllowed(info.verb, gr);
  }
}

/** ListMeta from a page: resourceVersion, and continue / remainingItemCount when set. */
function listMeta(page: { resourceVersion: string; continue?: string; remainingItemCount?: number }): Record<string, unknown> {
  const meta: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continue) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  return meta;
}

/** A JSON list assembled from stored item strings. */
function listJsonResponse(t: ResourceType, page: { itemParts: string[]; resourceVersion: string; continue?: string; remainingItemCount?: number }): Response {
  return completeResponse([listJsonHead(t, listMeta(page)), ...page.itemParts, "]}"], { status: 200, headers: { "content-type": "application/json" } });
}

/** Renders what a read or write produced; JSON is spliced from the stored text without parsing it. */
export function renderWritten(t: ResourceType, status: number, written: Written, output: Output, query: URLSearchParams): Promise<Response> {
  const json = output.kind === "json" && written.kv ? storedObjectJson(t, written.kv) : undefined;
  if (json) return Promise.resolve(completeResponse(json, { status, headers: { "content-type": contentTypeFor(output) } }));
  return render(t, status, writtenObject(t, written), output, query);
}

/** Renders one object as JSON/YAML, a one-row Table, or PartialObjectMetadata. */
export function render(t: ResourceType, status: number, obj: KubeObject, output: Output, query: URLSearchParams): Promise<Response> {
  if (output.kind === "table") {
    const table = toTable(t, [obj], { resourceVersion: obj.metadata.resourceVersion }, { version: output.version, includeObject: includeObjectParam(query) });
    return objectResponse(status, table, output);
  }
  if (output.kind === "partial") return objectResponse(status, partialObject(obj, output.version), output);
  return objectResponse(status, obj, output);
}


/** How a body's unknown and duplicate fields are treated, and where warnings go. */
export interface BodyValidation {
  directive: FieldValidation;
  warnings: string[];
}

/**
 * Reads a create/update body, checks that its kind and apiVersion belong at this URL and
 * decodes it against the kind's schema (unknown fields per `validation`, Ignore by default).
 */
export async function decodeTyped(t: ResourceType, request: Request, expected = { kind: t.kind, apiVersion: apiVersionOf(t) }, validation: BodyValidation = { directive: "Ignore", warnings: [] }): Promise<KubeObject> {
  const format = bodyFormat(request.headers.get("content-type"));
  const unrecognized = `the object provided is unrecognized (must be of type ${expected.kind}): `;
  let decoded: unknown;
  let text: string | undefined;
  if (format === "protobuf") decoded = await decodeProtobufBody(request, expected.kind);
  else {
    text = await readBody(request);
    if (!text.trim()) throw badRequest("the body of the request was empty");
    try {
      decoded = await decodeBody(text, format);
    } catch (err) {
      const detail = format === "yaml" ? (err as Error).message : `couldn't get version/kind; ${(err as Error).message}`;
      throw badRequest(unrecognized + detail);
    }
  }
  if (!decoded || typeof decoded !== "object" || Array.isArray(decoded)) {
    const what = Array.isArray(decoded) ? "array" : decoded === null ? "null" : typeof decoded;
    throw badRequest(`${unrecognized}couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go value of type struct { APIVersion string "json:\"apiVersion,omitempty\""; Kind string "json:\"kind,omitempty\"" }`);
  }
  const obj = decoded as Record<string, any>;
  checkTypeMeta(obj, expected);
  const raw = text === undefined ? undefined : { text, yaml: format === "yaml" };
  await validateBody(obj, expected, validation.directive, validation.warnings, raw);
  obj.metadata ??= {};
  return obj as KubeObject;
}

function checkTypeMeta(obj: Record<string, any>, expected: { kind: string; apiVersion: string }): void {
  const apiVersion = obj.apiVersion ?? expected.apiVersion;
  const kind = obj.kind ?? expected.kind;
  if (typeof apiVersion !== "string" || typeof kind !== "string") throw badRequest("Object 'Kind' is missing or malformed");
  const version = expected.apiVersion.split("/").pop();
  if (apiVersion !== expected.apiVersion) {
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${expected.kind}: no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
  if (kind !== expected.kind) {
    const internalGroup = expected.apiVersion.includes("/") ? expected.apiVersion.split("/")[0] : "core";
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${expected.kind}: converting (${version}.${kind}) to (${internalGroup}.${expected.kind}): unknown conversion`);
  }
  obj.apiVersion = apiVersion;
  obj.kind = kind;
}

