// Server-side field validation: fieldValidation=Strict|Warn|Ignore on create, update and every
// patch type (unknown and duplicate fields), Go-decoder type errors, and what gets stored.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, deployment, listNames, pod } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const pods = "/api/v1/namespaces/default/pods";
const cms = "/api/v1/namespaces/default/configmaps";
const deploys = "/apis/apps/v1/namespaces/default/deployments";
const json = { "content-type": "application/json" };

function misspeltPod(name: string) {
  const p = pod(name) as any;
  p.spec.containers[0].imagee = "typo";
  return p;
}

describe("create and update bodies", () => {
  test("Strict: an unknown field → 400 with the strict decoding error, nothing written", async () => {
    const { status, body } = await s.json("POST", `${pods}?fieldValidation=Strict`, { body: misspeltPod("strict-1") });
    expect(status).toBe(400);
    expect(body.reason).toBe("BadRequest");
    expect(body.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"');
    expect(await listNames(s, pods)).not.toContain("strict-1");
  });

  test("Strict: unknown and duplicate fields are all listed", async () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup"},"data":{"a":"1"},"extra":true,"binaryDatum":{}}';
    const { status, body } = await s.json("POST", `${cms}?fieldValidation=Strict`, { text, headers: json });
    expect(status).toBe(400);
    expect(body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra", unknown field "binaryDatum", duplicate field "metadata.name"');
  });

  test("Warn: the object is created without the field and each problem is a Warning header", async () => {
    const res = await s.request("POST", `${pods}?fieldValidation=Warn`, { body: { ...misspeltPod("warn-1"), bogus: 1 } });
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"spec.containers[0].imagee\\"", 299 - "unknown field \\"bogus\\""');
    const stored = (await s.json("GET", `${pods}/warn-1`)).body;
    expect(stored.spec.containers[0].imagee).toBeUndefined();
    expect(stored.bogus).toBeUndefined();
  });

  test("no fieldValidation parameter means Warn", async () => {
    const res = await s.request("POST", pods, { body: misspeltPod("default-1") });
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"spec.containers[0].imagee\\""');
  });

  test("Ignore: dropped silently", async () => {
    const res = await s.request("POST", `${pods}?fieldValidation=Ignore`, { body: misspeltPod("ignore-1") });
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toBeNull();
    expect(((await res.json()) as any).spec.containers[0].imagee).toBeUndefined();
  });

  test("Strict on update (PUT) → 400, the stored object unchanged", async () => {
    const created = (await s.json("POST", pods, { body: pod("put-1") })).body;
    const next = { ...created, spec: { ...created.spec, nodeNamee: "x" } };
    const { status, body } = await s.json("PUT", `${pods}/put-1?fieldValidation=Strict`, { body: next });
    expect(status).toBe(400);
    expect(body.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.nodeNamee"');
  });

  test("a repeated key in a YAML body is a strict error with its line", async () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-dup\ndata:\n  a: '1'\n  a: '2'\n";
    const { status, body } = await s.json("POST", `${cms}?fieldValidation=Strict`, { text, headers: { "content-type": "application/yaml" } });
    expect(status).toBe(400);
    expect(body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  line 7: key "a" already set in map');
  });

  test("an unsupported directive → 422 on CreateOptions", async () => {
    const { status, body } = await s.json("POST", `${cms}?fieldValidation=Sometimes`, { body: configMap("bad-directive") });
    expect(status).toBe(422);
    expect(body.message).toBe('CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Sometimes": supported values: "", "Ignore", "Strict", "Warn"');
  });
});

describe("type errors, reported as Go's decoder reports them (every directive)", () => {
  const cases: [string, string, unknown, string][] = [
    [cms, "ConfigMap", { metadata: { name: 5 } }, "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string"],
    [cms, "ConfigMap", { metadata: { name: "x", labels: { a: true } } }, "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"],
    [cms, "ConfigMap", { metadata: "x" }, "json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta"],
    [pods, "Pod", { metadata: { name: "t" }, spec: { containers: "x" } }, "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"],
    [pods, "Pod", { metadata: { name: "t" }, spec: { containers: [{ name: "c", image: 5 }] } }, "json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string"],
    [pods, "Pod", { metadata: { name: "t" }, spec: { containers: [{ name: "c", ports: [{ containerPort: 1.5 }] }] } }, "json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"],
    [pods, "Pod", { metadata: { name: "t" }, spec: { containers: [{ name: "c", resources: { limits: "x" } }] } }, "json: cannot unmarshal string into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList"],
    [pods, "Pod", { metadata: { name: "t" }, spec: { containers: [{ name: "c", resources: { limits: { cpu: "lots" } } }] } }, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ];
  for (const [path, kind, body, message] of cases) {
    test(message, async () => {
      for (const directive of ["Strict", "Ignore"]) {
        const res = await s.json("POST", `${path}?fieldValidation=${directive}`, { body: { apiVersion: "v1", kind, ...(body as object) } });
        expect(res.status).toBe(400);
        expect(res.body.message).toBe(`${kind} in version "v1" cannot be handled as a ${kind}: ${message}`);
      }
    });
  }

  test("deployment replicas as a string", async () => {
    const d = deployment("typed") as any;
    d.spec.replicas = "three";
    const { status, body } = await s.json("POST", deploys, { body: d });
    expect(status).toBe(400);
    expect(body.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  test("a bare number quantity is stored as Go writes it back", async () => {
    const p = pod("qty") as any;
    p.spec.containers[0].resources = { limits: { cpu: 0.5, memory: 1024 } };
    const { status, body } = await s.json("POST", pods, { body: p });
    expect(status).toBe(201);
    expect(body.spec.containers[0].resources.limits).toEqual({ cpu: "500m", memory: "1024" });
  });
});

describe("patches", () => {
  test("merge patch, Strict: an unknown field → 422 naming the patched object", async () => {
    await s.json("POST", cms, { body: configMap("mp-strict") });
    const { status, body } = await s.json("PATCH", `${cms}/mp-strict?fieldValidation=Strict`, { body: { dataa: { a: "1" } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(status).toBe(422);
    expect(body.reason).toBe("Invalid");
    expect(body.message).toStartWith(' "" is invalid: patch: Invalid value: "{');
    expect(body.message).toEndWith('": strict decoding error: unknown field "dataa"');
    // The value is the patched object as it was before decoding dropped the unknown field.
    const shown = JSON.parse(body.details.causes[0].message.match(/^Invalid value: "(.*)": strict/)[1].replace(/\\"/g, '"'));
    expect(shown.dataa).toEqual({ a: "1" });
    expect(shown.metadata.name).toBe("mp-strict");
    expect(body.details.causes[0].field).toBe("patch");
    expect((await s.json("GET", `${cms}/mp-strict`)).body.dataa).toBeUndefined();
  });

  test("strategic merge patch, Strict: the value shown is the patch as Go prints a map", async () => {
    await s.json("POST", pods, { body: pod("smp-strict") });
    const patch = { spec: { containers: [{ name: "c", imagee: "x" }] } };
    const { status, body } = await s.json("PATCH", `${pods}/smp-strict?fieldValidation=Strict`, { body: patch, headers: { "content-type": "application/strategic-merge-patch+json" } });
    expect(status).toBe(422);
    expect(body.message).toBe(' "" is invalid: patch: Invalid value: "map[spec:map[containers:[map[imagee:x name:c]]]]": strict decoding error: unknown field "spec.containers[0].imagee"');
  });

  test("strategic merge patch without a directive warns and succeeds", async () => {
    await s.json("POST", pods, { body: pod("smp-warn") });
    const res = await s.request("PATCH", `${pods}/smp-warn`, { body: { spec: { containers: [{ name: "c", image: "nginx:2", imagee: "x" }] } }, headers: { "content-type": "application/strategic-merge-patch+json" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"spec.containers[0].imagee\\""');
    expect(((await res.json()) as any).spec.containers[0].image).toBe("nginx:2");
  });

  test("JSON patch, Strict: repeated keys in an operation", async () => {
    await s.json("POST", cms, { body: configMap("jp-dup") });
    const text = '[{"op":"add","op":"add","path":"/data/b","value":"2"}]';
    const { status, body } = await s.json("PATCH", `${cms}/jp-dup?fieldValidation=Strict`, { text, headers: { "content-type": "application/json-patch+json" } });
    expect(status).toBe(422);
    expect(body.message).toEndWith('strict decoding error: json patch duplicate field "[0].op"');
  });

  test("a type error introduced by a patch → 422, nothing changed", async () => {
    await s.json("POST", deploys, { body: deployment("patch-type") });
    const { status, body } = await s.json("PATCH", `${deploys}/patch-type`, { body: { spec: { replicas: "many" } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(status).toBe(422);
    expect(body.message).toEndWith('": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect((await s.json("GET", `${deploys}/patch-type`)).body.spec.replicas).toBe(1);
  });

  test("force on a non-apply patch → 422 on PatchOptions", async () => {
    await s.json("POST", cms, { body: configMap("force-mp") });
    const { status, body } = await s.json("PATCH", `${cms}/force-mp?force=true`, { body: { data: { a: "1" } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(status).toBe(422);
    expect(body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });
});
