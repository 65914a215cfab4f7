// Lists without a limit that span more than one store page (256 entries) are sent while they
// are read: chunked (no Content-Length), gzipped for clients that accept it, over HTTP/1.1 and
// h2, with selectors applied across pages, as one snapshot however writes interleave, and a
// client that goes away mid-list stops the reading.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { connect as h2Connect } from "node:http2";
import { connect as tlsConnect } from "node:tls";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { startTestServer, type TestServer } from "../support/server.ts";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { availableKubectls } from "../support/kubectl.ts";

const COUNT = 600;
const ns = "/api/v1/namespaces/default/configmaps";
const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
const names = Array.from({ length: COUNT }, (_, i) => `cm-${String(i).padStart(4, "0")}`);
/** Every 7th object is labelled, and so are the last three (all on the last page). */
const labelled = (i: number) => i % 7 === 0 || i >= COUNT - 3;

function configMap(i: number) {
  const labels = labelled(i) ? { pick: "yes" } : undefined;
  return { metadata: { name: names[i], labels }, data: { payload: `${i}:`.padEnd(600, "xyz") } };
}

let server: TestServer;
let tls: { ca: string; cert: string; key: string };

beforeAll(async () => {
  server = await startTestServer({ runtime: "none" });
  const pki = join(server.dataDir, "pki");
  tls = { ca: readFileSync(join(pki, "ca.crt"), "utf8"), cert: readFileSync(join(pki, "admin.crt"), "utf8"), key: readFileSync(join(pki, "admin.key"), "utf8") };
  for (let i = 0; i < COUNT; i += 50) {
    const batch = await Promise.all(names.slice(i, i + 50).map((_, j) => raw("POST", ns, { "content-type": "application/json" }, JSON.stringify(configMap(i + j)))));
    for (const r of batch) expect(r.status).toBe(201);
  }
});
afterAll(() => server?.stop());

/** One HTTP/1.1 request with node's client, which never decompresses on its own. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const url = new URL(server.url + path);
    const req = httpsRequest({ host: url.hostname, port: url.port, path, method, headers, ...tls, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const itemNames = (list: { items: { metadata: { name: string } }[] }) => list.items.map((i) => i.metadata.name);
const rowNames = (table: { rows: { cells: unknown[] }[] }) => table.rows.map((r) => r.cells[0]);

describe("an unlimited list over one page", () => {
  test("JSON arrives chunked and whole, in key order, with the list's resourceVersion", async () => {
    const r = await raw("GET", ns);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["content-length"]).toBeUndefined();
    expect(r.headers["transfer-encoding"]).toBe("chunked");
    const list = JSON.parse(r.body.toString());
    expect(list.kind).toBe("ConfigMapList");
    expect(list.apiVersion).toBe("v1");
    expect(list.metadata.continue).toBeUndefined();
    expect(itemNames(list).filter((n: string) => n.startsWith("cm-"))).toEqual(names);
    // Items are listed as kube-apiserver lists them: no kind/apiVersion, each with its resourceVersion.
    const item = list.items.find((i: any) => i.metadata.name === "cm-0300");
    expect(item.kind).toBeUndefined();
    expect(item.data.payload.startsWith("300:xyz")).toBe(true);
    const single = JSON.parse((await raw("GET", `${ns}/cm-0300`)).body.toString());
    expect(item.metadata.resourceVersion).toBe(single.metadata.resourceVersion);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(single.metadata.resourceVersion));
  });

  test("a kept-alive HTTP/1.1 connection carries more requests after the chunked list", async () => {
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1, ...tls });
    try {
      const get = (path: string, headers: Record<string, string> = {}) =>
        new Promise<{ reused: boolean; body: string }>((resolve, reject) => {
          const url = new URL(server.url + path);
          const req = httpsRequest({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ reused: req.reusedSocket, body }));
            res.on("error", reject);
          });
          req.on("error", reject);
          req.end();
        });
      const first = await get(ns);
      const table = await get(ns, { accept: tableAccept });
      const single = await get(`${ns}/cm-0007`);
      expect(itemNames(JSON.parse(first.body)).filter((n: string) => n.startsWith("cm-"))).toEqual(names);
      expect(rowNames(JSON.parse(table.body)).filter((n) => String(n).startsWith("cm-"))).toEqual(names);
      expect(JSON.parse(single.body).metadata.name).toBe("cm-0007");
      expect([table.reused, single.reused]).toEqual([true, true]);
    } finally {
      agent.destroy();
    }
  });

  test("an HTTP/1.0 client gets the list and a watch unchunked, ended by the connection", async () => {
    const url = new URL(server.url);
    /** Sends one HTTP/1.0 request and reads until `enough` says the text so far suffices (or the server closes). */
    const http10 = (path: string, enough: (text: string) => boolean) =>
      new Promise<{ head: string; body: string }>((resolve, reject) => {
        const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ...tls, servername: "localhost", ALPNProtocols: ["http/1.1"] }, () => {
          socket.write(`GET ${path} HTTP/1.0\r\nHost: localhost\r\nAccept: application/json\r\n\r\n`);
        });
        let text = "";
        const done = () => {
          socket.destroy();
          const split = text.indexOf("\r\n\r\n");
          resolve({ head: text.slice(0, split).toLowerCase(), body: text.slice(split + 4) });
        };
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => {
          text += chunk;
          if (enough(text)) done();
        });
        socket.on("end", done);
        socket.on("error", reject);
      });
    const list = await http10(ns, () => false);
    expect(list.head).not.toContain("transfer-encoding");
    expect(itemNames(JSON.parse(list.body)).filter((n: string) => n.startsWith("cm-"))).toEqual(names);
    const watch = await http10(`${ns}?watch=true&fieldSelector=metadata.name%3Dcm-0001`, (text) => text.includes("cm-0001") && text.endsWith("\n"));
    expect(watch.head).not.toContain("transfer-encoding");
    const event = JSON.parse(watch.body.trim());
    expect([event.type, event.object.metadata.name]).toEqual(["ADDED", "cm-0001"]);
  });

  test("gzipped for a client that accepts gzip, the same document", async () => {
    const plain = await raw("GET", ns);
    const zipped = await raw("GET", ns, { "accept-encoding": "gzip" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(String(zipped.headers.vary)).toContain("Accept-Encoding");
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
  });

  test("lists at once and one after another, plain and gzipped, each whole (encoding buffers are reused between them)", async () => {
    // A Table's Age cells (the last of each row) depend on when it was made: a second may pass between two lists.
    const withoutAges = (text: string) => text.replace(/"(?:\d+[smhdy])+"\]/g, '"AGE"]');
    const expected = (await raw("GET", ns)).body.toString();
    const table = withoutAges((await raw("GET", ns, { accept: tableAccept })).body.toString());
    expect(table).toContain('"AGE"]');
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all([
        raw("GET", ns),
        raw("GET", ns, { "accept-encoding": "gzip" }),
        raw("GET", ns, { accept: tableAccept }),
        raw("GET", ns, { accept: tableAccept, "accept-encoding": "gzip" }),
      ]);
      const text = answers.map((r) => (r.headers["content-encoding"] === "gzip" ? gunzipSync(r.body) : r.body).toString());
      expect([text[0], text[1], withoutAges(text[2]!), withoutAges(text[3]!)]).toEqual([expected, expected, table, table]);
    }
  });

  test("as a Table, rows for every object, column definitions once", async () => {
    const r = await raw("GET", ns, { accept: tableAccept, "accept-encoding": "gzip" });
    expect(r.headers["content-type"]).toBe(tableAccept);
    const table = JSON.parse(gunzipSync(r.body).toString());
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(rowNames(table).filter((n) => String(n).startsWith("cm-"))).toEqual(names);
    expect(table.rows[0].object.kind).toBe("PartialObjectMetadata");
  });

  test("selectors apply across pages, including pages where nothing matches", async () => {
    const want = names.filter((_, i) => labelled(i));
    const json = JSON.parse((await raw("GET", `${ns}?labelSelector=pick%3Dyes`)).body.toString());
    expect(itemNames(json)).toEqual(want);
    const table = JSON.parse((await raw("GET", `${ns}?labelSelector=pick%3Dyes`, { accept: tableAccept })).body.toString());
    expect(rowNames(table)).toEqual(want);
    // Only the last three objects match: the pages before give nothing.
    const tail = JSON.parse((await raw("GET", `${ns}?labelSelector=pick%3Dyes&fieldSelector=metadata.name%3D${names[COUNT - 1]}`)).body.toString());
    expect(itemNames(tail)).toEqual([names[COUNT - 1]]);
  });

  test("over h2, as kubectl and client-go connect", async () => {
    const session = h2Connect(server.url, tls);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ":path": ns, accept: "application/json" });
        let text = "";
        req.setEncoding("utf8");
        req.on("data", (c) => (text += c));
        req.on("end", () => resolve(text));
        req.on("error", reject);
      });
      expect(itemNames(JSON.parse(body)).filter((n: string) => n.startsWith("cm-"))).toEqual(names);
    } finally {
      session.close();
    }
  });

  test("real kubectl reads it (get --raw sends no limit)", async () => {
    const kubectl = availableKubectls()[0]!;
    const out = await server.kubectlOk(kubectl, ["get", "--raw", ns]);
    expect(itemNames(JSON.parse(out)).filter((n: string) => n.startsWith("cm-"))).toEqual(names);
  });

  test("a client that leaves mid-list does not disturb the server", async () => {
    const url = new URL(server.url);
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ...tls, servername: "localhost", ALPNProtocols: ["http/1.1"] });
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("secureConnect", () => socket.write(`GET ${ns} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`));
      socket.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > 1024) {
          socket.destroy();
          resolve();
        }
      });
    });
    const again = await raw("GET", `${ns}?labelSelector=pick%3Dyes`);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body.toString()).items.length).toBe(names.filter((_, i) => labelled(i)).length);
  });
});

describe("a streamed list is one snapshot", () => {
  let s: InProcessServer;
  const path = "/api/v1/namespaces/default/configmaps";
  beforeAll(async () => {
    s = await startInProcessServer();
    for (let i = 0; i < COUNT; i++) {
      const r = await s.json("POST", path, { body: configMap(i) });
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    }
  });
  afterAll(() => s?.close());

  test("objects created, changed and deleted while it is read do not show", async () => {
    const response = await s.request("GET", path);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const first = await reader.read();
    text += decoder.decode(first.value, { stream: true });
    // The first page is out; now change what later pages hold.
    expect((await s.json("DELETE", `${path}/${names[COUNT - 1]}`)).status).toBe(200);
    expect((await s.json("PATCH", `${path}/${names[COUNT - 2]}`, { body: { data: { payload: "changed" } }, headers: { "content-type": "application/merge-patch+json" } })).status).toBe(200);
    expect((await s.json("POST", path, { body: { metadata: { name: "cm-9999" } } })).status).toBe(201);
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    const list = JSON.parse(text);
    expect(itemNames(list).filter((n: string) => n.startsWith("cm-"))).toEqual(names);
    expect(list.items.find((i: any) => i.metadata.name === names[COUNT - 2]).data.payload).not.toBe("changed");
    const now = (await s.json("GET", path)).body;
    expect(itemNames(now)).toContain("cm-9999");
    expect(itemNames(now)).not.toContain(names[COUNT - 1]);
  });
});
