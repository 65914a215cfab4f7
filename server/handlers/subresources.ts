// Subresources: status, scale (autoscaling/v1 Scale), pods/binding and namespaces/finalize.
import { conflict, invalid, methodNotAllowed, pathNotFound } from "../../api/status.ts";
import { formatLabelSelector, labelSelectorFromObject } from "../../api/label-selector.ts";
import type { RequestInfo } from "../request-info.ts";
import type { UserInfo } from "../auth/user.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import { negotiateOutput } from "../http/negotiation.ts";
import { objectResponse } from "../http/respond.ts";
import { nowTimestamp } from "../registry/object-meta.ts";
import { applyPatch, patchResource, readPatch } from "./patch.ts";
import { dryRunParam, managerFor, writeParams } from "./params.ts";
import { decodeTyped, render, renderWritten, type HandlerContext } from "./resource.ts";
import { addWarnings } from "../validation/index.ts";

/** Dispatches a request on {resource}/{name}/{subresource}. */
export async function handleSubresource(ctx: HandlerContext, t: ResourceType, namespace: string, info: RequestInfo, request: Request, query: URLSearchParams, user: UserInfo): Promise<Response> {
  const sub = t.subresources.find((s) => s.name === info.subresource);
  if (!sub) throw pathNotFound();
  // A GET on a subresource is never a list or watch: the name is in the path.
  if (!sub.verbs.includes(info.verb)) throw methodNotAllowed(info.verb, { group: t.group, resource: `${t.resource}/${sub.name}` });
  if (sub.custom) return sub.custom({ ctx, t, namespace, name: info.name, verb: info.verb, request, query, user });
  const output = negotiateOutput(request.headers.get("accept"), { allowTable: info.verb === "get" });
  const name = info.name;
  switch (sub.name) {
    case "status":
    case "finalize":
      if (info.verb === "get") return render(t, 200, await ctx.reader.get(t, namespace, name), output, query);
      if (info.verb === "patch") {
        const patched = await patchResource(ctx, t, namespace, name, request, query, sub.name);
        return addWarnings(await renderWritten(t, 200, patched.written, output, query), patched.warnings);
      }
      {
        const params = writeParams(query, "UpdateOptions");
        const warnings: string[] = [];
        const body = await decodeTyped(t, request, undefined, { directive: params.fieldValidation, warnings });
        const updated = await ctx.writer.updateStored(t, namespace, name, body, { dryRun: params.dryRun, subresource: sub.name, fieldManager: managerFor(params, request) });
        return addWarnings(await renderWritten(t, 200, updated, output, query), warnings);
      }
    case "scale":
      return objectResponse(200, await scale(ctx, t, namespace, name, info.verb, request, query), output);
    case "binding":
      return objectResponse(201, await bind(ctx, t, namespace, name, request, query), output);
    default:
      throw pathNotFound();
  }
}

/** The autoscaling/v1 Scale view of a workload. */
export function scaleOf(obj: KubeObject): KubeObject {
  const meta = obj.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: formatLabelSelector(labelSelectorFromObject(obj.spec?.selector)) },
  };
}

async function scale(ctx: HandlerContext, t: ResourceType, namespace: string, name: string, verb: string, request: Request, query: URLSearchParams): Promise<KubeObject> {
  if (verb === "get") return scaleOf(await ctx.reader.get(t, namespace, name));
  const dryRun = dryRunParam(query, verb === "patch" ? "PatchOptions" : "UpdateOptions");
  // The body can be read only once; every retry reuses it.
  const patch = verb === "patch" ? await readPatch(request) : undefined;
  const body = verb === "update" ? await decodeTyped(t, request, { kind: "Scale", apiVersion: "autoscaling/v1" }) : undefined;
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.reader.get(t, namespace, name);
    const wanted = patch ? applyPatch(scaleOf(current), patch.format, patch.patch, { apiVersion: "autoscaling/v1", kind: "Scale" }, name) : body!;
    const rv = wanted.metadata?.resourceVersion;
    const pinned = body ? Boolean(rv) : rv !== current.metadata.resourceVersion;
    if (pinned && rv !== current.metadata.resourceVersion) throw conflict({ group: t.group, resource: t.resource }, name);
    const replicas = wanted.spec?.replicas ?? 0;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid("autoscaling", "Scale", name, [{ type: "FieldValueInvalid", field: "spec.replicas", value: replicas, detail: "must be greater than or equal to 0" }]);
    }
    const updated = { ...current, spec: { ...current.spec, replicas } };
    try {
      return scaleOf(await ctx.writer.update(t, namespace, name, updated, { dryRun }));
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || pinned || attempt > 8) throw err;
    }
  }
}

async function bind(ctx: HandlerContext, t: ResourceType, namespace: string, name: string, request: Request, query: URLSearchParams): Promise<KubeObject> {
  const binding = await decodeTyped(t, request, { kind: "Binding", apiVersion: "v1" });
  const target = binding.target ?? {};
  const dryRun = dryRunParam(query);
  for (let attempt = 0; ; attempt++) {
    const pod = await ctx.reader.get(t, namespace, name);
    if (pod.metadata.deletionTimestamp) {
      throw conflict({ group: "", resource: "pods/binding" }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (pod.spec?.nodeName) {
      throw conflict({ group: "", resource: "pods/binding" }, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    }
    pod.spec.nodeName = target.name;
    const conditions = ((pod.status ??= {}).conditions ??= []) as Record<string, unknown>[];
    const scheduled = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: nowTimestamp() };
    const index = conditions.findIndex((c) => c.type === "PodScheduled");
    if (index >= 0) conditions[index] = scheduled;
    else conditions.push(scheduled);
    try {
      // Binding writes spec.nodeName and the condition at once, bypassing update rules.
      await ctx.writer.bindPod(t, namespace, name, pod, { dryRun });
      return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt > 8) throw err;
    }
  }
}
