// `POST …/serviceaccounts/NAME/token`: TokenRequest. Issues a bound service-account token for
// the requested audiences and lifetime, optionally bound to a Pod, Secret or Node whose
// deletion (or replacement by an object with another uid) revokes it.
import { badRequest, conflict, invalid, type FieldError } from "../../../api/status.ts";
import { decodeTyped } from "../../handlers/resource.ts";
import { negotiateOutput } from "../../http/negotiation.ts";
import { objectResponse } from "../../http/respond.ts";
import { nowTimestamp } from "../../registry/object-meta.ts";
import type { CustomCall, KubeObject } from "../../registry/resource-type.ts";
import { authenticationOf } from "./context.ts";
import { apiAudiences } from "./service-account-user.ts";

const tokenRequestVersion = "authentication.k8s.io/v1";
const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 600;
const maxExpirationSeconds = 2 ** 32;

interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

/** The custom handler of the `serviceaccounts/token` subresource. */
export async function createServiceAccountToken(call: CustomCall): Promise<Response> {
  const { ctx, namespace, name, request } = call;
  const body = await decodeTyped(call.t, request, { kind: "TokenRequest", apiVersion: tokenRequestVersion });
  const spec = readSpec(body);
  const errors = validateExpiration(spec.expirationSeconds);
  if (errors.length) throw invalid("authentication.k8s.io", "TokenRequest", body.metadata.name ?? "", errors);

  const core = (resource: string) => ctx.catalog.lookup("", "v1", resource)!;
  const serviceAccount = await ctx.reader.get(core("serviceaccounts"), namespace, name);
  const bound: { pod?: KubeObject; secret?: KubeObject; node?: KubeObject } = {};
  const ref = spec.boundObjectRef;
  if (ref) {
    const { group, version } = splitApiVersion(ref.apiVersion ?? "");
    let uid: string;
    if (group === "" && ref.kind === "Pod") {
      const pod = await ctx.reader.get(core("pods"), namespace, ref.name ?? "");
      if ((pod.spec?.serviceAccountName ?? "") !== name) {
        throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      }
      bound.pod = pod;
      uid = pod.metadata.uid;
      // The node is recorded when it can be found; a missing node does not fail the request.
      if (pod.spec?.nodeName) bound.node = await ctx.reader.get(core("nodes"), "", pod.spec.nodeName).catch(() => undefined);
    } else if (group === "" && ref.kind === "Node") {
      bound.node = await ctx.reader.get(core("nodes"), "", ref.name ?? "");
      uid = bound.node.metadata.uid;
    } else if (group === "" && ref.kind === "Secret") {
      bound.secret = await ctx.reader.get(core("secrets"), namespace, ref.name ?? "");
      uid = bound.secret.metadata.uid;
    } else {
      throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ""}`);
    }
    if (ref.uid && ref.uid !== uid) {
      const why = `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`;
      throw conflict({ group, resource: ref.kind ?? "" }, ref.name ?? "", why);
    }
  }

  const audiences = spec.audiences?.length ? spec.audiences : [...apiAudiences];
  const expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
  const { token, expiresAt } = await authenticationOf(ctx.catalog).serviceAccounts.issue({ serviceAccount, audiences, expirationSeconds, ...bound });
  const outSpec: Record<string, unknown> = { audiences, expirationSeconds };
  if (ref) outSpec.boundObjectRef = ref;
  const { creationTimestamp, ...meta } = body.metadata;
  const response = {
    kind: "TokenRequest",
    apiVersion: tokenRequestVersion,
    metadata: { ...meta, namespace, creationTimestamp: creationTimestamp ?? null },
    spec: outSpec,
    status: { token, expirationTimestamp: nowTimestamp(expiresAt) },
  };
  return objectResponse(201, response, negotiateOutput(request.headers.get("accept"), { allowTable: false }));
}

/** The spec with kubectl's explicit nulls read as "unset". */
function readSpec(body: KubeObject): { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: BoundObjectRef } {
  const spec = body.spec ?? {};
  if (typeof spec !== "object" || Array.isArray(spec)) throw decodeError("spec", "object", "TokenRequest.spec");
  const out: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: BoundObjectRef } = {};
  if (spec.audiences != null) {
    if (!Array.isArray(spec.audiences) || spec.audiences.some((a: unknown) => typeof a !== "string")) throw decodeError("array", "[]string", "TokenRequestSpec.spec.audiences");
    out.audiences = spec.audiences;
  }
  if (spec.expirationSeconds != null) {
    if (!Number.isInteger(spec.expirationSeconds)) throw decodeError(typeof spec.expirationSeconds, "int64", "TokenRequestSpec.spec.expirationSeconds");
    out.expirationSeconds = spec.expirationSeconds;
  }
  if (spec.boundObjectRef != null) {
    if (typeof spec.boundObjectRef !== "object" || Array.isArray(spec.boundObjectRef)) throw decodeError("value", "v1.BoundObjectReference", "TokenRequestSpec.spec.boundObjectRef");
    out.boundObjectRef = spec.boundObjectRef;
  }
  return out;
}

function validateExpiration(seconds: number | undefined): FieldError[] {
  const value = seconds ?? defaultExpirationSeconds;
  if (value < minExpirationSeconds) return [{ type: "FieldValueInvalid", field: "spec.expirationSeconds", value, detail: "may not specify a duration less than 10 minutes" }];
  if (value > maxExpirationSeconds) return [{ type: "FieldValueInvalid", field: "spec.expirationSeconds", value, detail: "may not specify a duration larger than 2^32 seconds" }];
  return [];
}

function decodeError(got: string, want: string, field: string) {
  return badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal ${got} into Go struct field ${field} of type ${want}`);
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
