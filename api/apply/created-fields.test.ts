import { describe, expect, test } from "bun:test";
import { kindType } from "../schema/index.ts";
import { createdManagedFieldsJson, startsManagedFieldsAfresh, updateManagedFields, type ManagedContext } from "./apply.ts";
import { emptySet, insertPath } from "./field-set.ts";

const now = "2025-01-01T00:00:00Z";
const statusIgnored = emptySet();
insertPath(statusIgnored, ["f:status"]);
const podCtx: ManagedContext = { type: kindType("v1", "Pod")!, apiVersion: "v1", now, ignored: statusIgnored };
const deployCtx: ManagedContext = { type: kindType("apps/v1", "Deployment")!, apiVersion: "apps/v1", now, ignored: statusIgnored };
const cmCtx: ManagedContext = { type: kindType("v1", "ConfigMap")!, apiVersion: "v1", now };

/** The entries the general update path gives when the object replaces an empty live one. */
function viaComparison(ctx: ManagedContext, obj: Record<string, unknown>, manager: string): string {
  return JSON.stringify(updateManagedFields(ctx, {}, structuredClone(obj), manager));
}

const pods: Record<string, unknown>[] = [
  {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "u", creationTimestamp: "t", labels: { app: "x", 'we"ird\\key': "v", "ctl\u0001": "c", "sur\ud800": "s" }, annotations: {}, finalizers: ["z/b", "a/c", 'q"uote'] },
    spec: {
      containers: [
        { name: "web", image: "w", env: [{ name: "B", value: "1" }, { name: "A", valueFrom: null }], ports: [{ containerPort: 443, protocol: "UDP" }, { containerPort: 443 }, { containerPort: 80, name: "h" }], resources: {} },
        { image: "unnamed" },
        { name: 'a"pp', image: "a", command: ["x", "y"] },
      ],
      volumes: [{ name: "v", emptyDir: {} }],
      nodeSelector: { "kubernetes.io/os": "linux" },
      tolerations: [{ key: "k", operator: "Exists" }],
      undeclared: { nested: [1, 2] },
      restartPolicy: "Always",
    },
    status: { phase: "Pending" },
  },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "only-server-fields", namespace: "default", uid: "u" }, spec: { containers: [{ name: "c", image: "i" }] } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "own-entries-malformed", labels: { a: "b" }, managedFields: [{ manager: "x", operation: "Bogus" }] }, spec: {} },
  { apiVersion: "v1", kind: "Pod", metadata: null, spec: {} },
  { apiVersion: "v1", kind: "Pod" },
];

describe("managedFields of a create, written as JSON text", () => {
  test("the same entries, in the same order, as comparing the object with an empty one", () => {
    for (const pod of pods) {
      const json = createdManagedFieldsJson(podCtx, structuredClone(pod), "m");
      expect(json ?? "[]").toBe(viaComparison(podCtx, pod, "m"));
    }
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", labels: { a: "b" } }, spec: { replicas: 2, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } } }, status: { replicas: 2 } };
    expect(createdManagedFieldsJson(deployCtx, deployment, "kubectl-create")).toBe(viaComparison(deployCtx, deployment, "kubectl-create"));
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "x.json": "{}", 'q"': "1" }, binaryData: {} };
    expect(createdManagedFieldsJson(cmCtx, configMap, "m")).toBe(viaComparison(cmCtx, configMap, "m"));
  });

  test("is valid JSON whatever the keys hold, and names the manager, time and subresource", () => {
    const pod = pods[0]!;
    const entries = JSON.parse(createdManagedFieldsJson({ ...podCtx, subresource: "status" }, structuredClone(pod), 'ku"be\u0002')!);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ manager: 'ku"be\u0002', operation: "Update", apiVersion: "v1", time: now, fieldsType: "FieldsV1", subresource: "status" });
    expect(Object.keys(entries[0].fieldsV1["f:metadata"]["f:labels"])).toEqual([".", "f:app", "f:ctl\u0001", "f:sur\ud800", 'f:we"ird\\key']);
    expect(entries[0].fieldsV1["f:status"]).toBeUndefined();
  });

  test("nothing owned: no entry; managedFields of its own: the general path", () => {
    expect(createdManagedFieldsJson(podCtx, { apiVersion: "v1", kind: "Pod", metadata: { name: "p", uid: "u" } }, "m")).toBeUndefined();
    expect(updateManagedFields(podCtx, undefined, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, "m")).toEqual([]);
    expect(startsManagedFieldsAfresh({ metadata: { name: "p" } })).toBe(true);
    expect(startsManagedFieldsAfresh({ metadata: { managedFields: [] } })).toBe(true);
    expect(startsManagedFieldsAfresh({ metadata: { managedFields: [{ manager: "x", operation: "Bogus" }] } })).toBe(true);
    expect(startsManagedFieldsAfresh({ metadata: { managedFields: [{ manager: "x", operation: "Update", fieldsType: "FieldsV1", fieldsV1: {} }] } })).toBe(false);
  });
});
