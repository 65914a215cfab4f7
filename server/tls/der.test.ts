import { describe, expect, test } from "bun:test";
import {
  decodeOid,
  derBoolean,
  derChildren,
  derContent,
  derInteger,
  derNamedBits,
  derOid,
  derSequence,
  derSet,
  derTime,
  derTlv,
  readDer,
} from "./der.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("DER encoder", () => {
  test("integers are minimal and positive", () => {
    expect(hex(derInteger(0))).toBe("020100");
    expect(hex(derInteger(127))).toBe("02017f");
    expect(hex(derInteger(128))).toBe("02020080");
    expect(hex(derInteger(2))).toBe("020102");
    expect(hex(derInteger(Buffer.from([0, 0, 0x12, 0x34])))).toBe("02021234");
    expect(hex(derInteger(Buffer.from([0xff, 0x01])))).toBe("020300ff01");
    expect(() => derInteger(-1)).toThrow();
  });

  test("lengths switch to the long form at 128 bytes", () => {
    expect(hex(derTlv(0x04, Buffer.alloc(127))).slice(0, 4)).toBe("047f");
    expect(hex(derTlv(0x04, Buffer.alloc(128))).slice(0, 6)).toBe("048180");
    expect(hex(derTlv(0x04, Buffer.alloc(300))).slice(0, 8)).toBe("0482012c");
    const node = readDer(derTlv(0x04, Buffer.alloc(300, 7)));
    expect(derContent(node).length).toBe(300);
  });

  test("object identifiers round-trip", () => {
    expect(hex(derOid("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
    expect(hex(derOid("2.5.4.3"))).toBe("0603550403");
    for (const oid of ["2.5.29.17", "1.3.6.1.5.5.7.3.2", "2.999.3", "1.2.840.113549.1.1.11"]) {
      expect(decodeOid(readDer(derOid(oid)))).toBe(oid);
    }
  });

  test("booleans, named bits and sets use the canonical form", () => {
    expect(hex(derBoolean(true))).toBe("0101ff");
    expect(hex(derNamedBits([0]))).toBe("03020780"); // digitalSignature
    expect(hex(derNamedBits([0, 5, 6]))).toBe("03020186"); // + keyCertSign, cRLSign
    expect(hex(derNamedBits([8]))).toBe("0303070080");
    expect(hex(derSet(Buffer.from("0201ff", "hex"), Buffer.from("020101", "hex")))).toBe("3106020101" + "0201ff");
  });

  test("times: UTCTime before 2050, GeneralizedTime from 2050", () => {
    const utc = derTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)));
    expect(utc[0]).toBe(0x17);
    expect(derContent(readDer(utc)).toString()).toBe("260102030405Z");
    const generalized = derTime(new Date(Date.UTC(2051, 11, 31, 23, 59, 59)));
    expect(generalized[0]).toBe(0x18);
    expect(derContent(readDer(generalized)).toString()).toBe("20511231235959Z");
  });

  test("reader walks nested structures", () => {
    const encoded = derSequence(derInteger(5), derSequence(derOid("2.5.4.10")));
    const [first, second] = derChildren(readDer(encoded));
    expect(hex(derContent(first!))).toBe("05");
    expect(decodeOid(derChildren(second!)[0]!)).toBe("2.5.4.10");
    expect(() => readDer(Buffer.from("3005020101", "hex"))).toThrow();
  });
});
