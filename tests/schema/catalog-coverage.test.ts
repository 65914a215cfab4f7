// Every type the server serves has a schema: kinds, list kinds and subresource kinds.
import { expect, test } from "bun:test";
import { kindType } from "../../api/schema/index.ts";
import { defaultCatalog } from "../../server/registry/catalog.ts";
import { apiVersionOf, verbsOf } from "../../server/registry/resource-type.ts";

const streaming = new Set(["log", "exec", "attach", "portforward", "proxy"]);

test("every served kind, list kind and subresource kind has a schema with a protobuf form", () => {
  const missing: string[] = [];
  for (const t of defaultCatalog().types) {
    const apiVersion = apiVersionOf(t);
    const kinds = verbsOf(t).includes("list") ? [t.kind, t.listKind] : [t.kind];
    for (const kind of kinds) if (!kindType(apiVersion, kind)?.protobuf) missing.push(`${apiVersion} ${kind}`);
    for (const sub of t.subresources) {
      if (streaming.has(sub.name)) continue;
      const subVersion = sub.group ? `${sub.group}/${sub.version}` : apiVersion;
      if (!kindType(subVersion, sub.kind)?.protobuf) missing.push(`${subVersion} ${sub.kind} (${t.resource}/${sub.name})`);
    }
  }
  expect(missing).toEqual([]);
});

test("kinds other engineers are adding are registered already", () => {
  const pending = [
    ["batch/v1", "Job"],
    ["batch/v1", "CronJobList"],
    ["authentication.k8s.io/v1", "TokenRequest"],
    ["authorization.k8s.io/v1", "SubjectAccessReview"],
    ["authorization.k8s.io/v1", "SelfSubjectAccessReview"],
    ["authorization.k8s.io/v1", "LocalSubjectAccessReview"],
    ["authorization.k8s.io/v1", "SelfSubjectRulesReview"],
  ];
  for (const [apiVersion, kind] of pending) expect(kindType(apiVersion, kind)?.gvks.length).toBeGreaterThan(0);
});
