import { describe, expect, test } from "bun:test";
import { ProtoReader, ProtoWriter, ProtobufError, WireType } from "./wire.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("protobuf wire format", () => {
  test("varints round-trip, including int64 values past 2^32 and negatives", () => {
    for (const n of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 40 + 5, -1, -600, -(2 ** 40)]) {
      const bytes = new ProtoWriter().varint(n).finish();
      expect(new ProtoReader(bytes).int64()).toBe(n);
    }
    expect(hex(new ProtoWriter().varint(300).finish())).toBe("ac02");
    expect(hex(new ProtoWriter().varint(-1).finish())).toBe("ffffffffffffffffff01");
  });

  test("int32 reads a sign-extended negative", () => {
    expect(new ProtoReader(Buffer.from("ffffffffffffffffff01", "hex")).int32()).toBe(-1);
  });

  test("strings, bytes and doubles", () => {
    const bytes = new ProtoWriter().tag(1, WireType.bytes).string("héllo").tag(2, WireType.fixed64).double(1.5).finish();
    const r = new ProtoReader(bytes);
    expect(r.tag()).toEqual([1, WireType.bytes]);
    expect(r.string()).toBe("héllo");
    expect(r.tag()).toEqual([2, WireType.fixed64]);
    expect(r.double()).toBe(1.5);
    expect(r.done()).toBe(true);
  });

  test("skips unknown fields of every wire type", () => {
    const bytes = Buffer.from("08961f" + "110300000000000000" + "1a0161" + "2504000000", "hex");
    const r = new ProtoReader(bytes);
    while (!r.done()) r.skip(r.tag()[1]);
    expect(r.pos).toBe(bytes.length);
  });

  test("truncated input is a ProtobufError, not a crash", () => {
    const r = new ProtoReader(Buffer.from("0a05616263", "hex"));
    r.tag();
    expect(() => r.bytes()).toThrow(ProtobufError);
    expect(() => new ProtoReader(Buffer.from("80", "hex")).varint()).toThrow(ProtobufError);
  });
});
