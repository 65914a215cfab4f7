// DELETE of one object and of a collection, with DeleteOptions from the body or the query.
import { badRequest, forbidden } from "../../api/status.ts";

// NamespaceLifecycle admission refuses to delete these.
const immortalNamespaces = ["default", "kube-system", "kube-public"];
import type { ResourceType } from "../registry/resource-type.ts";
import type { DeleteParams } from "../registry/object-writer.ts";
import { negotiateOutput } from "../http/negotiation.ts";
import { decodeBody, readBody, requireObject } from "../http/body.ts";
import { objectResponse } from "../http/respond.ts";
import { apiVersionOf } from "../registry/resource-type.ts";
import { dryRunParam, intParam, listParams } from "./params.ts";
import { queryBool } from "../request-info.ts";
import type { HandlerContext } from "./resource.ts";

/** DeleteOptions merged from the JSON body (if any) and query parameters. */
async function deleteParams(request: Request, query: URLSearchParams): Promise<DeleteParams> {
  const params: DeleteParams = { dryRun: dryRunParam(query, "DeleteOptions") };
  const text = await readBody(request);
  if (text.trim()) {
    const body = requireObject(await decodeBody(text, "json"), "DeleteOptions");
    if (body.kind && body.kind !== "DeleteOptions") throw badRequest(`expected DeleteOptions, got ${body.kind}`);
    if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) params.gracePeriodSeconds = Number(body.gracePeriodSeconds);
    if (body.propagationPolicy) params.propagationPolicy = body.propagationPolicy;
    else if (body.orphanDependents === true) params.propagationPolicy = "Orphan";
    if (body.preconditions) params.preconditions = body.preconditions;
    if (Array.isArray(body.dryRun) && body.dryRun.length) {
      if (body.dryRun.some((v: unknown) => v !== "All")) throw badRequest(`dryRun: Unsupported value: "${body.dryRun[0]}": supported values: "All"`);
      params.dryRun = true;
    }
  }
  const grace = intParam(query, "gracePeriodSeconds");
  if (grace !== undefined) params.gracePeriodSeconds = grace;
  const policy = query.get("propagationPolicy");
  if (policy) params.propagationPolicy = policy;
  if (queryBool(query, "orphanDependents") && !params.propagationPolicy) params.propagationPolicy = "Orphan";
  return params;
}

/** DELETE .../name: the object while finalizers or grace keep it, else the deleted object or a Status. */
export async function deleteOne(ctx: HandlerContext, t: ResourceType, namespace: string, name: string, request: Request, query: URLSearchParams): Promise<Response> {
  const output = negotiateOutput(request.headers.get("accept"), { allowTable: false });
  const params = await deleteParams(request, query);
  if (t.group === "" && t.resource === "namespaces" && immortalNamespaces.includes(name)) {
    throw forbidden({ group: "", resource: "namespaces" }, name, "this namespace may not be deleted");
  }
  const outcome = await ctx.writer.delete(t, namespace, name, params);
  if (!outcome.deleted || t.returnDeletedObject) return objectResponse(200, outcome.object, output);
  const details: Record<string, string> = { name, kind: t.resource, uid: outcome.object.metadata.uid };
  if (t.group) details.group = t.group;
  return objectResponse(200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details }, output);
}

/** DELETE on a collection: deletes every selected object and returns them as a list. */
export async function deleteCollection(ctx: HandlerContext, t: ResourceType, namespace: string, request: Request, query: URLSearchParams): Promise<Response> {
  const output = negotiateOutput(request.headers.get("accept"), { allowTable: false });
  const params = await deleteParams(request, query);
  const selection = listParams(t, query);
  const page = await ctx.reader.list(t, namespace, { ...selection, limit: undefined, continue: undefined });
  const items = [];
  for (const obj of page.items) {
    try {
      const outcome = await ctx.writer.delete(t, obj.metadata.namespace ?? "", obj.metadata.name, params);
      const { kind, apiVersion, ...rest } = outcome.object;
      items.push(rest);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  return objectResponse(200, { kind: t.listKind, apiVersion: apiVersionOf(t), metadata: { resourceVersion: page.resourceVersion }, items }, output);
}
