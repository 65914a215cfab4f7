// HTTP/1.1 as raw bytes on a TLS connection to the listener: framing, keep-alive, pipelining,
// interim responses and refusals, as Go's server (kube-apiserver's) answers them.
import { afterAll, describe, expect, test } from "bun:test";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { startTlsListener, type ConnectionInfo } from "./listener.ts";
import { createCa, issueServingCert } from "./x509.ts";

const ca = createCa("http1-test-ca");
const serving = issueServingCert(ca, { dnsNames: ["localhost"], ips: ["127.0.0.1"] });

async function handler(request: Request, _conn: ConnectionInfo): Promise<Response> {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/echo": {
      const body = request.body ? await request.text() : "";
      return Response.json({ method: request.method, url: request.url, length: body.length, tail: body.slice(-8), host: request.headers.get("host") });
    }
    case "/ignore-body":
      return new Response("not reading it", { status: 413 });
    case "/no-content":
      return new Response(null, { status: 204 });
    case "/throws":
      throw new Error("handler bug");
    case "/quiet-stream": {
      // Two chunks 400 ms apart: longer than the short-timeout listener's idle limit.
      let timer: ReturnType<typeof setTimeout>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("first\n"));
          timer = setTimeout(() => {
            controller.enqueue(new TextEncoder().encode("second\n"));
            controller.close();
          }, 400);
        },
        cancel: () => clearTimeout(timer),
      });
      return new Response(body, { headers: { "content-type": "text/plain" } });
    }
    default:
      return new Response(`path ${url.pathname}`, { headers: { "content-type": "text/plain" } });
  }
}

const listener = await startTlsListener({ address: "127.0.0.1", port: 0, pki: { ca, serving }, fetch: handler, onError: () => {} });
afterAll(() => listener.close());

function open(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: "127.0.0.1", port: listener.port, ca: ca.certPem, servername: "localhost", ALPNProtocols: ["http/1.1"] }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Reads from `socket` until `enough(text)` or the server closes; `closed` tells which. */
function readUntil(socket: TLSSocket, enough: (text: string) => boolean, timeoutMs = 3000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(text.slice(0, 500))}`)), timeoutMs);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.off("data", onData);
      resolve({ text, closed });
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (enough(text)) finish(false);
    };
    socket.on("data", onData);
    socket.once("close", () => finish(true));
  });
}

/** Splits responses off the front of `text`: status line, lowercased headers, body by Content-Length. */
function responses(text: string): Array<{ status: string; headers: Record<string, string>; body: string }> {
  const out = [];
  while (text.length > 0) {
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) break;
    const [status, ...lines] = text.slice(0, end).split("\r\n");
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
    const length = Number(headers["content-length"] ?? 0);
    out.push({ status: status!, headers, body: text.slice(end + 4, end + 4 + length) });
    text = text.slice(end + 4 + length);
  }
  return out;
}

const complete = (count: number) => (text: string) => {
  const parsed = responses(text);
  return parsed.length >= count && text.endsWith(parsed[count - 1]!.body);
};

describe("idle HTTP/1.1 connections", () => {
  test("are closed after the idle limit, but a quiet response in flight is not cut off", async () => {
    const short = await startTlsListener({ address: "127.0.0.1", port: 0, pki: { ca, serving }, fetch: handler, idleTimeoutMs: 150 });
    try {
      const connectTo = () =>
        new Promise<TLSSocket>((resolve) => {
          const socket = tlsConnect({ host: "127.0.0.1", port: short.port, ca: ca.certPem, servername: "localhost", ALPNProtocols: ["http/1.1"] }, () => resolve(socket));
        });
      const idle = await connectTo();
      idle.write("GET /once HTTP/1.1\r\nHost: localhost\r\n\r\n");
      const started = performance.now();
      const first = await readUntil(idle, () => false);
      expect(first.closed).toBe(true);
      expect(responses(first.text)[0]!.body).toBe("path /once");
      expect(performance.now() - started).toBeGreaterThanOrEqual(100);

      const streaming = await connectTo();
      streaming.write("GET /quiet-stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
      const second = await readUntil(streaming, (text) => text.endsWith("0\r\n\r\n"));
      expect(second.closed).toBe(false);
      expect(second.text).toContain("first\n");
      expect(second.text).toContain("second\n");
      streaming.destroy();
    } finally {
      await short.close();
    }
  });
});

describe("HTTP/1.1 connections", () => {
  test("pipelined requests are answered in order on one connection, each with its length", async () => {
    const socket = await open();
    socket.write("GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nPOST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhelloGET /c HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const { text, closed } = await readUntil(socket, complete(3));
    expect(closed).toBe(false);
    const [a, echo, c] = responses(text);
    expect([a!.status, a!.body]).toEqual(["HTTP/1.1 200 OK", "path /a"]);
    expect(JSON.parse(echo!.body)).toMatchObject({ method: "POST", length: 5, tail: "hello" });
    expect(c!.body).toBe("path /c");
    expect(a!.headers.date).toMatch(/GMT$/);
    socket.destroy();
  });

  test("a request split into single bytes is read whole", async () => {
    const socket = await open();
    const bytes = "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world";
    for (const ch of bytes) {
      socket.write(ch);
      await Bun.sleep(0);
    }
    const { text } = await readUntil(socket, complete(1));
    expect(JSON.parse(responses(text)[0]!.body)).toMatchObject({ length: 11, tail: "lo world" });
    socket.destroy();
  });

  test("a large head arriving as hundreds of small records is read whole", async () => {
    const socket = await open();
    const head = `POST /echo HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"b".repeat(300 * 1024)}\r\nContent-Length: 4\r\n\r\nbody`;
    for (let at = 0; at < head.length; at += 1024) {
      socket.write(head.slice(at, at + 1024));
      if (at % (64 * 1024) === 0) await Bun.sleep(1);
    }
    const { text } = await readUntil(socket, complete(1), 10_000);
    expect(JSON.parse(responses(text)[0]!.body)).toMatchObject({ method: "POST", tail: "body" });
    socket.destroy();
  });

  test("Expect: 100-continue gets the interim response before the body is sent", async () => {
    const socket = await open();
    socket.write("PUT /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    const interim = await readUntil(socket, (t) => t.includes("\r\n\r\n"));
    expect(interim.text).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    socket.write("body");
    const { text } = await readUntil(socket, complete(1));
    expect(JSON.parse(responses(text)[0]!.body)).toMatchObject({ method: "PUT", tail: "body" });
    socket.destroy();
  });

  test("a chunked body arrives whole, and the connection carries the next request", async () => {
    const socket = await open();
    socket.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    await Bun.sleep(20);
    socket.write("6\r\n world\r\n0\r\n\r\nGET /after HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const { text } = await readUntil(socket, (t) => t.includes("path /after"));
    expect(text).toContain('"length":11');
    socket.destroy();
  });

  test("a body over the read-ahead limit is streamed to the handler", async () => {
    const socket = await open();
    const size = 3 * 1024 * 1024 + 100;
    socket.write(`POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${size}\r\n\r\n`);
    socket.write(Buffer.alloc(size - 3, "x"));
    socket.write("END");
    const { text } = await readUntil(socket, complete(1), 10_000);
    expect(JSON.parse(responses(text)[0]!.body)).toMatchObject({ length: size, tail: "xxxxxEND" });
    socket.destroy();
  });

  test("a response that leaves a streamed body unread closes the connection", async () => {
    const socket = await open();
    socket.write(`POST /ignore-body HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n`);
    socket.write(Buffer.alloc(64 * 1024, "x"));
    const { text, closed } = await readUntil(socket, () => false);
    expect(closed).toBe(true);
    expect(responses(text)[0]!.status).toBe("HTTP/1.1 413 Payload Too Large");
    expect(responses(text)[0]!.headers.connection).toBe("close");
  });

  test("Connection: close is honoured; HTTP/1.0 gets an HTTP/1.0 answer and the connection ends", async () => {
    const closing = await open();
    closing.write("GET /bye HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    const first = await readUntil(closing, () => false);
    expect(first.closed).toBe(true);
    expect(responses(first.text)[0]!.headers.connection).toBe("close");
    const old = await open();
    old.write("GET /old HTTP/1.0\r\n\r\n");
    const second = await readUntil(old, () => false);
    expect(second.closed).toBe(true);
    const [response] = responses(second.text);
    expect(response!.status).toBe("HTTP/1.0 200 OK");
    expect(response!.body).toBe("path /old");
  });

  test("HEAD gets the headers without a body; 204 has neither body nor length", async () => {
    const socket = await open();
    socket.write("HEAD /h HTTP/1.1\r\nHost: localhost\r\n\r\nGET /no-content HTTP/1.1\r\nHost: localhost\r\n\r\nGET /next HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const { text } = await readUntil(socket, (t) => t.includes("path /next"));
    const heads = text.split("HTTP/1.1 ").filter(Boolean);
    expect(heads[0]).toStartWith("200 OK");
    expect(heads[0]).toContain("content-length: 7");
    expect(heads[0]).toEndWith("\r\n\r\n");
    expect(heads[1]).toStartWith("204 No Content");
    expect(heads[1]).not.toContain("content-length");
    expect(heads[1]).not.toContain("transfer-encoding");
    expect(heads[2]).toEndWith("path /next");
    socket.destroy();
  });

  test("the URL is built from the Host field or an absolute target; a malformed Host is refused", async () => {
    const socket = await open();
    socket.write("GET /echo HTTP/1.1\r\nHost: example.test:8443\r\n\r\nGET https://other.test/echo?x=1 HTTP/1.1\r\nHost: ignored\r\n\r\nGET /echo HTTP/1.0\r\n\r\n");
    const { text } = await readUntil(socket, () => false);
    const [fromHost, absolute, noHost] = responses(text).map((r) => JSON.parse(r.body).url);
    expect(fromHost).toBe("https://example.test:8443/echo");
    expect(absolute).toBe("https://other.test/echo?x=1");
    expect(noHost).toBe(`${listener.url}/echo`);
    const bad = await open();
    bad.write("GET /echo HTTP/1.1\r\nHost: evil.test/x?\r\n\r\n");
    const refused = await readUntil(bad, () => false);
    expect(refused.closed).toBe(true);
    expect(responses(refused.text)[0]!.status).toBe("HTTP/1.1 400 Bad Request");
    expect(responses(refused.text)[0]!.body).toBe("400 Bad Request: malformed Host header");
  });

  test("malformed and oversized heads are refused and the connection closed", async () => {
    const malformed = await open();
    malformed.write("GET / HTTP/1.1\r\nBad Field\r\n\r\n");
    const first = await readUntil(malformed, () => false);
    expect(first.closed).toBe(true);
    expect(first.text).toStartWith("HTTP/1.1 400 Bad Request\r\n");
    expect(responses(first.text)[0]!.body).toBe("400 Bad Request: malformed MIME header line");

    const huge = await open();
    huge.write(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(1100 * 1024)}\r\n\r\n`);
    const second = await readUntil(huge, () => false);
    expect(second.closed).toBe(true);
    expect(second.text).toStartWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
  });

  test("a handler that throws gets a 500 and the connection stays usable", async () => {
    const socket = await open();
    socket.write("GET /throws HTTP/1.1\r\nHost: localhost\r\n\r\nGET /fine HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const { text } = await readUntil(socket, complete(2));
    const [failed, fine] = responses(text);
    expect([failed!.status, failed!.body]).toEqual(["HTTP/1.1 500 Internal Server Error", "Internal Server Error"]);
    expect(fine!.body).toBe("path /fine");
    socket.destroy();
  });
});
