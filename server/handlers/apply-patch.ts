// PATCH with application/apply-patch+yaml: server-side apply. Creates the object when it does
// not exist (201), merges the configuration into it otherwise, with managedFields ownership,
// conflicts (409 unless force=true) and removal of fields the manager stopped applying.
import { applyConfiguration, ApplyConfigError, ApplyConflictError } from "../../api/apply/index.ts";
import { badRequest, StatusError } from "../../api/status.ts";
import { kindType } from "../../api/schema/index.ts";
import { managedContext } from "../registry/managed-fields.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "../registry/resource-type.ts";
import { decodeAgainstSchema, TypedDecodeError } from "../validation/index.ts";
import { duplicateJsonKeys, duplicateYamlKeys, yamlDuplicateError } from "../validation/duplicates.ts";
import type { PatchOutcome } from "./patch.ts";
import type { WriteParams } from "./params.ts";
import type { HandlerContext } from "./resource.ts";
import type { UserInfo } from "../auth/user.ts";

/** The object an apply request addresses. */
export interface ApplyTarget {
  t: ResourceType;
  namespace: string;
  name: string;
  subresource?: string;
  /** The requesting user (runs the type's admission). */
  user?: UserInfo;
}

type JsonMap = Record<string, any>;

function gvkString(apiVersion: string, kind: string): string {
  return `${apiVersion.includes("/") ? apiVersion : `/${apiVersion}`}, Kind=${kind}`;
}

/** Checks the configuration's shape before anything is merged. */
function checkConfig(target: ApplyTarget, config: unknown): JsonMap {
  const { t } = target;
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    throw badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(config) ? "array" : typeof config} into Go value of type map[string]interface {}`);
  }
  const obj = config as JsonMap;
  if (obj.apiVersion !== apiVersionOf(t) || obj.kind !== t.kind) throw badRequest(`invalid object type: ${gvkString(String(obj.apiVersion ?? ""), String(obj.kind ?? ""))}`);
  if (obj.metadata?.managedFields !== undefined) throw badRequest("metadata.managedFields must be nil");
  const urlName = target.name;
  if (obj.metadata?.name !== urlName) throw badRequest(`the name of the object (${obj.metadata?.name ?? ""}) does not match the name on the URL (${urlName})`);
  return obj;
}

/** Fails (Strict) or warns (Warn) about keys the configuration repeats. */
async function checkDuplicates(text: string, params: WriteParams, warnings: string[]): Promise<void> {
  if (params.fieldValidation === "Ignore") return;
  const trimmed = text.trimStart();
  const dups = trimmed.startsWith("{") ? duplicateJsonKeys(text) : await duplicateYamlKeys(text);
  if (!dups.length) return;
  const message = `error converting YAML to JSON: ${yamlDuplicateError(dups)}`;
  if (params.fieldValidation === "Strict") throw badRequest(`error strict decoding YAML: ${message}`);
  warnings.push(message);
}

async function liveObject(ctx: HandlerContext, target: ApplyTarget): Promise<KubeObject | undefined> {
  try {
    return await ctx.reader.get(target.t, target.namespace, target.name);
  } catch (err) {
    if (err instanceof StatusError && err.code === 404 && !target.subresource) return undefined;
    throw err;
  }
}

function conflictStatus(err: ApplyConflictError): StatusError {
  const causes = err.conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${c.manager}`, field: c.path }));
  return new StatusError(409, "Conflict", err.message, { causes });
}

/** Server-side apply of `config` (the parsed body) by `manager`. */
export async function applyResource(ctx: HandlerContext, target: ApplyTarget, config: unknown, text: string, params: WriteParams, manager: string): Promise<PatchOutcome> {
  const { t, namespace, name, subresource } = target;
  const obj = checkConfig(target, config);
  const warnings: string[] = [];
  await checkDuplicates(text, params, warnings);
  const type = kindType(apiVersionOf(t), t.kind);
  const objectRef = `${obj.metadata?.namespace ?? ""}/${name}; ${gvkString(apiVersionOf(t), t.kind)}`;
  if (type) {
    try {
      decodeAgainstSchema(type, structuredClone(obj));
    } catch (err) {
      if (err instanceof TypedDecodeError) throw badRequest(`failed to create typed patch object (${objectRef}): ${err.message}`);
      throw err;
    }
  }
  const pinned = obj.metadata?.resourceVersion as string | undefined;
  // A write another one got in ahead of is applied again on the newer object, for as many rounds
  // as that happens (each round one of the racing writes lands); a conflict with the object
  // unchanged stands.
  let lost: { error: unknown; revision: string } | undefined;
  for (;;) {
    const live = await liveObject(ctx, target);
    const revision = live?.metadata.resourceVersion ?? "";
    if (lost && lost.revision === revision) throw lost.error;
    const mctx = managedContext(t, subresource);
    if (!mctx) throw badRequest(`server-side apply is not supported for ${t.resource}`);
    let merged: KubeObject;
    try {
      merged = applyConfiguration(mctx, live, obj, manager, params.force).object as KubeObject;
    } catch (err) {
      if (err instanceof ApplyConfigError) throw badRequest(`failed to create typed patch object (${objectRef}): ${err.message}`);
      if (err instanceof ApplyConflictError) throw conflictStatus(err);
      throw err;
    }
    merged.apiVersion = apiVersionOf(t);
    merged.kind = t.kind;
    if (type) decodeAgainstSchema(type, merged);
    try {
      if (!live) {
        const written = await ctx.writer.createStored(t, namespace, merged, { dryRun: params.dryRun, user: target.user });
        return { written, created: true, warnings };
      }
      merged.metadata.resourceVersion = pinned ?? live.metadata.resourceVersion;
      const written = await ctx.writer.updateStored(t, namespace, name, merged, { dryRun: params.dryRun, subresource, user: target.user });
      return { written, created: false, warnings };
    } catch (err) {
      const retry = err instanceof StatusError && ((err.code === 409 && err.reason === "Conflict" && !pinned) || err.reason === "AlreadyExists");
      if (!retry) throw err;
      lost = { error: err, revision };
    }
  }
}
