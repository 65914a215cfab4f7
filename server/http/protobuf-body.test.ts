import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../../tests/support/in-process.ts";
import { decodeObject, encodeEnvelope, encodeObject } from "../../api/protobuf/index.ts";

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcessServer();
});
afterAll(async () => {
  await server.close();
});

const pb = "application/vnd.kubernetes.protobuf";
const admin = { remoteAddress: "127.0.0.1", peerCertificate: { commonName: "admin", organizations: ["system:masters"] } };

function send(method: string, path: string, body: Uint8Array | undefined, accept = `${pb},application/json`): Promise<Response> {
  const headers = { accept, ...(body ? { "content-type": pb } : {}) };
  return server.core.app.fetch(new Request(`https://127.0.0.1:6443${path}`, { method, headers, body }), admin);
}

describe("protobuf request bodies", () => {
  test("a typed create is decoded, stored and answered in protobuf", async () => {
    const body = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "pb-cm" }, data: { a: "b" } });
    const res = await send("POST", "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(pb);
    const created = decodeObject(new Uint8Array(await res.arrayBuffer()));
    expect(created).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "pb-cm", namespace: "default" }, data: { a: "b" } });
    const stored = await server.json("GET", "/api/v1/namespaces/default/configmaps/pb-cm");
    expect(stored.body.data).toEqual({ a: "b" });
  });

  test("a kind that does not belong at the URL is a 400 and nothing is written", async () => {
    const body = encodeObject({ apiVersion: "v1", kind: "Secret", metadata: { name: "wrong" } });
    const res = await send("POST", "/api/v1/namespaces/default/configmaps", body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).message).toContain("Secret in version \"v1\" cannot be handled as a ConfigMap");
    expect((await server.json("GET", "/api/v1/namespaces/default/configmaps/wrong")).status).toBe(404);
  });

  test("malformed protobuf and unknown kinds are 400 BadRequest", async () => {
    const garbage = await send("POST", "/api/v1/namespaces", new TextEncoder().encode("not protobuf"));
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as any).reason).toBe("BadRequest");
    const unknown = await send("POST", "/api/v1/namespaces", encodeEnvelope("v1", "Widget", new Uint8Array()));
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).message).toContain('no kind "Widget" is registered');
    const truncated = encodeObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "cut-short" } }).slice(0, 18);
    expect((await send("POST", "/api/v1/namespaces", truncated)).status).toBe(400);
    expect((await send("POST", "/api/v1/namespaces", new Uint8Array())).status).toBe(400);
  });

  test("JSON stays the answer when the client prefers it, and for kinds without protobuf", async () => {
    const json = await send("GET", "/api/v1/namespaces/default", undefined, `application/json,${pb}`);
    expect(json.headers.get("content-type")).toBe("application/json");
    const table = await send("GET", "/api/v1/namespaces", undefined, `application/json;as=Table;v=v1;g=meta.k8s.io,${pb}`);
    expect(((await table.json()) as any).kind).toBe("Table");
    const list = await send("GET", "/api/v1/namespaces", undefined);
    expect(list.headers.get("content-type")).toBe(pb);
    expect(decodeObject(new Uint8Array(await list.arrayBuffer())).kind).toBe("NamespaceList");
  });
});
