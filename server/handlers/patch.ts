// PATCH with JSON patch and JSON merge patch, retried on write conflicts like GuaranteedUpdate.
import { badRequest, invalid, StatusError } from "../../api/status.ts";
import { applyJsonPatch, JsonPatchError } from "../../api/patch/json-patch.ts";
import { applyMergePatch } from "../../api/patch/merge-patch.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import { patchFormat } from "../http/negotiation.ts";
import { readBody } from "../http/body.ts";
import { dryRunParam, fieldValidationParam } from "./params.ts";
import type { HandlerContext } from "./resource.ts";

/** Applies a patch document to the current object. */
export function applyPatch(current: KubeObject, format: string, patch: unknown, kind: string, name: string): KubeObject {
  let result: unknown;
  if (format === "json-patch" && !Array.isArray(patch)) {
    throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  }
  try {
    result = format === "json-patch" ? applyJsonPatch(current, patch) : applyMergePatch(current, patch);
  } catch (err) {
    // Upstream answers patch application failures with a generic 422 whose cause holds the detail.
    if (err instanceof JsonPatchError) {
      throw new StatusError(422, "Invalid", "the server rejected our request due to an error in our request", {
        causes: [{ reason: "UnexpectedServerResponse", message: err.message }],
      });
    }
    throw err;
  }
  if (!result || typeof result !== "object" || Array.isArray(result)) {
    throw invalid("", kind, name, [{ type: "FieldValueInvalid", field: "", value: result, detail: "patched object must be an object" }]);
  }
  return result as KubeObject;
}

/** Parses the raw patch body. */
export async function readPatch(request: Request): Promise<{ format: string; patch: unknown }> {
  const format = patchFormat(request.headers.get("content-type"));
  const text = await readBody(request);
  try {
    return { format, patch: JSON.parse(text) };
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** PATCH of a main resource or the status subresource. */
export async function patchResource(ctx: HandlerContext, t: ResourceType, namespace: string, name: string, request: Request, query: URLSearchParams, subresource?: string): Promise<KubeObject> {
  const { format, patch } = await readPatch(request);
  const dryRun = dryRunParam(query, "PatchOptions");
  fieldValidationParam(query);
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.reader.get(t, namespace, name);
    const patched = applyPatch(current, format, patch, t.kind, name);
    patched.kind = current.kind;
    patched.apiVersion = current.apiVersion;
    patched.metadata ??= {};
    // A patch that names a resourceVersion asks for optimistic concurrency; otherwise the
    // patch applies to whatever is current and a racing write simply means another round.
    const pinned = patched.metadata.resourceVersion !== current.metadata.resourceVersion;
    if (!pinned) patched.metadata.resourceVersion = current.metadata.resourceVersion;
    try {
      return await ctx.writer.update(t, namespace, name, patched, { dryRun, subresource });
    } catch (err) {
      const isConflict = err instanceof StatusError && err.code === 409 && err.reason === "Conflict";
      if (!isConflict || pinned || attempt >= 8) throw err;
    }
  }
}

