import { afterAll, describe, expect, test } from "bun:test";
import { connect, constants, type ClientHttp2Session } from "node:http2";
import { connect as tlsConnect } from "node:tls";
import { ipv6LoopbackAvailable } from "./test-support.ts";
import { startTlsListener, type ConnectionInfo, type TlsListener } from "./listener.ts";
import { createCa, issueClientCert, issueServingCert, type CertKeyPair } from "./x509.ts";
import { pulledResponse } from "../http/direct-body.ts";

const ca = createCa("listener-test-ca");
const serving = issueServingCert(ca, { dnsNames: ["localhost"], ips: ["127.0.0.1", "::1"] });
const admin = issueClientCert(ca, { commonName: "kubernetes-admin", organizations: ["system:masters", "devs"] });
const strangerCa = createCa("stranger-ca");
const stranger = issueClientCert(strangerCa, { commonName: "mallory", organizations: ["system:masters"] });

const seen: Array<{ path: string; conn: ConnectionInfo; body: string }> = [];
const cancels = new Map<string, () => void>();

/** An endless body writing one line every 20 ms; resolves `cancelled(id)` when cancelled. */
function endlessStream(id: string): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setInterval>;
  return new ReadableStream({
    start(controller) {
      let n = 0;
      timer = setInterval(() => controller.enqueue(new TextEncoder().encode(`{"n":${n++}}\n`)), 20);
    },
    cancel() {
      clearInterval(timer);
      cancels.get(id)?.();
    },
  });
}

/** A pulled body of `pieces` 64 KiB pieces (each filled with its index); with `fail`, the piece after the first rejects. */
function pulled(id: string, pieces: number, fail: boolean): Response {
  let sent = 0;
  return pulledResponse(
    {
      async next() {
        if (fail && sent === 1) throw new Error("store went away");
        if (sent === pieces) return null;
        await Bun.sleep(1);
        return String(sent++ % 10).repeat(64 * 1024);
      },
      cancel: () => cancels.get(id)?.(),
    },
    { headers: { "content-type": "text/plain" } },
  );
}

function cancelled(id: string): Promise<void> {
  return new Promise((resolve) => cancels.set(id, resolve));
}

async function handler(request: Request, conn: ConnectionInfo): Promise<Response> {
  const url = new URL(request.url);
  seen.push({ path: url.pathname, conn, body: request.body ? await request.text() : "" });
  if (url.pathname.startsWith("/stream/")) {
    return new Response(endlessStream(url.pathname.slice(8)), { headers: { "content-type": "application/json" } });
  }
  if (url.pathname.startsWith("/pulled/")) return pulled(url.pathname.slice(8), Number(url.searchParams.get("pieces")), url.searchParams.has("fail"));
  if (url.pathname === "/hop-by-hop") {
    // e.g. a proxied upstream response; these headers would break h2 if passed on.
    return new Response("proxied", { headers: { "transfer-encoding": "chunked", connection: "keep-alive", "x-kept": "yes" } });
  }
  return Response.json({ path: url.pathname, method: request.method, user: conn.peerCertificate?.commonName ?? null });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, Bun.sleep(ms).then(() => Promise.reject(new Error(`timed out: ${what}`)))]);
}

function tlsFetch(listener: TlsListener, path: string, client?: CertKeyPair, init: RequestInit = {}) {
  const tls = { ca: ca.certPem, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) };
  return fetch(listener.url + path, { ...init, tls } as RequestInit);
}

function h2Session(listener: TlsListener, client?: CertKeyPair): ClientHttp2Session {
  const session = connect(listener.url, { ca: ca.certPem, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) });
  session.on("error", () => {});
  return session;
}

function h2Get(session: ClientHttp2Session, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":path": path });
    let status = 0;
    let body = "";
    stream.on("response", (headers) => (status = Number(headers[":status"])));
    stream.on("data", (chunk) => (body += chunk));
    stream.on("end", () => resolve({ status, body }));
    stream.on("error", reject);
  });
}

async function readToEnd(reader: { read(): Promise<{ done?: boolean }> }): Promise<string> {
  try {
    while (!(await reader.read()).done);
    return "ended";
  } catch {
    return "reset";
  }
}

function lastSeen(path: string) {
  return seen.findLast((entry) => entry.path === path)!;
}

const hasIpv6 = await ipv6LoopbackAvailable();
const listener = await startTlsListener({ address: "127.0.0.1", port: 0, pki: { ca, serving }, fetch: handler });
afterAll(() => listener.close());

describe("TLS listener", () => {
  test("picks a free port and reports its URL", () => {
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.url).toBe(`https://127.0.0.1:${listener.port}`);
  });

  test("HTTP/1.1 round trip exposes the verified client certificate", async () => {
    const response = await tlsFetch(listener, "/h1", admin, { method: "POST", body: "hello" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: "/h1", method: "POST", user: "kubernetes-admin" });
    const { conn, body } = lastSeen("/h1");
    expect(body).toBe("hello");
    expect(conn.protocol).toBe("http/1.1");
    expect(conn.remoteAddress).toBe("127.0.0.1");
    expect(conn.peerCertificate?.commonName).toBe("kubernetes-admin");
    expect(conn.peerCertificate?.organizations).toEqual(["system:masters", "devs"]);
    expect(conn.peerCertificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  test("each connection gets the identity of its own certificate, however many connect with the same one", async () => {
    const alice = issueClientCert(ca, { commonName: "alice", organizations: ["team-a"] });
    const users: string[] = [];
    for (const client of [alice, admin, alice, admin]) {
      const response = await tlsFetch(listener, "/who", client, { keepalive: false });
      users.push(((await response.json()) as { user: string }).user);
      expect(lastSeen("/who").conn.peerCertificate?.organizations).toEqual(client === alice ? ["team-a"] : ["system:masters", "devs"]);
    }
    expect(users).toEqual(["alice", "kubernetes-admin", "alice", "kubernetes-admin"]);
  });

  test("h2 round trip exposes the verified client certificate", async () => {
    const session = h2Session(listener, admin);
    try {
      const response = await h2Get(session, "/h2");
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).user).toBe("kubernetes-admin");
      const { conn } = lastSeen("/h2");
      expect(conn.protocol).toBe("h2");
      expect(conn.peerCertificate?.organizations).toEqual(["system:masters", "devs"]);
    } finally {
      session.close();
    }
  });

  test("a client certificate from another CA is not trusted and its failure is reported, on HTTP/1.1 and h2", async () => {
    const response = await tlsFetch(listener, "/stranger-h1", stranger);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: unknown }).user).toBeNull();
    expect(lastSeen("/stranger-h1").conn.peerCertificate).toBeUndefined();
    expect(lastSeen("/stranger-h1").conn.peerCertificateError).toBeTruthy();
    const session = h2Session(listener, stranger);
    try {
      expect((await h2Get(session, "/stranger-h2")).status).toBe(200);
      expect(lastSeen("/stranger-h2").conn.peerCertificate).toBeUndefined();
      expect(lastSeen("/stranger-h2").conn.peerCertificateError).toBeTruthy();
    } finally {
      session.close();
    }
  });

  test("connection-level headers from the handler are dropped, so h2 still works", async () => {
    const session = h2Session(listener);
    try {
      const stream = session.request({ ":path": "/hop-by-hop" });
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.on("response", resolve));
      expect(headers[":status"]).toBe(200);
      expect(headers["x-kept"]).toBe("yes");
      expect(headers["connection"]).toBeUndefined();
      stream.resume();
    } finally {
      session.close();
    }
    const response = await tlsFetch(listener, "/hop-by-hop");
    expect(await response.text()).toBe("proxied");
    expect(response.headers.get("x-kept")).toBe("yes");
  });

  test("request bodies arrive whole: with a length (read up front), chunked (streamed), on HTTP/1.1 and h2", async () => {
    const body = "x".repeat(200_000) + "end";
    const sized = await tlsFetch(listener, "/body/sized", undefined, { method: "POST", body, headers: { "content-length": String(body.length) } });
    expect(sized.status).toBe(200);
    await sized.text();
    expect(lastSeen("/body/sized").body).toBe(body);
    const chunks = [new TextEncoder().encode("first,"), new TextEncoder().encode("second")];
    const streamed = await tlsFetch(listener, "/body/chunked", undefined, {
      method: "PUT",
      body: new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }),
    } as RequestInit);
    expect(streamed.status).toBe(200);
    await streamed.text();
    expect(lastSeen("/body/chunked").body).toBe("first,second");
    const session = h2Session(listener);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({ ":path": "/body/h2", ":method": "POST", "content-length": "11" });
        stream.on("response", (headers) => resolve(Number(headers[":status"])));
        stream.on("error", reject);
        stream.end("hello, h2!!");
      });
      expect(status).toBe(200);
      expect(lastSeen("/body/h2").body).toBe("hello, h2!!");
    } finally {
      session.close();
    }
  });

  test("anonymous clients get in without a certificate", async () => {
    const response = await tlsFetch(listener, "/anonymous");
    expect(response.status).toBe(200);
    expect(lastSeen("/anonymous").conn.peerCertificate).toBeUndefined();
  });

  test("HTTP/1.1 streams arrive chunk by chunk and a disconnect cancels the body", async () => {
    const done = cancelled("h1");
    const abort = new AbortController();
    const response = await tlsFetch(listener, "/stream/h1", admin, { signal: abort.signal });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (text.split("\n").length < 4) text += (await withTimeout(reader.read(), 2000, "h1 chunk")).value;
    expect(text).toStartWith('{"n":0}\n{"n":1}\n{"n":2}\n');
    abort.abort();
    await withTimeout(done, 2000, "h1 stream cancel");
  });

  test("h2 streams arrive chunk by chunk and a stream reset cancels the body", async () => {
    const done = cancelled("h2");
    const session = h2Session(listener, admin);
    try {
      const stream = session.request({ ":path": "/stream/h2" });
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.on("response", resolve));
      expect(headers[":status"]).toBe(200);
      expect(headers["transfer-encoding"]).toBeUndefined();
      const lines: string[] = [];
      await withTimeout(
        new Promise<void>((resolve) =>
          stream.on("data", (chunk: Buffer) => {
            lines.push(...chunk.toString().split("\n").filter(Boolean));
            if (lines.length >= 3) resolve();
          }),
        ),
        2000,
        "h2 chunks",
      );
      expect(lines.slice(0, 3)).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
      stream.close(constants.NGHTTP2_CANCEL);
      await withTimeout(done, 2000, "h2 stream cancel");
    } finally {
      session.close();
    }
  });

  test("pulled bodies arrive whole as the client reads, and a producer failure cuts the response off instead of ending it", async () => {
    const whole = await tlsFetch(listener, "/pulled/whole?pieces=40", admin, { headers: { "accept-encoding": "identity" } });
    expect(whole.headers.get("transfer-encoding")).toBe("chunked");
    const text = await whole.text();
    // Every piece intact and in order (the listener encodes pieces into buffers it reuses).
    expect(text).toBe(Array.from({ length: 40 }, (_, i) => String(i % 10).repeat(64 * 1024)).join(""));
    const zipped = await tlsFetch(listener, "/pulled/zipped?pieces=40", admin, { headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(await zipped.text()).toBe(text);
    const failing = await tlsFetch(listener, "/pulled/failing?pieces=40&fail", admin, { headers: { "accept-encoding": "identity" } });
    expect(failing.status).toBe(200);
    const outcome = failing.text().then(
      () => "ended as if whole",
      () => "cut off",
    );
    expect(await withTimeout(outcome, 2000, "failing body")).toBe("cut off");
  });

  test("a client that leaves mid-body cancels a pulled body", async () => {
    const done = cancelled("leaver");
    const abort = new AbortController();
    const response = await tlsFetch(listener, "/pulled/leaver?pieces=100000", admin, { signal: abort.signal });
    const reader = response.body!.getReader();
    await withTimeout(reader.read(), 2000, "first piece");
    abort.abort();
    await withTimeout(done, 2000, "pulled body cancel");
  });

  test("closing the h2 connection cancels its streams", async () => {
    const done = cancelled("h2-conn");
    const session = h2Session(listener, admin);
    const stream = session.request({ ":path": "/stream/h2-conn" });
    await withTimeout(new Promise((resolve) => stream.once("data", resolve)), 2000, "first chunk");
    session.destroy();
    await withTimeout(done, 2000, "h2 connection cancel");
  });

  test("HTTP/1.1 upgrades go to onUpgrade with the connection's client certificate", async () => {
    let upgradeConn: ConnectionInfo | undefined;
    const own = await startTlsListener({
      address: "127.0.0.1",
      port: 0,
      pki: { ca, serving },
      fetch: handler,
      onUpgrade(request, socket, _head, conn) {
        upgradeConn = conn;
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${request.headers.upgrade}\r\n\r\n`);
        socket.on("data", (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()));
      },
    });
    const client = tlsConnect({ host: "127.0.0.1", port: own.port, ca: ca.certPem, cert: admin.certPem, key: admin.keyPem, ALPNProtocols: ["http/1.1"] });
    try {
      await new Promise((resolve) => client.once("secureConnect", resolve));
      client.write("POST /exec HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
      let received = "";
      await withTimeout(
        new Promise<void>((resolve) =>
          client.on("data", (chunk: Buffer) => {
            received += chunk;
            if (received.endsWith("\r\n\r\n")) client.write("ping");
            if (received.endsWith("PING")) resolve();
          }),
        ),
        2000,
        "upgrade echo",
      );
      expect(received).toStartWith("HTTP/1.1 101 Switching Protocols\r\n");
      expect(upgradeConn?.peerCertificate?.commonName).toBe("kubernetes-admin");
      expect(upgradeConn?.protocol).toBe("http/1.1");
    } finally {
      client.destroy();
      await own.close();
    }
  });

  test.if(hasIpv6)("binds the IPv6 loopback and brackets it in the URL", async () => {
    const own = await startTlsListener({ address: "::1", port: 0, pki: { ca, serving }, fetch: handler });
    try {
      expect(own.url).toBe(`https://[::1]:${own.port}`);
      expect((await tlsFetch(own, "/over-ipv6", admin)).status).toBe(200);
      expect(lastSeen("/over-ipv6").conn.remoteAddress).toBe("::1");
    } finally {
      await own.close();
    }
  });

  test("close() ends open streams, cancels their bodies and resolves", async () => {
    const own = await startTlsListener({ address: "127.0.0.1", port: 0, pki: { ca, serving }, fetch: handler, closeGraceMs: 100 });
    const h1Done = cancelled("close-h1");
    const h1 = await tlsFetch(own, "/stream/close-h1", admin);
    const h1Reader = h1.body!.getReader();
    await h1Reader.read();
    const h2Done = cancelled("close-h2");
    const session = h2Session(own, admin);
    const stream = session.request({ ":path": "/stream/close-h2" });
    stream.on("error", () => {});
    await withTimeout(new Promise((resolve) => stream.once("data", resolve)), 2000, "first h2 chunk");
    const idle = await tlsFetch(own, "/idle-keepalive", admin);
    await idle.text();

    await withTimeout(own.close(), 3000, "close");
    await withTimeout(Promise.all([h1Done, h2Done]), 1000, "bodies cancelled on close");
    expect(await readToEnd(h1Reader)).toMatch(/^(ended|reset)$/);
    await expect(tlsFetch(own, "/after-close")).rejects.toThrow();
    session.destroy();
  });
});
