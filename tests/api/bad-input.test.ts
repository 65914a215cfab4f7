// Bad input: every malformed request gets a Status with the right 4xx code and upstream
// wording, and nothing is written (checked with a list afterwards). A 500 is a bug.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { configMap, listNames } from "./helpers.ts";

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
});

const cms = "/api/v1/namespaces/default/configmaps";
const json = { "content-type": "application/json" };
const yaml = { "content-type": "application/yaml" };
const unrecognized = "the object provided is unrecognized (must be of type ConfigMap): ";

async function nothingWritten(): Promise<void> {
  expect(await listNames(s, cms)).toEqual([]);
}

function expectStatus(body: any, code: number, reason: string): void {
  expect(body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason });
}

describe("malformed bodies", () => {
  test("malformed JSON → 400 BadRequest", async () => {
    const { status, body } = await s.json("POST", cms, { text: '{"metadata": {"name": "x"', headers: json });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    // transformDecodeError without a kind: "the object provided is unrecognized (must be of type …): couldn't get version/kind; json parse error: …".
    expect(body.message).toStartWith(`${unrecognized}couldn't get version/kind; json parse error: `);
    await nothingWritten();
  });

  test("a JSON array body → 400 BadRequest", async () => {
    const { status, body } = await s.json("POST", cms, { text: '[{"metadata":{"name":"x"}}]', headers: json });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    expect(body.message).toStartWith(`${unrecognized}couldn't get version/kind; json parse error: `);
    await nothingWritten();
  });

  test("an empty body → 400 BadRequest", async () => {
    const { status, body } = await s.json("POST", cms, { text: "", headers: json });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    await nothingWritten();
  });

  test("malformed YAML with Content-Type application/yaml → 400 BadRequest", async () => {
    const { status, body } = await s.json("POST", cms, { text: "metadata:\n  name: [unclosed\n data: : :\n", headers: yaml });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    expect(body.message).toStartWith(`${unrecognized}error converting YAML to JSON: `);
    await nothingWritten();
  });

  test("valid YAML is accepted (YAML 1.1 scalars as sigs.k8s.io/yaml reads them)", async () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  labels:\n    app: demo\ndata:\n  greeting: hello\n  quoted: 'yes'\n";
    const { status, body } = await s.json("POST", cms, { text, headers: yaml });
    expect(status).toBe(201);
    expect(body.metadata.labels).toEqual({ app: "demo" });
    expect(body.data).toEqual({ greeting: "hello", quoted: "yes" });
    expect((await s.json("GET", `${cms}/from-yaml`)).body.data.greeting).toBe("hello");
    await s.json("DELETE", `${cms}/from-yaml`);
  });

  test("a body over 3 MiB → 413 RequestEntityTooLarge", async () => {
    const big = JSON.stringify(configMap("huge", { data: { blob: "x".repeat(3 * 1024 * 1024) } }));
    const { status, body } = await s.json("POST", cms, { text: big, headers: json });
    expect(status).toBe(413);
    expectStatus(body, 413, "RequestEntityTooLarge");
    expect(body.message).toBe("Request entity too large: limit is 3145728");
    await nothingWritten();
  });

  test("a configmap whose data exceeds 1 MiB → 422 Invalid (ValidateConfigMap total size)", async () => {
    try {
      const { status, body } = await s.json("POST", cms, { body: configMap("fat", { data: { blob: "x".repeat(1024 * 1024 + 1) } }) });
      expect(status).toBe(422);
      expectStatus(body, 422, "Invalid");
      await nothingWritten();
    } finally {
      await s.request("DELETE", `${cms}/fat`);
    }
  });
});

describe("bodies that do not belong at the URL", () => {
  test("kind not matching the URL → 400", async () => {
    const { status, body } = await s.json("POST", cms, { body: { apiVersion: "v1", kind: "Secret", metadata: { name: "wrong-kind" } } });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    expect(body.message).toStartWith('Secret in version "v1" cannot be handled as a ConfigMap: ');
    await nothingWritten();
  });

  test("apiVersion not matching the URL → 400", async () => {
    const { status, body } = await s.json("POST", cms, { body: { apiVersion: "apps/v1", kind: "ConfigMap", metadata: { name: "wrong-version" } } });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    // The json serializer cannot create apps/v1 ConfigMap: runtime.NotRegisteredError, via transformDecodeError.
    expect(body.message).toStartWith('ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1"');
    await nothingWritten();
  });

  test("a Deployment posted to the configmaps URL → 400", async () => {
    const { status, body } = await s.json("POST", cms, { body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } } });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    await nothingWritten();
  });

  test("namespace in the body ≠ namespace in the URL → 400", async () => {
    const obj = configMap("ns-mismatch") as any;
    obj.metadata.namespace = "kube-system";
    const { status, body } = await s.json("POST", cms, { body: obj });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    expect(body.message).toBe("the namespace of the provided object does not match the namespace sent on the request");
    await nothingWritten();
    expect(await listNames(s, "/api/v1/namespaces/kube-system/configmaps")).not.toContain("ns-mismatch");
  });
});

describe("invalid objects → 422", () => {
  test("a name that is not a DNS subdomain → 422 with cause field metadata.name", async () => {
    const { status, body } = await s.json("POST", cms, { body: configMap("Bad_Name") });
    expect(status).toBe(422);
    expectStatus(body, 422, "Invalid");
    const detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    expect(body.message).toBe(`ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${detail}`);
    expect(body.details).toEqual({ name: "Bad_Name", kind: "ConfigMap", causes: [{ reason: "FieldValueInvalid", message: `Invalid value: "Bad_Name": ${detail}`, field: "metadata.name" }] });
    await nothingWritten();
  });

  test("a name longer than 253 characters → 422", async () => {
    const name = "a".repeat(254);
    const { status, body } = await s.json("POST", cms, { body: configMap(name) });
    expect(status).toBe(422);
    expect(body.details.causes[0].field).toBe("metadata.name");
    expect(body.details.causes[0].message).toContain("must be no more than 253 characters");
    await nothingWritten();
  });

  test("a service name must be a DNS-1035 label", async () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "1svc" }, spec: { ports: [{ port: 80 }] } };
    const { status, body } = await s.json("POST", "/api/v1/namespaces/default/services", { body: svc });
    expect(status).toBe(422);
    expect(body.message).toStartWith('Service "1svc" is invalid: metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters');
  });

  test("an invalid label value → 422 with field metadata.labels", async () => {
    const { status, body } = await s.json("POST", cms, { body: configMap("bad-label", { labels: { app: "-nope-" } }) });
    expect(status).toBe(422);
    expect(body.details.causes[0].field).toBe("metadata.labels");
    await nothingWritten();
  });
});

describe("routing and media types", () => {
  test("unknown resources and paths → 404 with upstream's NotFound Status", async () => {
    for (const path of [
      "/api/v1/namespaces/default/widgets",
      "/apis/example.com/v1/widgets",
      "/api/v2/pods",
      "/apis/apps/v9/deployments",
      "/api/v1/namespaces/default/configmaps/x/nosuchsub",
      "/no/such/path",
    ]) {
      const { status, body } = await s.json("GET", path);
      expect(status).toBe(404);
      expect(body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 });
    }
    const post = await s.json("POST", "/api/v1/namespaces/default/widgets", { body: { metadata: { name: "w" } } });
    expect(post.status).toBe(404);
  });

  test("a method a route does not serve → 405 MethodNotAllowed", async () => {
    await s.json("POST", cms, { body: configMap("m405") });
    try {
      const cases: [string, string, unknown?][] = [
        ["PUT", cms, configMap("m405")],
        ["PATCH", cms, { data: {} }],
        ["POST", `${cms}/m405`, configMap("m405")],
        ["DELETE", "/api/v1/namespaces"],
        ["POST", "/api/v1/namespaces/default/pods/x/status", {}],
      ];
      const answers = [];
      for (const [method, path, body] of cases) {
        const headers = method === "PATCH" ? { "content-type": "application/merge-patch+json" } : undefined;
        const res = await s.json(method, path, { body, headers });
        answers.push({ method, path, status: res.status, reason: res.body?.reason, message: res.body?.message });
      }
      const expected = cases.map(([method, path]) => ({
        method,
        path,
        status: 405,
        reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource",
      }));
      expect(answers).toEqual(expected);
      expect(await listNames(s, cms)).toEqual(["m405"]);
    } finally {
      await s.request("DELETE", `${cms}/m405`);
    }
  });

  test("an HTTP method Kubernetes does not use → 405", async () => {
    const res = await s.request("PROPFIND", cms);
    expect(res.status).toBe(405);
    expect(((await res.json()) as any).reason).toBe("MethodNotAllowed");
  });

  test("a malformed protobuf request body → 400 BadRequest", async () => {
    const { status, body } = await s.json("POST", cms, { text: "k8s\u0000garbage", headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    expect(status).toBe(400);
    expectStatus(body, 400, "BadRequest");
    expect(body.message).toStartWith("the object provided is unrecognized (must be of type ConfigMap): ");
    await nothingWritten();
  });

  test("an unknown request Content-Type → 415", async () => {
    const { status, body } = await s.json("POST", cms, { text: JSON.stringify(configMap("txt")), headers: { "content-type": "text/plain" } });
    expect(status).toBe(415);
    expectStatus(body, 415, "UnsupportedMediaType");
    await nothingWritten();
  });

  test("an Accept nothing can satisfy → 406 NotAcceptable listing the serializers", async () => {
    const { status, body } = await s.json("GET", cms, { headers: { accept: "application/foo" } });
    expect(status).toBe(406);
    expectStatus(body, 406, "NotAcceptable");
    // negotiation.MediaTypesForSerializer: only the plain media types, no ";stream=watch" variants.
    expect(body.message).toBe("only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");
  });

  test("what client-go sends (protobuf, then JSON) gets protobuf, as from kube-apiserver", async () => {
    for (const accept of ["application/vnd.kubernetes.protobuf, application/json", "application/vnd.kubernetes.protobuf"]) {
      const res = await s.request("GET", cms, { headers: { accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/vnd.kubernetes.protobuf");
      expect(new Uint8Array(await res.arrayBuffer()).subarray(0, 4)).toEqual(new Uint8Array([0x6b, 0x38, 0x73, 0x00]));
    }
  });

  test("Accept application/yaml returns YAML", async () => {
    const res = await s.request("GET", "/api/v1/namespaces/default", { headers: { accept: "application/yaml" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/yaml");
    const text = await res.text();
    expect(text).toStartWith("apiVersion: v1\nkind: Namespace\n");
  });
});

describe("never a 500", () => {
  test("odd bodies are rejected with 4xx and write nothing", async () => {
    const bodies = [
      "null",
      '"a string"',
      "42",
      '{"metadata": "not-an-object"}',
      '{"metadata": {"name": 5}}',
      '{"metadata": {"name": "odd1", "labels": "x"}}',
      '{"metadata": {"name": "odd2", "labels": {"a": 5}}}',
      '{"metadata": {"name": "odd3", "annotations": ["x"]}}',
      '{"metadata": {"name": "odd4", "finalizers": "x"}}',
      '{"metadata": {"name": "odd5", "ownerReferences": [{}]}}',
      '{"metadata": {"name": "odd6"}, "data": "not-a-map"}',
      '{"metadata": {"name": "odd7"}, "data": {"k": 5}}',
      '{"metadata": {"name": "odd8"}, "data": {"bad key": "v"}}',
      '{"apiVersion": 7, "kind": "ConfigMap", "metadata": {"name": "odd9"}}',
    ];
    const wrong = [];
    for (const text of bodies) {
      const res = await s.request("POST", cms, { text, headers: json });
      const answer = await res.text();
      if (res.status < 400 || res.status >= 500) wrong.push({ text, status: res.status, answer: answer.slice(0, 160) });
    }
    const written = await listNames(s, cms);
    for (const name of written) await s.request("DELETE", `${cms}/${name}`);
    expect(wrong).toEqual([]);
    expect(written).toEqual([]);
  });

  test("odd pod and deployment specs are rejected with 4xx", async () => {
    const pods = "/api/v1/namespaces/default/pods";
    const deploys = "/apis/apps/v1/namespaces/default/deployments";
    const cases: [string, unknown][] = [
      [pods, { metadata: { name: "pp1" }, spec: "x" }],
      [pods, { metadata: { name: "pp2" }, spec: { containers: "x" } }],
      [pods, { metadata: { name: "pp3" }, spec: { containers: [null] } }],
      [pods, { metadata: { name: "pp4" }, spec: { containers: [{ name: "c", image: "i", ports: "x" }] } }],
      [pods, { metadata: { name: "pp5" }, spec: { containers: [{ name: "c", image: "i", resources: { limits: "x" } }] } }],
      [pods, { metadata: { name: "pp6" }, spec: { containers: [{ name: "c", image: "i" }], tolerations: "x" } }],
      [deploys, { metadata: { name: "dd1" }, spec: "x" }],
      [deploys, { metadata: { name: "dd2" }, spec: { selector: "x", template: null } }],
      [deploys, { metadata: { name: "dd3" }, spec: { replicas: "three", selector: { matchLabels: { a: "b" } } } }],
      [deploys, { metadata: { name: "dd4" }, spec: { selector: { matchExpressions: "x" } } }],
    ];
    const wrong = [];
    for (const [path, body] of cases) {
      const res = await s.request("POST", path, { body });
      const answer = await res.text();
      if (res.status < 400 || res.status >= 500) wrong.push({ body, status: res.status, answer: answer.slice(0, 160) });
    }
    expect(wrong).toEqual([]);
    expect(await listNames(s, pods)).toEqual([]);
    expect(await listNames(s, deploys)).toEqual([]);
  });

  test("odd query parameters are rejected with 4xx", async () => {
    const wrong = [];
    for (const query of ["limit=abc", "timeoutSeconds=x&watch=true", "labelSelector=%28%28", "fieldSelector=%3D%3D", "includeObject=Sometimes", "resourceVersion=-5"]) {
      const res = await s.request("GET", `${cms}?${query}`, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } });
      const answer = res.status === 200 && query.includes("watch") ? "(stream)" : await res.text();
      if (query.includes("watch")) await res.body?.cancel().catch(() => {});
      if (res.status < 400 || res.status >= 500) wrong.push({ query, status: res.status, answer: answer.slice(0, 160) });
    }
    expect(wrong).toEqual([]);
  });
});
