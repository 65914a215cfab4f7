import { describe, expect, test } from "bun:test";
import { WatchStreamParser } from "./watch-stream.ts";

// Events whose resourceVersion sits at different depths: near the start, and after fields of
// growing size (in the server's watch events it follows the labels and annotations).
const events = Array.from({ length: 40 }, (_, i) => {
  const metadata = { name: `pod-${i}`, resourceVersion: String(1000 + i) };
  const object = i % 2 ? { kind: "Pod", spec: { padding: "x".repeat(i * 211) }, metadata } : { kind: "Pod", metadata, spec: { padding: "y".repeat(i * 97) } };
  return `${JSON.stringify({ type: "MODIFIED", object })}\n`;
});
const wire = Buffer.from(
  "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n" +
    events.map((e) => `${Buffer.byteLength(e).toString(16)}\r\n${e}\r\n`).join("") +
    // A chunk holding two lines, the second without a resourceVersion.
    ((two) => `${Buffer.byteLength(two).toString(16)}\r\n${two}\r\n`)('{"type":"ADDED","object":{"metadata":{"resourceVersion":"2000"}}}\n{"type":"ERROR"}\n') +
    // A line in two chunks, cut inside the resourceVersion's digits.
    ['{"type":"DELETED","object":{"metadata":{"resourceVersion":"30', '01"}}}\n'].map((part) => `${part.length.toString(16)}\r\n${part}\r\n`).join("") +
    "0\r\n\r\n",
  "latin1",
);

function parse(pieceSize: (offset: number) => number) {
  const seen: { rv: string | undefined; at: number }[] = [];
  let status = 0;
  const parser = new WatchStreamParser(
    (s) => (status = s),
    (rv, at) => seen.push({ rv, at }),
  );
  let read = 0;
  for (let offset = 0; offset < wire.length; read++) {
    const end = Math.min(wire.length, offset + pieceSize(offset));
    parser.feed(wire.subarray(offset, end), read);
    offset = end;
  }
  return { status, seen, ended: parser.ended, reads: read };
}

const expected = [...events.map((_, i) => String(1000 + i)), "2000", undefined, "3001"];

describe("watch stream parser (bench client)", () => {
  test("the whole response in one read", () => {
    const { status, seen, ended } = parse(() => Infinity);
    expect(status).toBe(200);
    expect(seen.map((e) => e.rv)).toEqual(expected);
    expect(ended).toBe(true);
  });

  test("one byte per read: every marker, size line and CRLF is cut somewhere", () => {
    const { status, seen, ended } = parse(() => 1);
    expect(status).toBe(200);
    expect(seen.map((e) => e.rv)).toEqual(expected);
    expect(ended).toBe(true);
  });

  test("reads of every size from 2 to 97 bytes", () => {
    for (let size = 2; size < 98; size++) {
      const { seen, ended } = parse(() => size);
      expect(seen.map((e) => e.rv)).toEqual(expected);
      expect(ended).toBe(true);
    }
  });

  test("an event is stamped with the read that ends its line", () => {
    // The first event's newline is the last byte of read 0 when reads end right after it.
    const firstLineEnd = wire.indexOf("\n", wire.indexOf("\r\n\r\n") + 4 + events[0]!.length - 1);
    const { seen } = parse((offset) => (offset === 0 ? firstLineEnd + 1 : 10));
    expect(seen[0]).toEqual({ rv: "1000", at: 0 });
    expect(seen[1]!.at).toBeGreaterThan(0);
  });

  test("a response other than 200 is reported", () => {
    let status = 0;
    new WatchStreamParser((s) => (status = s), () => {}).feed(Buffer.from("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n"), 0);
    expect(status).toBe(403);
  });
});
