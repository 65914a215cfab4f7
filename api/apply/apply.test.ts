import { describe, expect, test } from "bun:test";
import { kindType } from "../schema/index.ts";
import { applyConfiguration, ApplyConfigError, ApplyConflictError, updateManagedFields, type ManagedContext } from "./apply.ts";
import { fromFieldsV1, insertPath, toFieldsV1, emptySet } from "./field-set.ts";

const podCtx: ManagedContext = { type: kindType("v1", "Pod")!, apiVersion: "v1", now: "2025-01-01T00:00:00Z" };
const statusIgnored = emptySet();
insertPath(statusIgnored, ["f:status"]);
const deployCtx: ManagedContext = { type: kindType("apps/v1", "Deployment")!, apiVersion: "apps/v1", now: "2025-01-01T00:00:00Z", ignored: statusIgnored };

function deployment(spec: Record<string, unknown>, labels?: Record<string, string>): any {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "default", ...(labels ? { labels } : {}) }, spec };
}

function applied(live: any, config: any, manager: string, force = false, ctx = deployCtx): any {
  return applyConfiguration({ ...ctx }, live, config, manager, force).object;
}

function entry(obj: any, manager: string) {
  return obj.metadata.managedFields.find((e: any) => e.manager === manager);
}

function conflictOf(run: () => unknown): ApplyConflictError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApplyConflictError) return err;
    throw err;
  }
  throw new Error("expected a conflict");
}

describe("managedFields on ordinary writes", () => {
  test("a create owns what it set, with upstream's membership markers and no server fields", () => {
    const pod: any = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "nginx", resources: {} }], restartPolicy: "Always" } };
    const fields = updateManagedFields(podCtx, undefined, pod, "kubectl-create");
    expect(fields).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: "2025-01-01T00:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:image": {}, "f:name": {}, "f:resources": {} } },
            "f:restartPolicy": {},
          },
        },
      },
    ]);
  });

  test("a create lists items in structured-merge-diff's element order", () => {
    const pod: any = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "default", finalizers: ["z/b", "a/c"] },
      spec: {
        containers: [
          { name: "web", image: "w", ports: [{ containerPort: 443, protocol: "UDP" }, { containerPort: 443 }, { containerPort: 80 }] },
          { image: "unnamed" },
          { name: "app", image: "a" },
        ],
      },
    };
    const [entry] = updateManagedFields(podCtx, undefined, pod, "m");
    // Keys in order: numbers compare as numbers (80 before 443), the defaulted protocol counts,
    // set items go by value, and items without their key (by index) come after keyed ones.
    expect(JSON.stringify(entry!.fieldsV1)).toBe(
      JSON.stringify({
        "f:metadata": { "f:finalizers": { ".": {}, 'v:"a/c"': {}, 'v:"z/b"': {} } },
        "f:spec": {
          "f:containers": {
            'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {} },
            'k:{"name":"web"}': {
              ".": {},
              "f:image": {},
              "f:name": {},
              "f:ports": {
                ".": {},
                'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
                'k:{"containerPort":443,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
                'k:{"containerPort":443,"protocol":"UDP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
              },
            },
            "i:1": { ".": {}, "f:image": {} },
          },
        },
      }),
    );
  });

  test("an update takes the fields it changed away from their previous manager", () => {
    const created: any = { ...deployment({ replicas: 1, paused: false }) };
    created.metadata.managedFields = updateManagedFields(deployCtx, undefined, created, "creator");
    const next = { ...deployment({ replicas: 3, paused: false }), metadata: { ...created.metadata } };
    const fields = updateManagedFields({ ...deployCtx, now: "2025-01-02T00:00:00Z" }, created, next, "scaler");
    expect(fields.map((e: any) => [e.manager, e.fieldsV1])).toEqual([
      ["creator", { "f:spec": { "f:paused": {} } }],
      ["scaler", { "f:spec": { "f:replicas": {} } }],
    ]);
  });

  test("an update that changes nothing leaves entries and times alone", () => {
    const created: any = deployment({ replicas: 1 });
    created.metadata.managedFields = updateManagedFields(deployCtx, undefined, created, "creator");
    const fields = updateManagedFields({ ...deployCtx, now: "2030-01-01T00:00:00Z" }, created, structuredClone(created), "other");
    expect(fields).toEqual(created.metadata.managedFields);
  });

  test("fields under a reset path (status) are never owned", () => {
    const obj: any = { ...deployment({ replicas: 1 }), status: { replicas: 1 } };
    const fields = updateManagedFields(deployCtx, undefined, obj, "m");
    expect(fields[0].fieldsV1).toEqual({ "f:spec": { "f:replicas": {} } });
  });
});

describe("server-side apply", () => {
  test("an apply owns exactly its configuration (map keys without a parent marker)", () => {
    const config = deployment({ replicas: 2, template: { spec: { containers: [{ name: "web", image: "nginx" }] } } }, { app: "web" });
    const obj = applied(undefined, config, "kubectl");
    expect(obj.spec.replicas).toBe(2);
    expect(entry(obj, "kubectl")).toEqual({
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: "2025-01-01T00:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": { "f:labels": { "f:app": {} } },
        "f:spec": {
          "f:replicas": {},
          "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } } },
        },
      },
    });
  });

  test("two managers applying the same value share the field; a different value conflicts", () => {
    const a = applied(undefined, deployment({ replicas: 1 }), "a");
    const shared = applied(a, deployment({ replicas: 1 }), "b");
    expect(shared.metadata.managedFields.map((e: any) => e.manager)).toEqual(["a", "b"]);
    const err = conflictOf(() => applied(shared, deployment({ replicas: 2 }), "c"));
    expect(err.message).toBe('Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\nconflicts with "b":\n- .spec.replicas');
    expect(err.conflicts).toEqual([
      { manager: '"a"', path: ".spec.replicas" },
      { manager: '"b"', path: ".spec.replicas" },
    ]);
  });

  test("a conflict with an Update manager names its apiVersion", () => {
    const created: any = deployment({ replicas: 1 });
    created.metadata.managedFields = updateManagedFields(deployCtx, undefined, created, "kubectl-client-side-apply");
    const err = conflictOf(() => applied(created, deployment({ replicas: 5 }), "other"));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });

  test("force takes the field over from the other manager", () => {
    const a = applied(undefined, deployment({ replicas: 1, paused: true }), "a");
    const forced = applied(a, deployment({ replicas: 4 }), "b", true);
    expect(forced.spec.replicas).toBe(4);
    expect(entry(forced, "a").fieldsV1).toEqual({ "f:spec": { "f:paused": {} } });
    expect(entry(forced, "b").fieldsV1).toEqual({ "f:spec": { "f:replicas": {} } });
  });

  test("fields the applier no longer applies are removed unless another manager owns them", () => {
    const first = applied(undefined, deployment({ replicas: 1 }, { app: "x", tier: "web", team: "t" }), "a");
    const shared = applied(first, deployment({}, { team: "t" }), "b");
    const second = applied(shared, deployment({ replicas: 1 }, { app: "x" }), "a");
    expect(second.metadata.labels).toEqual({ app: "x", team: "t" });
    const third = applied(second, deployment({}, { app: "x" }), "a");
    expect(third.spec.replicas).toBeUndefined();
  });

  test("list items dropped from the configuration are removed", () => {
    const config = (names: string[]) => deployment({ template: { spec: { containers: names.map((name) => ({ name, image: "i" })) } } });
    const first = applied(undefined, config(["a", "b", "c"]), "m");
    const second = applied(first, config(["a", "c"]), "m");
    expect(second.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["a", "c"]);
  });

  test("kubectl may take over fields its last-applied annotation names", () => {
    const annotation = JSON.stringify(deployment({ replicas: 1 }));
    const created: any = deployment({ replicas: 1, paused: true });
    created.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": annotation };
    created.metadata.managedFields = updateManagedFields(deployCtx, undefined, created, "kubectl-client-side-apply");
    const obj = applied(created, deployment({ replicas: 2 }), "kubectl");
    expect(obj.spec.replicas).toBe(2);
    expect(JSON.parse(obj.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).spec).toEqual({ replicas: 2 });
    expect(() => applied(created, deployment({ paused: false }), "kubectl")).toThrow(ApplyConflictError);
  });

  test("undeclared fields and keyless list items are configuration errors", () => {
    const run = () => applied(undefined, deployment({ replicaz: 1, template: { spec: { containers: [{ image: "x" }] } } }), "m");
    expect(run).toThrow(ApplyConfigError);
    try {
      run();
    } catch (err) {
      expect((err as ApplyConfigError).errors).toEqual([
        ".spec.replicaz: field not declared in schema",
        '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
      ]);
    }
  });

  test("the live order of list items is kept around the ones the config names", () => {
    const live = deployment({ template: { spec: { containers: [{ name: "a" }, { name: "b" }, { name: "c" }] } } });
    const obj = applied(live, deployment({ template: { spec: { containers: [{ name: "c", image: "x" }, { name: "a", image: "y" }] } } }), "m");
    expect(obj.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["b", "c", "a"]);
  });
});

describe("fieldsV1", () => {
  test("round-trips and sorts fields before keys before values", () => {
    const doc = { "f:spec": { "f:ports": { 'k:{"containerPort":443,"protocol":"TCP"}': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:name": {} } }, "f:finalizers": { 'v:"b"': {}, 'v:"a"': {} } } };
    expect(JSON.stringify(toFieldsV1(fromFieldsV1(doc)))).toBe(
      JSON.stringify({ "f:spec": { "f:finalizers": { 'v:"a"': {}, 'v:"b"': {} }, "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:name": {} }, 'k:{"containerPort":443,"protocol":"TCP"}': {} } } }),
    );
  });
});
