import { describe, expect, test } from "bun:test";
import { connect, createServer, type TLSSocket } from "node:tls";
import { writeReused, writeToSocket } from "./native-write.ts";
import type { Sink } from "./direct-write.ts";
import { createCa, issueServingCert } from "./x509.ts";

/** A socket whose native handle takes at most `room` bytes per write; the rest goes through its Writable. */
function fakeSocket(opts: { room?: number; queued?: number; handle?: boolean }) {
  const native: string[] = [];
  const callbacks: (() => void)[] = [];
  const socket = {
    writableLength: opts.queued ?? 0,
    _handle: opts.handle === false ? null : { write: (data: Uint8Array) => (native.push(Buffer.from(data.subarray(0, opts.room ?? data.length)).toString()), Math.min(opts.room ?? data.length, data.length)) },
    write(data: Uint8Array, callback: () => void) {
      // Kept as given, as a Writable keeps a chunk until it is sent: read when the test looks.
      queued.push(data);
      callbacks.push(callback);
      return true;
    },
  };
  const queued: Uint8Array[] = [];
  return {
    socket: socket as unknown as Sink,
    native,
    get streamed() {
      return queued.map((data) => Buffer.from(data).toString());
    },
    callbacks,
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("writeToSocket", () => {
  test("the native socket takes the whole write: nothing goes through the Writable", () => {
    const s = fakeSocket({});
    expect(writeToSocket(s.socket, bytes("event-1"), () => {})).toBe(true);
    expect(s.native).toEqual(["event-1"]);
    expect(s.streamed).toEqual([]);
  });

  test("what the native socket did not take follows through the Writable, which reports it sent", () => {
    const s = fakeSocket({ room: 3 });
    let sent = 0;
    expect(writeToSocket(s.socket, bytes("event-1"), () => sent++)).toBe(false);
    expect(s.native).toEqual(["eve"]);
    expect(s.streamed).toEqual(["nt-1"]);
    s.callbacks[0]!();
    expect(sent).toBe(1);
  });

  test("a native socket that takes nothing (full) leaves the whole write to the Writable", () => {
    const s = fakeSocket({ room: 0 });
    expect(writeToSocket(s.socket, bytes("event-1"), () => {})).toBe(false);
    expect(s.streamed).toEqual(["event-1"]);
  });

  test("bytes already waiting in the Writable keep the new write behind them", () => {
    const s = fakeSocket({ queued: 100 });
    expect(writeToSocket(s.socket, bytes("event-2"), () => {})).toBe(false);
    expect(s.native).toEqual([]);
    expect(s.streamed).toEqual(["event-2"]);
  });

  test("writeReused: the part queued in the Writable is a copy, so the caller may reuse its buffer at once", () => {
    const s = fakeSocket({ room: 3 });
    const reused = Buffer.from("event-1");
    writeReused(s.socket, reused);
    reused.write("XXXXXXX");
    expect(s.native).toEqual(["eve"]);
    expect(s.streamed).toEqual(["nt-1"]);
  });

  test("a socket without Bun's native handle is written through its Writable", () => {
    const s = fakeSocket({ handle: false });
    expect(writeToSocket(s.socket, bytes("event-1"), () => {})).toBe(false);
    expect(s.streamed).toEqual(["event-1"]);
  });
});

test("Bun's node:tls server sockets have the native handle this writes to, and the client reads what it wrote", async () => {
  const ca = createCa("native-write-test-ca");
  const serving = issueServingCert(ca, { dnsNames: ["localhost"], ips: ["127.0.0.1"] });
  const accepted = Promise.withResolvers<TLSSocket>();
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, (socket) => accepted.resolve(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect({ host: "127.0.0.1", port, ca: ca.certPem, servername: "localhost" });
  let received = "";
  client.on("data", (chunk) => (received += chunk.toString()));
  const socket = await accepted.promise;
  // The fast path is taken: the whole write goes to the native socket at once.
  expect(writeToSocket(socket as unknown as Sink, bytes("first,"), () => {})).toBe(true);
  writeToSocket(socket as unknown as Sink, bytes("second"), () => {});
  for (let i = 0; i < 100 && received.length < 12; i++) await Bun.sleep(10);
  expect(received).toBe("first,second");
  client.destroy();
  socket.destroy();
  server.close();
});
