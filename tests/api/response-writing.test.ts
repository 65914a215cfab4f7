// Responses as they leave the TLS listener: large bodies gzipped when the client accepts it
// (kube-apiserver's rule: over 128 KiB, gzip level 1, Vary: Accept-Encoding), small ones and
// non-accepting clients served as they are, and watch streams written straight to the
// connection: a reading client gets every event, the response to one that stops reading is
// ended once it is maxQueuedEvents behind (so what the server holds for it stays bounded).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { connect } from "node:tls";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { startTestServer, type TestServer } from "../support/server.ts";
import { availableKubectls } from "../support/kubectl.ts";
import { H2WatchConnection, type WatchHandlers } from "../../bench/support/h2-watch-connection.ts";

let server: TestServer;
let tls: { ca: string; cert: string; key: string };
const ns = "/api/v1/namespaces/default/configmaps";

beforeAll(async () => {
  server = await startTestServer({ runtime: "none", watch: { maxQueuedEvents: 20 } });
  const pki = join(server.dataDir, "pki");
  tls = { ca: readFileSync(join(pki, "ca.crt"), "utf8"), cert: readFileSync(join(pki, "admin.crt"), "utf8"), key: readFileSync(join(pki, "admin.key"), "utf8") };
});
afterAll(() => server?.stop());

/** One request with node's client, which never decompresses on its own. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const url = new URL(server.url + path);
    const req = httpsRequest({ host: url.hostname, port: url.port, path, method, headers, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const post = (path: string, obj: unknown) => raw("POST", path, { "content-type": "application/json" }, JSON.stringify(obj));

describe("gzip", () => {
  beforeAll(async () => {
    for (let i = 0; i < 120; i++) {
      const r = await post(ns, { metadata: { name: `cm-${i}` }, data: { payload: `${i}:`.padEnd(1500, "abcdefgh") } });
      expect(r.status).toBe(201);
    }
  });

  test("a list over 128 KiB is gzipped for a client that accepts gzip", async () => {
    const r = await raw("GET", ns, { "accept-encoding": "gzip" });
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(String(r.headers.vary)).toContain("Accept-Encoding");
    expect(Number(r.headers["content-length"])).toBe(r.body.length);
    const list = JSON.parse(gunzipSync(r.body).toString());
    expect(list.kind).toBe("ConfigMapList");
    expect(list.items.filter((i: any) => i.metadata.name.startsWith("cm-")).length).toBe(120);
    expect(gunzipSync(r.body).length).toBeGreaterThan(128 * 1024);
  });

  test("the same list is sent as it is without Accept-Encoding, and small answers are never compressed", async () => {
    const plain = await raw("GET", ns);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(plain.body.toString()).items.filter((i: any) => i.metadata.name.startsWith("cm-")).length).toBe(120);
    const one = await raw("GET", `${ns}/cm-1`, { "accept-encoding": "gzip" });
    expect(one.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(one.body.toString()).metadata.name).toBe("cm-1");
  });

  test("Table lists and OpenAPI documents are compressed too; kubectl reads them", async () => {
    const table = await raw("GET", `${ns}?includeObject=Object`, { "accept-encoding": "gzip", accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    expect(table.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(table.body).toString()).rows.length).toBe(121);
    const openapi = await raw("GET", "/openapi/v2", { "accept-encoding": "gzip" });
    expect(openapi.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(openapi.body).toString()).swagger).toBe("2.0");
    const kubectl = availableKubectls()[0]!;
    const names = await server.kubectlOk(kubectl, ["get", "configmaps", "-o", "name"]);
    expect(names.split("\n").filter((n) => n.startsWith("configmap/cm-")).length).toBe(120);
  });

  test("an answer larger than the listener's reused response buffer (256 KiB), not gzipped, arrives whole", async () => {
    for (let i = 0; i < 100; i++) {
      const r = await post(ns, { metadata: { name: `wide-${i}` }, data: { payload: `${i}:`.padEnd(2500, "ijklmnop") } });
      expect(r.status).toBe(201);
    }
    const r = await raw("GET", ns);
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.body.length).toBeGreaterThan(256 * 1024);
    expect(Number(r.headers["content-length"])).toBe(r.body.length);
    const items = JSON.parse(r.body.toString()).items;
    expect(items.filter((i: any) => i.metadata.name.startsWith("wide-")).map((i: any) => i.data.payload.split(":")[0]).sort((a: string, b: string) => Number(a) - Number(b))).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });
});

describe("answers to a client that is not reading", () => {
  test("pipelined requests for large objects, sent while the client's socket is paused, are answered whole and in order", async () => {
    for (const [name, size] of [["huge", 900_000], ["mid", 100_000], ["large", 300_000]] as const) {
      expect((await post(ns, { metadata: { name }, data: { v: name.padEnd(size, "z") } })).status).toBe(201);
    }
    const url = new URL(server.url);
    const socket = connect({ host: url.hostname, port: Number(url.port), ...tls, servername: "localhost", ALPNProtocols: ["http/1.1"] });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    socket.pause();
    const names = ["huge", "mid", "large", "huge"];
    for (const name of names) socket.write(`GET ${ns}/${name} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`);
    await Bun.sleep(300);
    socket.resume();
    /** The answers received so far: each one's body, complete, by its Content-Length. */
    const answers = () => {
      const bytes = Buffer.concat(chunks);
      const bodies: string[] = [];
      let pos = 0;
      while (pos < bytes.length) {
        const headEnd = bytes.indexOf("\r\n\r\n", pos);
        if (headEnd < 0) break;
        const head = bytes.toString("latin1", pos, headEnd);
        expect(head.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
        const length = Number(/content-length: (\d+)/i.exec(head)![1]);
        if (headEnd + 4 + length > bytes.length) break;
        bodies.push(bytes.toString("utf8", headEnd + 4, headEnd + 4 + length));
        pos = headEnd + 4 + length;
      }
      return bodies;
    };
    for (let i = 0; i < 200 && answers().length < names.length; i++) await Bun.sleep(25);
    const got = answers().map((body) => JSON.parse(body));
    expect(got.map((cm) => cm.metadata.name)).toEqual(names);
    expect(got.map((cm) => cm.data.v.length)).toEqual([900_000, 100_000, 300_000, 900_000]);
    socket.destroy();
  });
});

describe("watch streams", () => {
  /** Opens a watch on a raw TLS socket; the caller decides whether to read. */
  function openWatch(path: string) {
    const url = new URL(server.url);
    const socket = connect({ host: url.hostname, port: Number(url.port), ...tls, servername: "localhost", ALPNProtocols: ["http/1.1"] });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`);
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    // The last chunk of a chunked HTTP/1.1 body: the server ended the watch response.
    const ended = () => text.endsWith("\r\n0\r\n\r\n");
    return { socket, ended, events: () => (text.match(/"type":"MODIFIED"/g) ?? []).length, lines: () => eventLines(text) };
  }

  /** The event lines of a chunked HTTP/1.1 watch response, checking its framing on the way. */
  function eventLines(text: string): string[] {
    const bytes = Buffer.from(text, "latin1");
    let pos = bytes.indexOf("\r\n\r\n") + 4;
    const body: Buffer[] = [];
    while (pos < bytes.length) {
      const eol = bytes.indexOf("\r\n", pos);
      if (eol < 0) break; // a size line still in flight
      const size = parseInt(bytes.toString("latin1", pos, eol), 16);
      expect(Number.isNaN(size)).toBe(false);
      if (size === 0 || eol + 2 + size + 2 > bytes.length) break;
      expect(bytes.toString("latin1", eol + 2 + size, eol + 4 + size)).toBe("\r\n");
      body.push(bytes.subarray(eol + 2, eol + 2 + size));
      pos = eol + 4 + size;
    }
    const lines = Buffer.concat(body).toString("utf8").split("\n");
    lines.pop(); // what follows the last newline: empty, or a line cut short
    return lines;
  }

  /** Checks that `lines` are the MODIFIED events of data.v = 1, 2, 3, ... in order, none lost or repeated. */
  function expectConsecutive(lines: string[]): void {
    const values = lines.map((line) => {
      const event = JSON.parse(line);
      expect(event.type).toBe("MODIFIED");
      return Number(event.object.data.v);
    });
    expect(values).toEqual(values.map((_, i) => i + 1));
  }

  test("a reading watcher gets every event; the response to one that stops reading is ended without holding the other up", async () => {
    const created = JSON.parse((await post(ns, { metadata: { name: "big" }, data: { v: "0" } })).body.toString());
    const path = `${ns}?watch=true&fieldSelector=metadata.name%3Dbig&resourceVersion=${created.metadata.resourceVersion}`;
    const reader = openWatch(path);
    const stalled = openWatch(path);
    await Bun.sleep(200);
    stalled.socket.pause();
    const updates = 400;
    for (let i = 1; i <= updates; i++) {
      const r = await raw("PATCH", `${ns}/big`, { "content-type": "application/merge-patch+json" }, JSON.stringify({ data: { v: String(i), pad: "x".repeat(60_000) } }));
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 200 && reader.events() < updates; i++) await Bun.sleep(25);
    expect(reader.events()).toBe(updates);
    expect(reader.ended()).toBe(false);
    // 400 events of ~60 KB cannot all sit in socket buffers: the server gave up on the stalled one.
    stalled.socket.resume();
    for (let i = 0; i < 400 && !stalled.ended(); i++) await Bun.sleep(25);
    expect(stalled.ended()).toBe(true);
    expect(stalled.events()).toBeLessThan(updates);
    // Both streams are intact: writes that the socket took only in part were completed in order.
    expectConsecutive(reader.lines());
    expect(reader.lines().length).toBe(updates);
    expectConsecutive(stalled.lines());
    reader.socket.destroy();
    stalled.socket.destroy();
  });
  test("over h2, a watch whose client stopped reading is reset without holding up the other streams of its connection", async () => {
    const created = JSON.parse((await post(ns, { metadata: { name: "big-h2" }, data: { v: "0" } })).body.toString());
    const path = `${ns}?watch=true&fieldSelector=metadata.name%3Dbig-h2&resourceVersion=${created.metadata.resourceVersion}`;
    const url = new URL(server.url);
    const connection = H2WatchConnection.open({ host: url.hostname, port: Number(url.port), tls, now: () => 0 });
    await connection.ready;
    const watch = (holdWindow: boolean) => {
      const seen = { status: 0, events: 0, values: [] as number[], closed: "" };
      const handlers: WatchHandlers = {
        onHeaders: (status) => void (seen.status = status ?? -1),
        onEvent: (resourceVersion) => {
          seen.events++;
          seen.values.push(Number(resourceVersion));
        },
        onClose: (reason) => void (seen.closed = reason),
        holdWindow,
      };
      return { seen, handlers };
    };
    // The stalled stream's 4 MiB window takes ~69 events of 60 KB; after that its events queue
    // on the server until it is maxQueuedEvents (20) behind. The stream opened after it shares
    // the connection and must not wait for it.
    const stalled = watch(true);
    const reading = watch(false);
    connection.openStreams(path, [stalled.handlers, reading.handlers]);
    const updates = 150;
    for (let i = 1; i <= updates; i++) {
      const r = await raw("PATCH", `${ns}/big-h2`, { "content-type": "application/merge-patch+json" }, JSON.stringify({ data: { v: String(i), pad: "x".repeat(60_000) } }));
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 200 && !(stalled.seen.closed && reading.seen.events === updates); i++) await Bun.sleep(25);
    // Ended, its end would wait behind its own unsent events for as long as the client does not
    // read. Reset, the client knows at once.
    expect(stalled.seen.closed).toBe("reset by the server (code 8)");
    expect(stalled.seen.events).toBeLessThan(updates);
    // The reading stream got every event, in order, and stays open.
    expect(reading.seen.events).toBe(updates);
    expect(reading.seen.values.every((rv, i) => i === 0 || rv > reading.seen.values[i - 1]!)).toBe(true);
    expect(reading.seen.closed).toBe("");
    // A new watch on the same connection is answered.
    const after = watch(false);
    connection.openStreams(path.replace(/resourceVersion=\d+/, "resourceVersion=0"), [after.handlers]);
    for (let i = 0; i < 200 && after.seen.events === 0; i++) await Bun.sleep(25);
    expect(after.seen.status).toBe(200);
    expect(after.seen.events).toBe(1);
    connection.close();
  });
});

