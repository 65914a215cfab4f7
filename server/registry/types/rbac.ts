// rbac.authorization.k8s.io/v1 kinds: stored objects with upstream's defaulting and
// validation, and escalation prevention on writes through the API (the authorizer itself
// lives in server/auth/rbac).
import type { FieldError } from "../../../api/status.ts";
import { validateDnsSubdomain, validateLabelSelector, validatePathSegmentName } from "../../../api/validation.ts";
import { bindingEscalationCheck, roleEscalationCheck } from "../../auth/rbac/escalation.ts";
import type { KubeObject, ResourceType } from "../resource-type.ts";
import { immutable, notSupported, required } from "../strategies/common.ts";

const group = "rbac.authorization.k8s.io";
const rbac = { group, version: "v1", subresources: [] };
const roleRefImmutable = (obj: any, old: any) =>
  immutable("roleRef", obj.roleRef, old.roleRef).map((e) => ({ ...e, detail: "cannot change roleRef" }));

/** SetDefaults for bindings: roleRef and User/Group subjects default to the RBAC group. */
function defaultBinding(obj: KubeObject): void {
  if (obj.roleRef && typeof obj.roleRef === "object" && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = group;
  for (const s of Array.isArray(obj.subjects) ? obj.subjects : []) {
    if (s && typeof s === "object" && !s.apiGroup && (s.kind === "User" || s.kind === "Group")) s.apiGroup = group;
  }
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const rules = Array.isArray(obj.rules) ? obj.rules : [];
  return rules.flatMap((rule: Record<string, any>, i: number) => validateRule(rule ?? {}, namespaced, `rules[${i}]`));
}

function validateRule(rule: Record<string, any>, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const len = (key: string) => (Array.isArray(rule[key]) ? rule[key].length : 0);
  if (!len("verbs")) errors.push(required(`${path}.verbs`, "verbs must contain at least one value"));
  if (len("nonResourceURLs")) {
    const invalid = (detail: string): FieldError => ({ type: "FieldValueInvalid", field: `${path}.nonResourceURLs`, valueText: goStringSlice(rule.nonResourceURLs), detail });
    if (namespaced) errors.push(invalid("namespaced rules cannot apply to non-resource URLs"));
    if (len("apiGroups") || len("resources") || len("resourceNames")) errors.push(invalid("rules cannot apply to both regular resources and non-resource URLs"));
    return errors;
  }
  if (!len("apiGroups")) errors.push(required(`${path}.apiGroups`, "resource rules must supply at least one api group"));
  if (!len("resources")) errors.push(required(`${path}.resources`, "resource rules must supply at least one resource"));
  return errors;
}

/** Go's `%#v` of a []string, as field errors print such values. */
function goStringSlice(values: unknown[]): string {
  return `[]string{${values.map((v) => JSON.stringify(String(v))).join(", ")}}`;
}

function validateAggregation(obj: KubeObject): FieldError[] {
  if (!obj.aggregationRule) return [];
  const selectors = obj.aggregationRule.clusterRoleSelectors;
  if (!Array.isArray(selectors) || !selectors.length) {
    return [required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil")];
  }
  return selectors.flatMap((s: any, i: number) => validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`));
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const ref = obj.roleRef && typeof obj.roleRef === "object" ? obj.roleRef : {};
  if (ref.apiGroup !== group) errors.push(notSupported("roleRef.apiGroup", ref.apiGroup ?? "", [group]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(ref.kind)) errors.push(notSupported("roleRef.kind", ref.kind ?? "", kinds));
  if (!ref.name) errors.push(required("roleRef.name", ""));
  else errors.push(...validatePathSegmentName(ref.name, "roleRef.name"));
  const subjects = Array.isArray(obj.subjects) ? obj.subjects : [];
  subjects.forEach((s: Record<string, any>, i: number) => errors.push(...validateSubject(s ?? {}, namespaced, `subjects[${i}]`)));
  return errors;
}

function validateSubject(s: Record<string, any>, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!s.name) errors.push(required(`${path}.name`, ""));
  switch (s.kind) {
    case "ServiceAccount":
      if (s.name) errors.push(...validateDnsSubdomain(s.name, `${path}.name`));
      if (s.apiGroup) errors.push(notSupported(`${path}.apiGroup`, s.apiGroup, [""]));
      if (!namespaced && !s.namespace) errors.push(required(`${path}.namespace`, ""));
      break;
    case "User":
    case "Group":
      if (s.apiGroup !== group) errors.push(notSupported(`${path}.apiGroup`, s.apiGroup ?? "", [group]));
      break;
    default:
      errors.push(notSupported(`${path}.kind`, s.kind ?? "", ["ServiceAccount", "User", "Group"]));
  }
  return errors;
}

/** The four RBAC types. */
export const rbacTypes: ResourceType[] = [
  {
    ...rbac,
    kind: "ClusterRoleBinding",
    listKind: "ClusterRoleBindingList",
    resource: "clusterrolebindings",
    singular: "clusterrolebinding",
    namespaced: false,
    defaults: defaultBinding,
    admit: bindingEscalationCheck("clusterrolebindings"),
    validateCreate: (obj) => validateBinding(obj, false),
    validateUpdate: (obj, old) => [...validateBinding(obj, false), ...roleRefImmutable(obj, old)],
  },
  {
    ...rbac,
    kind: "ClusterRole",
    listKind: "ClusterRoleList",
    resource: "clusterroles",
    singular: "clusterrole",
    namespaced: false,
    admit: roleEscalationCheck("clusterroles"),
    validateCreate: (obj) => [...validateRules(obj, false), ...validateAggregation(obj)],
    validateUpdate: (obj) => [...validateRules(obj, false), ...validateAggregation(obj)],
  },
  {
    ...rbac,
    kind: "RoleBinding",
    listKind: "RoleBindingList",
    resource: "rolebindings",
    singular: "rolebinding",
    namespaced: true,
    defaults: defaultBinding,
    admit: bindingEscalationCheck("rolebindings"),
    validateCreate: (obj) => validateBinding(obj, true),
    validateUpdate: (obj, old) => [...validateBinding(obj, true), ...roleRefImmutable(obj, old)],
  },
  {
    ...rbac,
    kind: "Role",
    listKind: "RoleList",
    resource: "roles",
    singular: "role",
    namespaced: true,
    admit: roleEscalationCheck("roles"),
    validateCreate: (obj) => validateRules(obj, true),
    validateUpdate: (obj) => validateRules(obj, true),
  },
];
