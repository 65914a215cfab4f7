// authorization.k8s.io/v1: SubjectAccessReview, SelfSubjectAccessReview,
// LocalSubjectAccessReview and SelfSubjectRulesReview. Create-only reviews answered in code
// by the server's authorizer; nothing is stored.
import { badRequest, invalid, type FieldError } from "../../../api/status.ts";
import { rbacOf, type Attributes, type Decision } from "../../auth/rbac/index.ts";
import { aggregateMessage } from "../../auth/rbac/authorizer.ts";
import type { PolicyRule } from "../../auth/rbac/rules.ts";
import type { UserInfo } from "../../auth/user.ts";
import { decodeTyped } from "../../handlers/resource.ts";
import { negotiateOutput } from "../../http/negotiation.ts";
import { objectResponse } from "../../http/respond.ts";
import type { CustomCall, KubeObject, ResourceType } from "../resource-type.ts";

const group = "authorization.k8s.io";
type Json = Record<string, any>;

const obj = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

async function subjectAccessReview(call: CustomCall): Promise<Response> {
  const review = await decodeTyped(call.t, call.request);
  const spec = obj(review.spec) ?? {};
  const errors = [...attributeErrors(spec), ...metadataErrors(review.metadata, false)];
  const groups: string[] = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  if (!str(spec.user) && !groups.length) errors.push({ type: "FieldValueInvalid", field: "spec.user", value: str(spec.user), detail: "at least one of user or group must be specified" });
  if (errors.length) throw invalid(group, call.t.kind, "", errors);
  const user: UserInfo = { name: str(spec.user), groups };
  if (str(spec.uid)) user.uid = spec.uid;
  if (obj(spec.extra)) user.extra = spec.extra;
  return answer(call, review, await decide(call, attributesOf(user, spec)));
}

async function selfSubjectAccessReview(call: CustomCall): Promise<Response> {
  const review = await decodeTyped(call.t, call.request);
  const spec = obj(review.spec) ?? {};
  const errors = [...attributeErrors(spec), ...metadataErrors(review.metadata, false)];
  if (errors.length) throw invalid(group, call.t.kind, "", errors);
  return answer(call, review, await decide(call, attributesOf(call.user, spec)));
}

async function localSubjectAccessReview(call: CustomCall): Promise<Response> {
  const review = await decodeTyped(call.t, call.request);
  review.metadata.namespace ??= call.namespace;
  if (review.metadata.namespace !== call.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  const spec = obj(review.spec) ?? {};
  const errors = [...attributeErrors(spec), ...metadataErrors(review.metadata, true)];
  const resource = obj(spec.resourceAttributes);
  if (resource && str(resource.namespace) !== call.namespace) {
    errors.push({ type: "FieldValueInvalid", field: "spec.resourceAttributes.namespace", value: str(resource.namespace), detail: "must match metadata.namespace" });
  }
  if (obj(spec.nonResourceAttributes)) errors.push({ type: "FieldValueInvalid", field: "spec.nonResourceAttributes", valueText: "{...}", detail: "disallowed on this kind of request" });
  const groups: string[] = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  if (!str(spec.user) && !groups.length) errors.push({ type: "FieldValueInvalid", field: "spec.user", value: str(spec.user), detail: "at least one of user or group must be specified" });
  if (errors.length) throw invalid(group, call.t.kind, "", errors);
  const user: UserInfo = { name: str(spec.user), groups };
  if (str(spec.uid)) user.uid = spec.uid;
  if (obj(spec.extra)) user.extra = spec.extra;
  return answer(call, review, await decide(call, attributesOf(user, spec)));
}

async function selfSubjectRulesReview(call: CustomCall): Promise<Response> {
  const review = await decodeTyped(call.t, call.request);
  const spec = obj(review.spec) ?? {};
  const namespace = str(spec.namespace);
  if (!namespace) throw badRequest("no namespace on request");
  const { rules, errors } = await rbacOf(call.ctx.writer.store).rulesFor(call.user, namespace);
  const status: Json = {
    resourceRules: rules.filter((r) => r.resources.length).map(resourceRule),
    nonResourceRules: rules.filter((r) => r.nonResourceURLs.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
    incomplete: false,
  };
  if (errors.length) status.evaluationError = aggregateMessage(errors);
  return respond(call, { ...review, metadata: { ...review.metadata, creationTimestamp: review.metadata.creationTimestamp ?? null }, spec, status });
}

function resourceRule(r: PolicyRule): Json {
  const rule: Json = { verbs: r.verbs };
  if (r.apiGroups.length) rule.apiGroups = r.apiGroups;
  rule.resources = r.resources;
  if (r.resourceNames.length) rule.resourceNames = r.resourceNames;
  return rule;
}

/** Exactly one of resourceAttributes and nonResourceAttributes. */
function attributeErrors(spec: Json): FieldError[] {
  const resource = obj(spec.resourceAttributes);
  const nonResource = obj(spec.nonResourceAttributes);
  if (resource && nonResource) {
    return [{ type: "FieldValueInvalid", field: "spec.nonResourceAttributes", valueText: goStruct("NonResourceAttributes", nonResource), detail: "cannot be specified in combination with resourceAttributes" }];
  }
  if (!resource && !nonResource) {
    return [{ type: "FieldValueInvalid", field: "spec.resourceAttributes", value: "null", detail: "exactly one of nonResourceAttributes or resourceAttributes must be specified" }];
  }
  return [];
}

/** Reviews carry no metadata (LocalSubjectAccessReview: only its namespace). */
function metadataErrors(meta: Json, namespaced: boolean): FieldError[] {
  const rest = Object.entries(meta ?? {}).filter(([key, value]) => value !== null && value !== undefined && key !== "managedFields" && !(namespaced && key === "namespace"));
  if (!rest.length) return [];
  return [{ type: "FieldValueInvalid", field: "metadata", valueText: goStruct("ObjectMeta", Object.fromEntries(rest)), detail: namespaced ? "must be empty except for namespace" : "must be empty" }];
}

/** An approximation of Go's `%#v` of a struct, for field error values. */
function goStruct(type: string, fields: Json): string {
  const parts = Object.entries(fields).map(([k, v]) => `${k[0].toUpperCase()}${k.slice(1)}:${JSON.stringify(v)}`);
  return `v1.${type}{${parts.join(", ")}}`;
}

function attributesOf(user: UserInfo, spec: Json): Attributes {
  const resource = obj(spec.resourceAttributes);
  if (resource) {
    return {
      user,
      verb: str(resource.verb),
      isResourceRequest: true,
      path: "",
      apiGroup: str(resource.group),
      apiVersion: str(resource.version) || "*",
      resource: str(resource.resource),
      subresource: str(resource.subresource),
      name: str(resource.name),
      namespace: str(resource.namespace),
    };
  }
  const nonResource = obj(spec.nonResourceAttributes) ?? {};
  return { user, verb: str(nonResource.verb), isResourceRequest: false, path: str(nonResource.path), apiGroup: "", resource: "", subresource: "", name: "", namespace: "" };
}

function decide(call: CustomCall, attrs: Attributes): Promise<Decision> {
  return rbacOf(call.ctx.writer.store).authorize(attrs);
}

function answer(call: CustomCall, review: KubeObject, decision: Decision): Promise<Response> {
  const status: Json = { allowed: decision.allowed };
  if (decision.denied) status.denied = true;
  if (decision.reason) status.reason = decision.reason;
  if (decision.evaluationError) status.evaluationError = decision.evaluationError;
  return respond(call, { ...review, metadata: { ...review.metadata, creationTimestamp: review.metadata.creationTimestamp ?? null }, status });
}

function respond(call: CustomCall, body: KubeObject): Promise<Response> {
  return objectResponse(201, body, negotiateOutput(call.request.headers.get("accept"), { allowTable: false }));
}

function review(kind: string, resource: string, namespaced: boolean, custom: ResourceType["custom"]): ResourceType {
  return { group, version: "v1", kind, listKind: `${kind}List`, resource, singular: resource.replace(/s$/, ""), namespaced, subresources: [], verbs: ["create"], custom };
}

/** The authorization types this server serves. */
export const authorizationTypes: ResourceType[] = [
  review("LocalSubjectAccessReview", "localsubjectaccessreviews", true, localSubjectAccessReview),
  review("SelfSubjectAccessReview", "selfsubjectaccessreviews", false, selfSubjectAccessReview),
  review("SelfSubjectRulesReview", "selfsubjectrulesreviews", false, selfSubjectRulesReview),
  review("SubjectAccessReview", "subjectaccessreviews", false, subjectAccessReview),
];
