import { describe, expect, test } from "bun:test";
import { normalizeRule, ruleAllows, type Attributes } from "./rules.ts";

const user = { name: "u", groups: [] };

function resource(verb: string, apiGroup: string, resource: string, extra: Partial<Attributes> = {}): Attributes {
  return { user, verb, isResourceRequest: true, path: "", apiGroup, resource, subresource: "", name: "", namespace: "ns", ...extra };
}

function path(verb: string, p: string): Attributes {
  return { user, verb, isResourceRequest: false, path: p, apiGroup: "", resource: "", subresource: "", name: "", namespace: "" };
}

const cases: { name: string; rule: object; attrs: Attributes; allowed: boolean }[] = [
  { name: "exact verb, group and resource", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, attrs: resource("get", "", "pods"), allowed: true },
  { name: "another verb", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, attrs: resource("list", "", "pods"), allowed: false },
  { name: "another group", rule: { verbs: ["get"], apiGroups: [""], resources: ["deployments"] }, attrs: resource("get", "apps", "deployments"), allowed: false },
  { name: "verb wildcard", rule: { verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"] }, attrs: resource("deletecollection", "apps", "deployments"), allowed: true },
  { name: "group wildcard", rule: { verbs: ["get"], apiGroups: ["*"], resources: ["deployments"] }, attrs: resource("get", "apps", "deployments"), allowed: true },
  { name: "resource wildcard covers subresources", rule: { verbs: ["get"], apiGroups: [""], resources: ["*"] }, attrs: resource("get", "", "pods", { subresource: "log" }), allowed: true },
  { name: "a resource does not cover its subresources", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, attrs: resource("get", "", "pods", { subresource: "log" }), allowed: false },
  { name: "resource/subresource", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, attrs: resource("get", "", "pods", { subresource: "log" }), allowed: true },
  { name: "a subresource rule does not cover the resource", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, attrs: resource("get", "", "pods"), allowed: false },
  { name: "*/scale covers every scale", rule: { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] }, attrs: resource("update", "apps", "deployments", { subresource: "scale" }), allowed: true },
  { name: "*/scale is not */status", rule: { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] }, attrs: resource("update", "apps", "deployments", { subresource: "status" }), allowed: false },
  { name: "*/scale does not cover the main resource", rule: { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] }, attrs: resource("update", "apps", "deployments"), allowed: false },
  { name: "resourceNames: the named object", rule: { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, attrs: resource("get", "", "configmaps", { name: "a" }), allowed: true },
  { name: "resourceNames: another object", rule: { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, attrs: resource("get", "", "configmaps", { name: "b" }), allowed: false },
  { name: "resourceNames: a list has no name", rule: { verbs: ["list"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, attrs: resource("list", "", "configmaps"), allowed: false },
  { name: "nonResourceURLs: exact", rule: { verbs: ["get"], nonResourceURLs: ["/healthz"] }, attrs: path("get", "/healthz"), allowed: true },
  { name: "nonResourceURLs: exact is not a prefix", rule: { verbs: ["get"], nonResourceURLs: ["/healthz"] }, attrs: path("get", "/healthz/ping"), allowed: false },
  { name: "nonResourceURLs: trailing *", rule: { verbs: ["get"], nonResourceURLs: ["/apis/*"] }, attrs: path("get", "/apis/apps/v1"), allowed: true },
  { name: "nonResourceURLs: trailing * needs the prefix", rule: { verbs: ["get"], nonResourceURLs: ["/apis/*"] }, attrs: path("get", "/apis"), allowed: false },
  { name: "nonResourceURLs: *", rule: { verbs: ["get"], nonResourceURLs: ["*"] }, attrs: path("get", "/anything"), allowed: true },
  { name: "nonResourceURLs: verb matters", rule: { verbs: ["get"], nonResourceURLs: ["*"] }, attrs: path("post", "/anything"), allowed: false },
  { name: "a resource rule never allows a path", rule: { verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, attrs: path("get", "/healthz"), allowed: false },
  { name: "a path rule never allows a resource", rule: { verbs: ["*"], nonResourceURLs: ["*"] }, attrs: resource("get", "", "pods"), allowed: false },
  { name: "empty rule allows nothing", rule: {}, attrs: resource("get", "", "pods"), allowed: false },
];

describe("ruleAllows", () => {
  for (const c of cases) {
    test(c.name, () => {
      expect(ruleAllows(c.attrs, normalizeRule(c.rule))).toBe(c.allowed);
    });
  }
});
