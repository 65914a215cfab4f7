import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../../tests/support/in-process.ts";
import { ProtoReader } from "../../api/protobuf/wire.ts";

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcessServer();
});
afterAll(async () => {
  await server.close();
});

/** Fields of one protobuf message: number → raw values (bytes for length-delimited fields). */
function fields(bytes: Uint8Array): Map<number, (Uint8Array | number)[]> {
  const out = new Map<number, (Uint8Array | number)[]>();
  const r = new ProtoReader(bytes);
  while (!r.done()) {
    const [n, wire] = r.tag();
    const value = wire === 2 ? r.bytes() : wire === 0 ? r.varint() : (r.skip(wire), 0);
    out.set(n, [...(out.get(n) ?? []), value]);
  }
  return out;
}
const text = (b: Uint8Array | number | undefined) => new TextDecoder().decode(b as Uint8Array);

describe("OpenAPI v3", () => {
  test("the root lists one document per served group-version, by hash", async () => {
    const { status, body } = await server.json("GET", "/openapi/v3");
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/rbac.authorization.k8s.io/v1", "apis/coordination.k8s.io/v1"]));
    expect(body.paths["api/v1"].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  test("a group-version document has upstream-named schemas with kinds, markers and the fieldValidation parameter", async () => {
    const root = (await server.json("GET", "/openapi/v3")).body;
    const res = await server.request("GET", root.paths["api/v1"].serverRelativeURL);
    expect(res.headers.get("cache-control")).toBe("public, immutable");
    const doc = (await res.json()) as any;
    const pod = doc.components.schemas["io.k8s.api.core.v1.Pod"];
    expect(pod["x-kubernetes-group-version-kind"]).toEqual([{ group: "", kind: "Pod", version: "v1" }]);
    expect(Object.keys(pod.properties)).toEqual(["apiVersion", "kind", "metadata", "spec", "status"]);
    const containers = doc.components.schemas["io.k8s.api.core.v1.PodSpec"].properties.containers;
    expect(containers).toMatchObject({ type: "array", items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" }, "x-kubernetes-patch-merge-key": "name", "x-kubernetes-list-type": "map" });
    expect(doc.components.schemas["io.k8s.api.core.v1.Container"].required).toEqual(["name"]);
    expect(doc.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]).toBeDefined();
    const patch = doc.paths["/api/v1/namespaces/{namespace}/pods/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "", kind: "Pod", version: "v1" });
    expect(patch.parameters.map((p: any) => p.name)).toContain("fieldValidation");
    expect(Object.keys(patch.requestBody.content)).toContain("application/strategic-merge-patch+json");
    const apps = (await (await server.request("GET", root.paths["apis/apps/v1"].serverRelativeURL)).json()) as any;
    const scale = apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
    expect(scale.patch["x-kubernetes-group-version-kind"]).toEqual({ group: "autoscaling", kind: "Scale", version: "v1" });
  });

  test("ETags revalidate, and a stale hash redirects to the current one", async () => {
    const res = await server.request("GET", "/openapi/v3/apis/apps/v1");
    const etag = res.headers.get("etag")!;
    expect(res.headers.get("cache-control")).toBe("no-cache, private");
    const again = await server.request("GET", "/openapi/v3/apis/apps/v1", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const stale = await server.request("GET", "/openapi/v3/apis/apps/v1?hash=ABC");
    expect(stale.status).toBe(301);
    expect(stale.headers.get("location")).toBe(`/openapi/v3/apis/apps/v1?hash=${etag.slice(1, -1)}`);
    expect((await server.request("GET", "/openapi/v3/apis/nope/v1")).status).toBe(404);
  });
});

describe("OpenAPI v2", () => {
  test("JSON: swagger 2.0 with definitions and paths", async () => {
    const { status, body } = await server.json("GET", "/openapi/v2", { headers: { accept: "application/json" } });
    expect(status).toBe(200);
    expect(body.swagger).toBe("2.0");
    expect(body.definitions["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", kind: "Deployment", version: "v1" }]);
    expect(body.definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]).toEqual({ description: expect.any(String), type: "string", format: "int-or-string" });
    expect(body.paths["/api/v1/namespaces"].post.parameters.map((p: any) => p.name)).toEqual(["body", "dryRun", "fieldManager", "fieldValidation"]);
  });

  test("protobuf (what kubectl 1.27 asks for): a gnostic document with a usable content type", async () => {
    const accept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    const res = await server.request("GET", "/openapi/v2", { headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    const doc = fields(new Uint8Array(await res.arrayBuffer()));
    expect(text(doc.get(1)![0])).toBe("2.0");
    const pathItems = fields(doc.get(8)![0] as Uint8Array).get(2)!.map((b) => fields(b as Uint8Array));
    const podItem = pathItems.find((p) => text(p.get(1)![0]) === "/api/v1/namespaces/{namespace}/pods/{name}")!;
    const patchOp = fields(fields(podItem.get(2)![0] as Uint8Array).get(8)![0] as Uint8Array);
    const extensions = patchOp.get(13)!.map((b) => fields(b as Uint8Array));
    const gvk = extensions.find((e) => text(e.get(1)![0]) === "x-kubernetes-group-version-kind")!;
    expect(JSON.parse(text(fields(gvk.get(2)![0] as Uint8Array).get(2)![0]))).toEqual({ group: "", kind: "Pod", version: "v1" });
    const params = patchOp.get(8)!.map((b) => fields(fields(b as Uint8Array).get(1)![0] as Uint8Array));
    const paramNames = params.filter((p) => p.has(2)).map((p) => text(fields(fields(p.get(2)![0] as Uint8Array).get(3)![0] as Uint8Array).get(4)![0]));
    expect(paramNames).toContain("fieldValidation");
    const etag = res.headers.get("etag")!;
    expect((await server.request("GET", "/openapi/v2", { headers: { accept, "if-none-match": etag } })).status).toBe(304);
  });
});
