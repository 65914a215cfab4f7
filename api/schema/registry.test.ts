import { describe, expect, test } from "bun:test";
import { allTypes, elementType, fieldAtPath, jsonField, kindType, patchMeta, schemaType, servedKinds } from "./index.ts";

describe("schema registry", () => {
  test("finds kinds by apiVersion and kind, and types by full name", () => {
    const pod = kindType("v1", "Pod")!;
    expect(pod.name).toBe("io.k8s.api.core.v1.Pod");
    expect(pod.gvks).toEqual([{ group: "", version: "v1", kind: "Pod" }]);
    expect(kindType("apps/v1", "DeploymentList")!.name).toBe("io.k8s.api.apps.v1.DeploymentList");
    expect(kindType("events.k8s.io/v1", "Event")!.name).toBe("io.k8s.api.events.v1.Event");
    expect(kindType("v1", "Widget")).toBeUndefined();
    expect(schemaType("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")!.protobuf).toBe(true);
  });

  test("describes the pod down to nested fields", () => {
    const pod = kindType("v1", "Pod")!;
    const probePort = fieldAtPath(pod, ["spec", "containers", "livenessProbe", "httpGet", "port"])!;
    expect(probePort.type).toEqual({ kind: "ref", name: "io.k8s.apimachinery.pkg.util.intstr.IntOrString" });
    expect(probePort.required).toBe(true);
    const limits = fieldAtPath(pod, ["spec", "containers", "resources", "limits"])!;
    expect(limits.type).toEqual({ kind: "map", values: { kind: "ref", name: "io.k8s.apimachinery.pkg.api.resource.Quantity" } });
    expect(fieldAtPath(pod, ["spec", "volumes", "configMap", "items", "mode"])!.type).toEqual({ kind: "scalar", scalar: "int32" });
    expect(fieldAtPath(pod, ["spec", "containers", "securityContext", "capabilities", "add"])!.listType).toBe("atomic");
    expect(fieldAtPath(pod, ["spec", "nothing"])).toBeUndefined();
  });

  test("answers strategic-merge and apply questions", () => {
    const spec = schemaType("io.k8s.api.core.v1.PodSpec")!;
    expect(patchMeta(spec, "containers")).toEqual({ patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] });
    expect(patchMeta(spec, "volumes").patchStrategy).toBe("merge,retainKeys");
    expect(patchMeta(spec, "nodeSelector")).toEqual({ mapType: "atomic" });
    const container = elementType(jsonField(spec, "containers")!)!;
    expect(patchMeta(container, "ports")).toMatchObject({ patchMergeKey: "containerPort", listMapKeys: ["containerPort", "protocol"] });
    expect(patchMeta(schemaType("io.k8s.api.apps.v1.DeploymentSpec")!, "strategy")).toEqual({ patchStrategy: "retainKeys" });
    expect(patchMeta(schemaType("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")!, "finalizers")).toEqual({ patchStrategy: "merge", listType: "set" });
    expect(schemaType("io.k8s.api.rbac.v1.RoleRef")!.structType).toBe("atomic");
  });

  test("inline embeddings appear as JSON fields of the parent", () => {
    const volume = schemaType("io.k8s.api.core.v1.Volume")!;
    expect(volume.fields.map((f) => f.name)).toEqual(["name", "volumeSource"]);
    expect(jsonField(volume, "configMap")).toBeDefined();
    expect(jsonField(volume, "volumeSource")).toBeUndefined();
    const probe = schemaType("io.k8s.api.core.v1.Probe")!;
    expect(probe.jsonFields.map((f) => f.name)).toContain("httpGet");
    expect(jsonField(schemaType("io.k8s.api.core.v1.ConfigMapVolumeSource")!, "name")!.number).toBe(1);
  });

  test("requiredness, enums, pointers and JSON-name quirks follow upstream", () => {
    const required = (name: string) => schemaType(name)!.jsonFields.filter((f) => f.required).map((f) => f.name);
    expect(required("io.k8s.api.core.v1.PodSpec")).toEqual(["containers"]);
    expect(required("io.k8s.api.core.v1.Container")).toEqual(["name"]);
    expect(required("io.k8s.api.apps.v1.DeploymentSpec")).toEqual(["selector", "template"]);
    expect(required("io.k8s.api.rbac.v1.RoleRef")).toEqual(["apiGroup", "kind", "name"]);
    expect(required("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).toEqual([]);
    expect(jsonField(schemaType("io.k8s.api.core.v1.PodSpec")!, "restartPolicy")!.enum).toEqual(["Always", "Never", "OnFailure"]);
    expect(jsonField(schemaType("io.k8s.api.apps.v1.DeploymentSpec")!, "replicas")!.pointer).toBe(true);
    const uid = jsonField(schemaType("io.k8s.api.authentication.v1.BoundObjectReference")!, "uid")!;
    expect([uid.protoName, uid.number]).toEqual(["uID", 4]);
  });

  test("every served kind is registered and the registry is closed over references", () => {
    expect(servedKinds().length).toBeGreaterThan(40);
    const names = new Set(allTypes().map((t) => t.name));
    for (const t of allTypes()) {
      for (const f of t.fields) {
        const inner = elementType(f);
        if (f.type.kind !== "scalar" && !(f.type.kind === "array" && f.type.items.kind === "scalar") && !(f.type.kind === "map" && f.type.values.kind === "scalar")) {
          expect(inner && names.has(inner.name)).toBe(true);
        }
      }
    }
  });
});
