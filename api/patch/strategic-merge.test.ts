import { describe, expect, test } from "bun:test";
import { kindType } from "../schema/index.ts";
import { goFormat } from "./go-format.ts";
import { applyStrategicMergePatch, StrategicMergePatchError } from "./strategic-merge.ts";

const podType = kindType("v1", "Pod")!;
const deploymentType = kindType("apps/v1", "Deployment")!;

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "p" }): any {
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}

function patchPod(original: Record<string, unknown>, patch: Record<string, unknown>) {
  return applyStrategicMergePatch(original, patch, podType) as any;
}

const names = (list: { name: string }[]) => list.map((i) => i.name);

describe("merge keys", () => {
  test("containers merge by name: one image changes, the other container stays", () => {
    const original = pod({ containers: [{ name: "a", image: "nginx:1", ports: [{ containerPort: 80 }] }, { name: "b", image: "busybox" }] });
    const out = patchPod(original, { spec: { containers: [{ name: "a", image: "nginx:2" }] } });
    expect(out.spec.containers).toEqual([{ name: "a", image: "nginx:2", ports: [{ containerPort: 80 }] }, { name: "b", image: "busybox" }]);
    expect(original.spec.containers[0].image).toBe("nginx:1");
  });

  test("a new container goes ahead of the ones only the server has", () => {
    const out = patchPod(pod({ containers: [{ name: "a" }, { name: "b" }] }), { spec: { containers: [{ name: "c", image: "x" }] } });
    expect(names(out.spec.containers)).toEqual(["c", "a", "b"]);
  });

  test("env merges by name inside a container, values replaced and added", () => {
    const original = pod({ containers: [{ name: "a", env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }] }] });
    const out = patchPod(original, { spec: { containers: [{ name: "a", env: [{ name: "Y", value: "20" }, { name: "Z", value: "3" }] }] } });
    expect(out.spec.containers[0].env).toEqual([
      { name: "X", value: "1" },
      { name: "Y", value: "20" },
      { name: "Z", value: "3" },
    ]);
  });

  test("ports merge by containerPort, volumeMounts by mountPath", () => {
    const original = pod({
      containers: [{ name: "a", ports: [{ containerPort: 80, name: "http" }], volumeMounts: [{ name: "v1", mountPath: "/a" }, { name: "v2", mountPath: "/b" }] }],
    });
    const out = patchPod(original, {
      spec: { containers: [{ name: "a", ports: [{ containerPort: 80, name: "web" }, { containerPort: 443 }], volumeMounts: [{ mountPath: "/b", readOnly: true }] }] },
    });
    expect(out.spec.containers[0].ports).toEqual([{ containerPort: 80, name: "web" }, { containerPort: 443 }]);
    expect(out.spec.containers[0].volumeMounts).toEqual([{ name: "v1", mountPath: "/a" }, { name: "v2", mountPath: "/b", readOnly: true }]);
  });

  test("volumes merge by name; $retainKeys drops the old volume source", () => {
    const original = pod({ containers: [{ name: "a" }], volumes: [{ name: "data", emptyDir: {} }, { name: "cfg", configMap: { name: "c1" } }] });
    const out = patchPod(original, { spec: { volumes: [{ name: "data", hostPath: { path: "/srv" }, $retainKeys: ["hostPath", "name"] }] } });
    expect(out.spec.volumes).toEqual([{ name: "data", hostPath: { path: "/srv" } }, { name: "cfg", configMap: { name: "c1" } }]);
  });

  test("$retainKeys must list every key the patch sets", () => {
    const original = pod({ volumes: [{ name: "data", emptyDir: {} }] });
    const run = () => patchPod(original, { spec: { volumes: [{ name: "data", hostPath: { path: "/x" }, $retainKeys: ["name"] }] } });
    expect(run).toThrow("invalid patch format of retainKeys");
  });

  test("lists without a merge strategy are replaced (args, tolerations)", () => {
    const original = pod({ containers: [{ name: "a", args: ["x", "y"] }], tolerations: [{ key: "k", operator: "Exists" }] });
    const out = patchPod(original, { spec: { containers: [{ name: "a", args: ["z"] }], tolerations: [] } });
    expect(out.spec.containers[0].args).toEqual(["z"]);
    expect(out.spec.tolerations).toEqual([]);
  });

  test("lists merge by key inside deployment templates", () => {
    const original = { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1" }, { name: "side", image: "envoy" }] } } } };
    const out = applyStrategicMergePatch(original, { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:2" }] } } } }, deploymentType) as any;
    expect(out.spec.template.spec.containers).toEqual([{ name: "web", image: "nginx:2" }, { name: "side", image: "envoy" }]);
  });
});

describe("maps and nulls", () => {
  test("null deletes a key; a null for an absent key is ignored", () => {
    const out = patchPod(pod({}, { name: "p", labels: { a: "1", b: "2" } }), { metadata: { labels: { a: null, c: "3", zz: null } } });
    expect(out.metadata.labels).toEqual({ b: "2", c: "3" });
  });

  test("maps merge key by key (nodeSelector has no patch strategy)", () => {
    const out = patchPod(pod({ nodeSelector: { disk: "ssd" } }), { spec: { nodeSelector: { zone: "a" } } });
    expect(out.spec.nodeSelector).toEqual({ disk: "ssd", zone: "a" });
  });

  test("a value of another JSON type replaces the original", () => {
    const out = patchPod(pod({ containers: [{ name: "a" }] }), { spec: { containers: { not: "a list" } } });
    expect(out.spec.containers).toEqual({ not: "a list" });
  });
});

describe("$patch directives", () => {
  test("$patch: replace on a map swaps the whole map", () => {
    const out = patchPod(pod({}, { name: "p", labels: { a: "1", b: "2" } }), { metadata: { labels: { $patch: "replace", c: "3" } } });
    expect(out.metadata.labels).toEqual({ c: "3" });
  });

  test("$patch: delete on a map empties it", () => {
    const out = patchPod(pod({ nodeSelector: { disk: "ssd" } }), { spec: { nodeSelector: { $patch: "delete" } } });
    expect(out.spec.nodeSelector).toEqual({});
  });

  test("$patch: delete in a list removes the item with that key", () => {
    const out = patchPod(pod({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] }), { spec: { containers: [{ name: "b", $patch: "delete" }] } });
    expect(names(out.spec.containers)).toEqual(["a", "c"]);
  });

  test("$patch: replace in a list replaces the list with the other items", () => {
    const out = patchPod(pod({ containers: [{ name: "a", image: "1" }, { name: "b" }] }), { spec: { containers: [{ $patch: "replace" }, { name: "z", image: "2" }] } });
    expect(out.spec.containers).toEqual([{ name: "z", image: "2" }]);
  });

  test("unknown directives and merge-key-less items are rejected with 400", () => {
    const bad = (patch: Record<string, unknown>) => {
      try {
        patchPod(pod({ containers: [{ name: "a" }] }), patch);
      } catch (err) {
        expect(err).toBeInstanceOf(StrategicMergePatchError);
        return { code: (err as StrategicMergePatchError).code, message: (err as Error).message };
      }
      throw new Error("expected an error");
    };
    expect(bad({ spec: { $patch: "explode" } })).toEqual({ code: 400, message: "unknown patch type: explode in map: map[$patch:explode]" });
    expect(bad({ spec: { containers: [{ image: "x" }] } })).toEqual({ code: 400, message: "map: map[image:x] does not contain declared merge key: name" });
    expect(bad({ spec: { containers: [{ name: "a", $patch: "merge" }] } }).message).toBe("merging lists cannot yet be specified in the patch");
  });
});

describe("primitive lists", () => {
  test("a merge-strategy primitive list (finalizers) gains new values, deduplicated", () => {
    const out = patchPod(pod({}, { name: "p", finalizers: ["a", "b"] }), { metadata: { finalizers: ["b", "c"] } });
    expect(out.metadata.finalizers).toEqual(["a", "b", "c"]);
  });

  test("values new to the server go ahead of server-only values", () => {
    const out = patchPod(pod({}, { name: "p", finalizers: ["a", "b"] }), { metadata: { finalizers: ["c"] } });
    expect(out.metadata.finalizers).toEqual(["c", "a", "b"]);
  });

  test("$deleteFromPrimitiveList/<field> removes values", () => {
    const out = patchPod(pod({}, { name: "p", finalizers: ["a", "b", "c"] }), { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } });
    expect(out.metadata.finalizers).toEqual(["a", "c"]);
  });

  test("additions and $deleteFromPrimitiveList in one patch", () => {
    const out = patchPod(pod({}, { name: "p", finalizers: ["a", "b"] }), { metadata: { finalizers: ["c"], "$deleteFromPrimitiveList/finalizers": ["a"] } });
    expect(out.metadata.finalizers).toEqual(["c", "b"]);
  });
});

describe("$setElementOrder", () => {
  test("orders a merged list as kubectl apply asks, keeping unchanged items", () => {
    const original = pod({ containers: [{ name: "a", image: "1" }, { name: "b", image: "1" }] });
    const out = patchPod(original, { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }, { name: "c" }], containers: [{ name: "c", image: "3" }] } });
    expect(out.spec.containers).toEqual([
      { name: "b", image: "1" },
      { name: "a", image: "1" },
      { name: "c", image: "3" },
    ]);
  });

  test("kubectl apply's patch after a container was added and an image changed", () => {
    const original = pod({ containers: [{ name: "c1", image: "nginx:1.27", imagePullPolicy: "IfNotPresent" }] });
    const patch = { spec: { "$setElementOrder/containers": [{ name: "c1" }, { name: "c2" }], containers: [{ image: "nginx:1.28", name: "c1" }, { image: "busybox:1.36", name: "c2" }] } };
    const out = patchPod(original, patch);
    expect(out.spec.containers).toEqual([
      { name: "c1", image: "nginx:1.28", imagePullPolicy: "IfNotPresent" },
      { name: "c2", image: "busybox:1.36" },
    ]);
  });

  test("server-only items keep their live position among ordered items", () => {
    const original = pod({ containers: [{ name: "a" }, { name: "server" }, { name: "b" }] });
    const out = patchPod(original, { spec: { "$setElementOrder/containers": [{ name: "a" }, { name: "b" }] } });
    expect(names(out.spec.containers)).toEqual(["a", "server", "b"]);
  });

  test("a patch list out of the directive's order is rejected", () => {
    const run = () => patchPod(pod({ containers: [{ name: "a" }, { name: "b" }] }), { spec: { "$setElementOrder/containers": [{ name: "a" }, { name: "b" }], containers: [{ name: "b" }, { name: "a" }] } });
    expect(run).toThrow("doesn't match $setElementOrder list");
  });

  test("primitive lists honour $setElementOrder too", () => {
    const out = patchPod(pod({}, { name: "p", finalizers: ["a", "b"] }), { metadata: { "$setElementOrder/finalizers": ["b", "c", "a"], finalizers: ["c"] } });
    expect(out.metadata.finalizers).toEqual(["b", "c", "a"]);
  });
});

describe("goFormat", () => {
  test("prints maps, slices and scalars as Go's %v", () => {
    expect(goFormat({ spec: { containers: [{ name: "c", imagee: "x" }] }, n: 1, f: 1.5, t: true, z: null })).toBe(
      "map[f:1.5 n:1 spec:map[containers:[map[imagee:x name:c]]] t:true z:<nil>]",
    );
    expect(goFormat(1e21)).toBe("1e+21");
    expect(goFormat(0.00001)).toBe("1e-05");
  });
});
