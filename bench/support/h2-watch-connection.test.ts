// The bench's h2 watch client against kapi serve: streams multiplexed on one connection, each
// getting every event in order, flow control given back as data is read, and statuses read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../../tests/support/server.ts";
import { H2WatchConnection, type WatchHandlers } from "./h2-watch-connection.ts";

let server: TestServer;
let tls: { ca: string; cert: string; key: string };
const configmaps = "/api/v1/namespaces/default/configmaps";

beforeAll(async () => {
  server = await startTestServer({ runtime: "none" });
  const pki = join(server.dataDir, "pki");
  tls = { ca: readFileSync(join(pki, "ca.crt"), "utf8"), cert: readFileSync(join(pki, "admin.crt"), "utf8"), key: readFileSync(join(pki, "admin.key"), "utf8") };
});
afterAll(() => server?.stop());

async function api(method: string, path: string, body: unknown, contentType = "application/json"): Promise<{ metadata: { resourceVersion: string } }> {
  const response = await fetch(server.url + path, { method, headers: { "content-type": contentType }, body: JSON.stringify(body), tls });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as { metadata: { resourceVersion: string } };
}

function open() {
  const url = new URL(server.url);
  return H2WatchConnection.open({ host: url.hostname, port: Number(url.port), tls, now: () => performance.now() });
}

/** A stream's handlers that record what arrives. */
function recorder() {
  const seen = { status: undefined as number | undefined, headers: false, rvs: [] as (string | undefined)[], closed: undefined as string | undefined };
  let answered!: () => void;
  const headers = new Promise<void>((resolve) => (answered = resolve));
  const handlers: WatchHandlers = {
    onHeaders(status) {
      seen.status = status;
      seen.headers = true;
      answered();
    },
    onEvent: (rv) => void seen.rvs.push(rv),
    onClose(reason) {
      seen.closed = reason;
      answered();
    },
  };
  return { seen, handlers, headers };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await Bun.sleep(25);
}

describe("h2 watch connection (bench client)", () => {
  test("three watches on one connection each get every event, in order", async () => {
    const created = await api("POST", configmaps, { metadata: { name: "h2-watched" }, data: { v: "0" } });
    const connection = open();
    await connection.ready;
    expect(connection.maxConcurrentStreams).toBeGreaterThanOrEqual(3);
    const watchers = [recorder(), recorder(), recorder()];
    connection.openStreams(`${configmaps}?watch=true&fieldSelector=metadata.name%3Dh2-watched&resourceVersion=${created.metadata.resourceVersion}`, watchers.map((w) => w.handlers));
    await Promise.all(watchers.map((w) => w.headers));
    const written: string[] = [];
    for (let i = 1; i <= 3; i++) written.push((await api("PATCH", `${configmaps}/h2-watched`, { data: { v: String(i) } }, "application/merge-patch+json")).metadata.resourceVersion);
    await until(() => watchers.every((w) => w.seen.rvs.length >= 3));
    for (const w of watchers) expect(w.seen).toEqual({ status: 200, headers: true, rvs: written, closed: undefined });
    connection.close();
  });

  test("more than a stream's 4 MiB window arrives: the client gives back what it read", async () => {
    const created = await api("POST", configmaps, { metadata: { name: "h2-big" }, data: { v: "0" } });
    const connection = open();
    await connection.ready;
    const watchers = [recorder(), recorder()];
    connection.openStreams(`${configmaps}?watch=true&fieldSelector=metadata.name%3Dh2-big&resourceVersion=${created.metadata.resourceVersion}`, watchers.map((w) => w.handlers));
    await Promise.all(watchers.map((w) => w.headers));
    const updates = 90; // ~60 KB each: 5.4 MB per stream
    for (let i = 1; i <= updates; i++) await api("PATCH", `${configmaps}/h2-big`, { data: { v: String(i), pad: "x".repeat(60_000) } }, "application/merge-patch+json");
    await until(() => watchers.every((w) => w.seen.rvs.length >= updates));
    for (const w of watchers) {
      expect(w.seen.rvs.length).toBe(updates);
      expect(w.seen.closed).toBeUndefined();
    }
    connection.close();
  });

  test("a status other than 200 is reported, and the stream's end", async () => {
    const connection = open();
    await connection.ready;
    const missing = recorder();
    connection.openStreams("/api/v1/namespaces/default/nosuchthings?watch=true", [missing.handlers]);
    await missing.headers;
    await until(() => missing.seen.closed !== undefined);
    expect(missing.seen.status).toBe(404);
    expect(missing.seen.closed).toBe("the server ended the stream");
    connection.close();
  });

  test("a server that does not offer h2 is reported", async () => {
    // kapi always offers h2; a TLS server without ALPN (an HTTP/1.1-only server of old) stands in.
    const { createServer } = await import("node:tls");
    const pki = join(server.dataDir, "pki");
    const plain = createServer({ cert: readFileSync(join(pki, "apiserver.crt")), key: readFileSync(join(pki, "apiserver.key")) }, (socket) => socket.on("error", () => {}));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const connection = H2WatchConnection.open({ host: "127.0.0.1", port: (plain.address() as { port: number }).port, tls, now: () => 0 });
    expect(await connection.ready.then(() => "ready", (error: Error) => error.message)).toBe("the server did not choose h2 (ALPN: none)");
    plain.close();
  });
});
