import { describe, expect, test } from "bun:test";
import { Flag, FrameReader, FrameType, frame, getRequestBlock, readSettings, responseStatus, settingsFrame, windowUpdateFrame } from "./h2-frames.ts";

/** A DATA frame with `padding` bytes of padding (PADDED when padding is given). */
function dataFrame(streamId: number, content: string, padding?: number, flags = 0): Buffer {
  if (padding === undefined) return frame(FrameType.DATA, flags, streamId, Buffer.from(content));
  return frame(FrameType.DATA, flags | Flag.PADDED, streamId, Buffer.concat([Buffer.from([padding]), Buffer.from(content), Buffer.alloc(padding, 0xee)]));
}

const wire = Buffer.concat([
  settingsFrame([[3, 250]]),
  frame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.from([0x88])),
  dataFrame(1, "first line\nsecond "),
  dataFrame(3, "other stream, padded\n", 7),
  dataFrame(1, "line\n", 0),
  frame(FrameType.PING, 0, 0, Buffer.from("12345678")),
  dataFrame(3, "", undefined, Flag.END_STREAM),
  dataFrame(1, "x".repeat(300), 255),
]);

function read(pieceSize: (offset: number) => number) {
  const content = new Map<number, string>();
  const events: string[] = [];
  const reader = new FrameReader({
    data: (id, data, start, end) => content.set(id, (content.get(id) ?? "") + data.toString("latin1", start, end)),
    dataEnd: (id, flags, length) => events.push(`DATA ${id} ${flags} ${length}`),
    frame: (type, flags, id, payload) => events.push(`${type} ${flags} ${id} ${payload.toString("hex")}`),
  });
  for (let offset = 0; offset < wire.length; ) {
    const end = Math.min(wire.length, offset + pieceSize(offset));
    reader.feed(wire.subarray(offset, end));
    offset = end;
  }
  return { content: Object.fromEntries(content), events };
}

const expected = {
  content: { 1: `first line\nsecond line\n${"x".repeat(300)}`, 3: "other stream, padded\n" },
  events: [
    `${FrameType.SETTINGS} 0 0 0003000000fa`,
    `${FrameType.HEADERS} ${Flag.END_HEADERS} 1 88`,
    "DATA 1 0 18",
    "DATA 3 8 29",
    "DATA 1 8 6",
    `${FrameType.PING} 0 0 ${Buffer.from("12345678").toString("hex")}`,
    `DATA 3 ${Flag.END_STREAM} 0`,
    "DATA 1 8 556",
  ],
};

describe("h2 frame reader (bench h2 watch client)", () => {
  test("all frames in one read: DATA content without pad length or padding, flow-control length with them", () => {
    expect(read(() => Infinity)).toEqual(expected);
  });

  test("reads of every size from 1 to 40 bytes cut headers, pad lengths, content and padding anywhere", () => {
    for (let size = 1; size <= 40; size++) expect(read(() => size)).toEqual(expected);
  });

  test("a read ending exactly at a frame boundary, then the next frame's header in pieces", () => {
    const firstEnd = 9 + 6;
    expect(read((offset) => (offset === 0 ? firstEnd : 4))).toEqual(expected);
  });
});

describe("frames a client writes", () => {
  test("frame header: 24-bit length, type, flags, stream id without the reserved bit", () => {
    const f = frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 0x80000005, Buffer.from("abc"));
    expect(f.toString("hex")).toBe("0000030105" + "00000005" + Buffer.from("abc").toString("hex"));
  });

  test("SETTINGS and WINDOW_UPDATE payloads", () => {
    const settings = settingsFrame([
      [2, 0],
      [4, 4 << 20],
    ]);
    expect(readSettings(settings.subarray(9))).toEqual(
      new Map([
        [2, 0],
        [4, 4 << 20],
      ]),
    );
    expect(windowUpdateFrame(0, (1 << 30) - 65_535).toString("hex")).toBe("000004080000000000" + (2 ** 30 - 65_535).toString(16).padStart(8, "0"));
  });
});

describe("HPACK", () => {
  test("the GET request block: static indexed method and scheme, literals with static names, long values with multi-byte lengths", () => {
    const path = `/api/v1/pods?watch=true&resourceVersion=1&${"l".repeat(200)}`;
    const block = getRequestBlock("127.0.0.1:6443", path, { accept: "application/json", userAgent: "ua" });
    expect([...block.subarray(0, 3)]).toEqual([0x82, 0x87, 0x01]);
    expect(block[3]).toBe("127.0.0.1:6443".length);
    const pathAt = 4 + "127.0.0.1:6443".length;
    // :path (static 4) without indexing; its length 251 = 127 + 124 in a 7-bit prefix.
    expect([...block.subarray(pathAt, pathAt + 3)]).toEqual([0x04, 0x7f, path.length - 127]);
    expect(block.toString("latin1", pathAt + 3, pathAt + 3 + path.length)).toBe(path);
    // accept is static 19 and user-agent 58: over the 4-bit prefix, so 15 then the rest.
    const acceptAt = pathAt + 3 + path.length;
    expect([...block.subarray(acceptAt, acceptAt + 3)]).toEqual([0x0f, 19 - 15, "application/json".length]);
    expect([...block.subarray(block.length - 5)]).toEqual([0x0f, 58 - 15, 2, 0x75, 0x61]);
  });

  test("status: indexed static entries, literals with a static :status name, after a table size update", () => {
    expect(responseStatus(Buffer.from([0x88, 0x5f]))).toBe(200);
    expect(responseStatus(Buffer.from([0x8d]))).toBe(404);
    expect(responseStatus(Buffer.from([0x48, 0x03, ...Buffer.from("403")]))).toBe(403);
    expect(responseStatus(Buffer.from([0x08, 0x03, ...Buffer.from("410")]))).toBe(410);
    expect(responseStatus(Buffer.from([0x3f, 0xe1, 0x1f, 0x88]))).toBe(200);
  });

  test("status forms not read here are undefined, not guessed", () => {
    expect(responseStatus(Buffer.from([0xbe]))).toBeUndefined(); // dynamic table entry
    expect(responseStatus(Buffer.from([0x48, 0x82, 0x10, 0x01]))).toBeUndefined(); // Huffman-coded value
    expect(responseStatus(Buffer.from([0x41, 0x03, ...Buffer.from("abc")]))).toBeUndefined(); // not :status
    expect(responseStatus(Buffer.alloc(0))).toBeUndefined();
  });
});
