// PATCH with JSON patch, JSON merge patch, strategic merge patch and server-side apply,
// retried on write conflicts like GuaranteedUpdate.
import { badRequest, invalid, StatusError, unsupportedMediaType } from "../../api/status.ts";
import { applyJsonPatch, JsonPatchError } from "../../api/patch/json-patch.ts";
import { applyMergePatch } from "../../api/patch/merge-patch.ts";
import { applyStrategicMergePatch, StrategicMergePatchError } from "../../api/patch/strategic-merge.ts";
import { kindType } from "../../api/schema/index.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "../registry/resource-type.ts";
import type { Written } from "../registry/object-writer.ts";
import { patchFormat } from "../http/negotiation.ts";
import { decodeBody, readBody } from "../http/body.ts";
import { patchDuplicates, validatePatched, type ExpectedKind, type PatchKind } from "../validation/index.ts";
import { managerFor, writeParams } from "./params.ts";
import { applyResource } from "./apply-patch.ts";
import type { HandlerContext } from "./resource.ts";
import type { UserInfo } from "../auth/user.ts";

/** What a PATCH produced: the stored entry or object, whether an apply created it, and warnings for the client. */
export interface PatchOutcome {
  written: Written;
  created: boolean;
  warnings: string[];
}

/** Upstream answers patch application failures with a generic 422 whose cause holds the detail. */
function patchRejected(message: string): StatusError {
  return new StatusError(422, "Invalid", "the server rejected our request due to an error in our request", {
    causes: [{ reason: "UnexpectedServerResponse", message }],
  });
}

/** Applies a JSON, merge or strategic merge patch to the current object of kind `expected`. */
export function applyPatch(current: KubeObject, format: string, patch: unknown, expected: ExpectedKind, name: string): KubeObject {
  let result: unknown;
  if (format === "json-patch" && !Array.isArray(patch)) {
    throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  }
  if (format === "strategic-merge-patch" && (!patch || typeof patch !== "object" || Array.isArray(patch))) {
    throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? "array" : typeof patch} into Go value of type map[string]interface {}`);
  }
  if (format === "apply-patch") throw unsupportedMediaType("application/apply-patch+yaml", ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]);
  try {
    if (format === "json-patch") result = applyJsonPatch(current, patch);
    else if (format === "merge-patch") result = applyMergePatch(current, patch);
    else result = applyStrategicMergePatch(current, patch as Record<string, unknown>, kindType(expected.apiVersion, expected.kind));
  } catch (err) {
    if (err instanceof JsonPatchError) throw patchRejected(err.message);
    if (err instanceof StrategicMergePatchError) throw err.code === 422 ? patchRejected(err.message) : badRequest(err.message);
    throw err;
  }
  if (!result || typeof result !== "object" || Array.isArray(result)) {
    throw invalid("", expected.kind, name, [{ type: "FieldValueInvalid", field: "", value: result, detail: "patched object must be an object" }]);
  }
  return result as KubeObject;
}

/** Parses the raw patch body: JSON, or YAML for apply patches. */
export async function readPatch(request: Request): Promise<{ format: string; patch: unknown; text: string }> {
  const format = patchFormat(request.headers.get("content-type"));
  const text = await readBody(request);
  if (format === "apply-patch") {
    try {
      return { format, patch: await decodeBody(text, "apply-patch"), text };
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  }
  try {
    return { format, patch: JSON.parse(text), text };
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** PATCH of a main resource or the status subresource. */
export async function patchResource(ctx: HandlerContext, t: ResourceType, namespace: string, name: string, request: Request, query: URLSearchParams, subresource?: string, user?: UserInfo): Promise<PatchOutcome> {
  const { format, patch, text } = await readPatch(request);
  const params = writeParams(query, "PatchOptions", { apply: format === "apply-patch" });
  const manager = managerFor(params, request);
  if (format === "apply-patch") return applyResource(ctx, { t, namespace, name, subresource, user }, patch, text, params, manager);
  const expected = { apiVersion: apiVersionOf(t), kind: t.kind };
  const duplicates = patchDuplicates(text, format as PatchKind, params.fieldValidation);
  let entry = await ctx.reader.getEntry(t, namespace, name);
  for (;;) {
    const warnings: string[] = [];
    const { kv, object: current } = entry;
    const patchCurrent = () => {
      const result = applyPatch(current, format, patch, expected, name);
      result.kind = current.kind;
      result.apiVersion = current.apiVersion;
      return result;
    };
    const patched = patchCurrent();
    validatePatched(patched, expected, format as PatchKind, patch, params.fieldValidation, duplicates, warnings, patchCurrent);
    patched.metadata ??= {};
    // A patch that names a resourceVersion asks for optimistic concurrency; otherwise the
    // patch applies to whatever is current and a racing write simply means another round.
    const pinned = patched.metadata.resourceVersion !== current.metadata.resourceVersion;
    if (!pinned) patched.metadata.resourceVersion = current.metadata.resourceVersion;
    try {
      // The write starts from the entry just read: the patch was made against it.
      const written = await ctx.writer.updateStored(t, namespace, name, patched, { dryRun: params.dryRun, subresource, fieldManager: manager, user, current: { kv, object: current } });
      return { written, created: false, warnings };
    } catch (err) {
      const isConflict = err instanceof StatusError && err.code === 409 && err.reason === "Conflict";
      if (!isConflict || pinned) throw err;
      // As GuaranteedUpdate, as many rounds as other writes get in first (each round one of the
      // racing writes lands); a conflict with the object unchanged (a failed precondition) stands.
      entry = await ctx.reader.getEntry(t, namespace, name);
      if (entry.kv.modRevision === kv.modRevision) throw err;
    }
  }
}
