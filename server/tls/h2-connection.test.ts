// The h2 connection at the frame level: what a client may get wrong, flow control in both
// directions, and the stream limit. Round trips through node:http2's client, certificates and
// streamed bodies are in listener.test.ts; kubectl drives it in tests/kubectl.
import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { connect } from "node:http2";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { ErrorCode, Flag, FrameReader, FrameType, PREFACE, Setting, frame, readSettings, settingsFrame, windowUpdateFrame } from "./h2-frames.ts";
import { HpackDecoder } from "./hpack.ts";
import { startTlsListener } from "./listener.ts";
import { createCa, issueServingCert } from "./x509.ts";

const ca = createCa("h2-test-ca");
const serving = issueServingCert(ca, { dnsNames: ["localhost"], ips: ["127.0.0.1"] });

let releaseHeld: () => void = () => {};
let held = new Promise<void>((resolve) => (releaseHeld = resolve));

async function handler(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/big") return new Response("x".repeat(Number(url.searchParams.get("size"))), { headers: { "content-type": "text/plain" } });
  if (url.pathname === "/held") {
    await held;
    return new Response("released");
  }
  if (url.pathname === "/digest") {
    const bytes = new Uint8Array(await request.arrayBuffer());
    return Response.json({ length: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
  }
  return Response.json({ method: request.method, path: url.pathname, host: request.headers.get("host"), cookie: request.headers.get("cookie") });
}

const listener = await startTlsListener({ address: "127.0.0.1", port: 0, pki: { ca, serving }, fetch: handler });
afterAll(() => listener.close());

interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

/** A client speaking raw frames: it sends what a test gives it and records every frame it gets. */
class RawClient {
  readonly frames: Frame[] = [];
  closed = false;
  private readonly decoder = new HpackDecoder();
  private readonly dataParts = new Map<number, Buffer[]>();

  private constructor(readonly socket: TLSSocket) {
    const reader = new FrameReader({
      data: (id, bytes, start, end) => this.dataParts.set(id, [...(this.dataParts.get(id) ?? []), Buffer.from(bytes.subarray(start, end))]),
      dataEnd: (id, flags) => {
        this.frames.push({ type: FrameType.DATA, flags, streamId: id, payload: Buffer.concat(this.dataParts.get(id) ?? []) });
        this.dataParts.delete(id);
      },
      frame: (type, flags, streamId, payload) => this.frames.push({ type, flags, streamId, payload: Buffer.from(payload) }),
    });
    socket.on("data", (chunk: Buffer) => reader.feed(chunk));
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => {});
  }

  /** Connects; with `preface` false the test sends its own opening. */
  static async open(settings: [number, number][] = [], preface = true): Promise<RawClient> {
    const url = new URL(listener.url);
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: ca.certPem, servername: "localhost", ALPNProtocols: ["h2"] });
    await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
    const client = new RawClient(socket);
    if (preface) socket.write(Buffer.concat([PREFACE, settingsFrame(settings)]));
    return client;
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  async waitFor(what: string, found: () => boolean, ms = 5000): Promise<void> {
    for (const started = Date.now(); !found(); await Bun.sleep(5)) {
      if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    }
  }

  of(streamId: number, type?: number): Frame[] {
    return this.frames.filter((f) => f.streamId === streamId && (type === undefined || f.type === type));
  }

  /** The response headers of a stream, decoded in the order the server sent header blocks. */
  headers(streamId: number): Map<string, string> {
    const map = new Map<string, string>();
    for (const f of this.frames) {
      if (f.type !== FrameType.HEADERS) continue;
      const fields = this.decoder.decode(f.payload);
      if (f.streamId === streamId) for (const [name, value] of fields) map.set(name, value);
    }
    return map;
  }

  body(streamId: number): string {
    return Buffer.concat(this.of(streamId, FrameType.DATA).map((f) => f.payload)).toString();
  }

  ended(streamId: number): boolean {
    return this.of(streamId).some((f) => (f.type === FrameType.DATA || f.type === FrameType.HEADERS) && f.flags & Flag.END_STREAM);
  }

  reset(streamId: number): number | undefined {
    return this.of(streamId, FrameType.RST_STREAM)[0]?.payload.readUInt32BE(0);
  }

  goaway(): number | undefined {
    return this.of(0, FrameType.GOAWAY)[0]?.payload.readUInt32BE(4);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A header block of literal fields without indexing or Huffman coding. */
function block(fields: [string, string][]): Buffer {
  const parts: number[] = [];
  const string = (text: string) => {
    const bytes = Buffer.from(text, "latin1");
    if (bytes.length >= 127) throw new Error("test strings stay short");
    parts.push(bytes.length, ...bytes);
  };
  for (const [name, value] of fields) {
    parts.push(0);
    string(name);
    string(value);
  }
  return Buffer.from(parts);
}

const get = (path: string, extra: [string, string][] = []): [string, string][] => [[":method", "GET"], [":scheme", "https"], [":path", path], [":authority", "localhost"], ...extra];
const headers = (streamId: number, fields: [string, string][], flags = Flag.END_HEADERS | Flag.END_STREAM) => frame(FrameType.HEADERS, flags, streamId, block(fields));

describe("h2 connection", () => {
  test("announces its settings, acknowledges the client's, answers PING and serves a request", async () => {
    const client = await RawClient.open();
    client.send(frame(FrameType.PING, 0, 0, Buffer.from("12345678")), headers(1, get("/hello", [["cookie", "a=1"], ["cookie", "b=2"]])));
    await client.waitFor("the response", () => client.ended(1));
    const settings = readSettings(client.frames.find((f) => f.type === FrameType.SETTINGS && !(f.flags & Flag.ACK))!.payload);
    expect(settings.get(Setting.MAX_CONCURRENT_STREAMS)).toBe(1000);
    expect(settings.get(Setting.INITIAL_WINDOW_SIZE)).toBe(256 * 1024);
    expect(client.frames.some((f) => f.type === FrameType.SETTINGS && f.flags & Flag.ACK)).toBe(true);
    const pong = client.frames.find((f) => f.type === FrameType.PING)!;
    expect(pong.flags & Flag.ACK).toBe(Flag.ACK);
    expect(pong.payload.toString()).toBe("12345678");
    expect(client.headers(1).get(":status")).toBe("200");
    expect(client.headers(1).get("content-type")).toStartWith("application/json");
    expect(client.headers(1).get("date")).toMatch(/ GMT$/);
    // :authority becomes Host; cookie crumbs are joined as one field.
    expect(JSON.parse(client.body(1))).toEqual({ method: "GET", path: "/hello", host: "localhost", cookie: "a=1; b=2" });
    client.close();
  });

  test("a connection that does not open with the preface and SETTINGS gets GOAWAY PROTOCOL_ERROR and is closed", async () => {
    const wrong = await RawClient.open([], false);
    wrong.send(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await wrong.waitFor("the close", () => wrong.closed);
    expect(wrong.goaway()).toBe(ErrorCode.PROTOCOL_ERROR);

    const noSettings = await RawClient.open([], false);
    noSettings.send(PREFACE, headers(1, get("/")));
    await noSettings.waitFor("the close", () => noSettings.closed);
    expect(noSettings.goaway()).toBe(ErrorCode.PROTOCOL_ERROR);
    expect(noSettings.of(1)).toEqual([]);
  });

  test("malformed requests are reset with PROTOCOL_ERROR and the connection goes on", async () => {
    const client = await RawClient.open();
    client.send(
      headers(1, get("/", [["X-Upper", "1"]])),
      headers(3, [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"]]),
      headers(5, get("/", [["connection", "keep-alive"]])),
      headers(7, [["accept", "*/*"], ...get("/")]),
      headers(9, get("/", [["content-length", "5"]])), // END_STREAM with a body announced
      headers(11, get("/fine")),
    );
    await client.waitFor("the good response", () => client.ended(11));
    for (const id of [1, 3, 5, 7, 9]) expect(client.reset(id)).toBe(ErrorCode.PROTOCOL_ERROR);
    expect(JSON.parse(client.body(11)).path).toBe("/fine");
    expect(client.goaway()).toBeUndefined();
    client.close();
  });

  test("a header list over 1 MiB is answered 431, and the header table stays in step for the next request", async () => {
    const client = await RawClient.open();
    // "x-big: a*4000" enters the dynamic table (index 62; it fits the 4,096-byte table) and is
    // referred to 269 times more: a block of ~4 KB that decodes to ~1.09 MB.
    const big = Buffer.concat([Buffer.from([0x40, 5]), Buffer.from("x-big"), Buffer.from([0x7f, 0xa1, 0x1e]), Buffer.alloc(4000, 0x61), Buffer.alloc(269, 0xbe)]);
    client.send(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, Buffer.concat([block(get("/too-big")), big])));
    await client.waitFor("the refusal", () => client.ended(1));
    expect(client.headers(1).get(":status")).toBe("431");
    expect(client.body(1)).toContain("Request Header Fields Too Large");
    // The next request refers to the entry the refused one added.
    client.send(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 3, Buffer.concat([block(get("/after")), Buffer.from([0xbe])])));
    await client.waitFor("the next response", () => client.ended(3));
    expect(JSON.parse(client.body(3)).path).toBe("/after");
    client.close();
  });

  test("a header block continued over CONTINUATION frames is served; another frame in between is a connection error", async () => {
    const client = await RawClient.open();
    const whole = block(get("/continued"));
    client.send(frame(FrameType.HEADERS, Flag.END_STREAM, 1, whole.subarray(0, 5)), frame(FrameType.CONTINUATION, 0, 1, whole.subarray(5, 12)), frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, whole.subarray(12)));
    await client.waitFor("the response", () => client.ended(1));
    expect(JSON.parse(client.body(1)).path).toBe("/continued");
    client.send(frame(FrameType.HEADERS, Flag.END_STREAM, 3, whole.subarray(0, 5)), frame(FrameType.PING, 0, 0, Buffer.alloc(8)));
    await client.waitFor("the close", () => client.closed);
    expect(client.goaway()).toBe(ErrorCode.PROTOCOL_ERROR);
  });

  test("a frame larger than 16 KiB is a FRAME_SIZE_ERROR; a window update past 2^31-1 a FLOW_CONTROL_ERROR", async () => {
    const large = await RawClient.open();
    large.send(frame(FrameType.PING, 0, 0, Buffer.alloc(16_385)));
    await large.waitFor("the close", () => large.closed);
    expect(large.goaway()).toBe(ErrorCode.FRAME_SIZE_ERROR);

    const overflow = await RawClient.open();
    overflow.send(windowUpdateFrame(0, 0x7fffffff));
    await overflow.waitFor("the close", () => overflow.closed);
    expect(overflow.goaway()).toBe(ErrorCode.FLOW_CONTROL_ERROR);
  });

  test("a stream whose window is used up waits for WINDOW_UPDATE while the other streams go on", async () => {
    // Streams may take 1,000 bytes before the client gives more.
    const client = await RawClient.open([[Setting.INITIAL_WINDOW_SIZE, 1000]]);
    client.send(headers(1, get("/big?size=50000")), headers(3, get("/big?size=300")));
    await client.waitFor("the small response", () => client.ended(3));
    await Bun.sleep(50);
    expect(client.body(3)).toBe("x".repeat(300));
    expect(client.body(1).length).toBe(1000);
    expect(client.ended(1)).toBe(false);
    client.send(windowUpdateFrame(1, 49_000));
    await client.waitFor("the big response", () => client.ended(1));
    expect(client.body(1)).toBe("x".repeat(50_000));
    client.close();
  });

  test("the connection window is shared: a stream that has it all leaves the next to wait for a connection WINDOW_UPDATE", async () => {
    const client = await RawClient.open([[Setting.INITIAL_WINDOW_SIZE, 1 << 20]]);
    client.send(headers(1, get("/big?size=65535")));
    await client.waitFor("the first response", () => client.ended(1));
    client.send(headers(3, get("/big?size=100")));
    await Bun.sleep(100);
    expect(client.body(3)).toBe("");
    client.send(windowUpdateFrame(0, 100));
    await client.waitFor("the second response", () => client.ended(3));
    expect(client.body(3)).toBe("x".repeat(100));
    client.close();
  });

  test("a client that stops reading its socket gets the rest once it reads again, windows wide open", async () => {
    const client = await RawClient.open([[Setting.INITIAL_WINDOW_SIZE, 0x7fffffff]]);
    client.send(windowUpdateFrame(0, 0x7fffffff - 65_535));
    client.socket.pause();
    client.send(headers(1, get("/big?size=20000000")), headers(3, get("/big?size=1000")));
    await Bun.sleep(300);
    client.socket.resume();
    await client.waitFor("both responses", () => client.ended(1) && client.ended(3), 20_000);
    expect(client.body(3)).toBe("x".repeat(1000));
    expect(client.body(1).length).toBe(20_000_000);
    expect(client.body(1)).toBe("x".repeat(20_000_000));
    client.close();
  });

  test("a reset from the client ends its stream; the connection goes on", async () => {
    const client = await RawClient.open([[Setting.INITIAL_WINDOW_SIZE, 10]]);
    client.send(headers(1, get("/big?size=1000")));
    await client.waitFor("the first bytes", () => client.body(1).length === 10);
    // A window update for the stream after the reset is ignored (it may have been in flight).
    client.send(frame(FrameType.RST_STREAM, 0, 1, Buffer.from([0, 0, 0, 8])), windowUpdateFrame(1, 1000), headers(3, get("/after")), windowUpdateFrame(3, 1000));
    await client.waitFor("the next response", () => client.ended(3));
    expect(client.body(1).length).toBe(10);
    expect(client.goaway()).toBeUndefined();
    client.close();
  });

  test("a header block for a stream already answered and closed is dropped, and the connection goes on", async () => {
    const client = await RawClient.open();
    client.send(headers(1, get("/first")));
    await client.waitFor("the first response", () => client.ended(1));
    // Trailers for stream 1, as a client might send them before it saw the response end.
    client.send(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, block([["x-trailer", "1"]])), headers(3, get("/second")));
    await client.waitFor("the second response", () => client.ended(3));
    expect(JSON.parse(client.body(3)).path).toBe("/second");
    expect(client.goaway()).toBeUndefined();
    client.close();
  });

  test("HEAD gets the headers and no body", async () => {
    const client = await RawClient.open();
    client.send(headers(1, [[":method", "HEAD"], [":scheme", "https"], [":path", "/big?size=500"], [":authority", "localhost"]]));
    await client.waitFor("the response", () => client.ended(1));
    expect(client.headers(1).get(":status")).toBe("200");
    expect(client.body(1)).toBe("");
  });

  test("streams beyond the 1,000 announced are refused with REFUSED_STREAM, and taken again once others finish", async () => {
    const client = await RawClient.open();
    const opened: Buffer[] = [];
    for (let id = 1; id <= 2001; id += 2) opened.push(headers(id, get("/held")));
    client.send(...opened);
    await client.waitFor("the refusal", () => client.reset(2001) !== undefined);
    expect(client.reset(2001)).toBe(ErrorCode.REFUSED_STREAM);
    expect(client.frames.filter((f) => f.type === FrameType.RST_STREAM).length).toBe(1);
    releaseHeld();
    await client.waitFor("the held responses", () => client.ended(1999));
    client.send(headers(2003, get("/after")));
    await client.waitFor("a new stream", () => client.ended(2003));
    expect(JSON.parse(client.body(2003)).path).toBe("/after");
    client.close();
    held = new Promise<void>((resolve) => (releaseHeld = resolve));
  });
});

describe("h2 bodies through node:http2's client", () => {
  function post(path: string, body: Buffer, withLength: boolean): Promise<{ status: number; text: string }> {
    const session = connect(listener.url, { ca: ca.certPem });
    session.on("error", () => {});
    return new Promise((resolve, reject) => {
      const stream = session.request({ ":method": "POST", ":path": path, ...(withLength ? { "content-length": String(body.length) } : {}) });
      let status = 0;
      let text = "";
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.on("data", (chunk) => (text += chunk));
      stream.on("end", () => {
        session.close();
        resolve({ status, text });
      });
      stream.on("error", reject);
      stream.end(body);
    });
  }

  test("bodies larger than the stream window arrive whole, with a declared length (read up front) and without (streamed)", async () => {
    for (const [size, withLength] of [
      [2 * 1024 * 1024, true],
      [5 * 1024 * 1024, false],
    ] as const) {
      const body = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) body.writeUInt32BE(i, i);
      const r = await post("/digest", body, withLength);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text)).toEqual({ length: size, sha256: createHash("sha256").update(body).digest("hex") });
    }
  });

  test("a response of several MB arrives whole through a client with the default 64 KiB windows", async () => {
    const session = connect(listener.url, { ca: ca.certPem });
    const text = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ":path": "/big?size=3000000" });
      let out = "";
      stream.setEncoding("latin1");
      stream.on("data", (chunk) => (out += chunk));
      stream.on("end", () => resolve(out));
      stream.on("error", reject);
    });
    session.close();
    expect(text.length).toBe(3_000_000);
  });
});

describe("h2 connection limits", () => {
  test("a client that sends PINGs and reads nothing is cut off with ENHANCE_YOUR_CALM instead of queueing their answers without end", async () => {
    const client = await RawClient.open();
    await client.waitFor("the server's settings", () => client.frames.length > 0);
    client.socket.pause();
    const ping = frame(FrameType.PING, 0, 0, Buffer.alloc(8));
    const burst = Buffer.concat(Array.from({ length: 5000 }, () => ping));
    // 600,000: their answers (10 MB) are more than loopback's socket buffers hold.
    for (let i = 0; i < 120 && !client.closed; i++) {
      client.socket.write(burst);
      await Bun.sleep(2);
    }
    client.socket.resume();
    await client.waitFor("the close", () => client.closed, 10_000);
    expect(client.goaway()).toBe(ErrorCode.ENHANCE_YOUR_CALM);
  });

  test("endless empty CONTINUATION frames are refused", async () => {
    const client = await RawClient.open();
    const empty = frame(FrameType.CONTINUATION, 0, 1);
    client.send(frame(FrameType.HEADERS, Flag.END_STREAM, 1, block(get("/")).subarray(0, 3)), ...Array.from({ length: 1001 }, () => empty));
    await client.waitFor("the close", () => client.closed);
    expect(client.goaway()).toBe(ErrorCode.ENHANCE_YOUR_CALM);
  });
});
