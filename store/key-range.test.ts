import { expect, test } from "bun:test";
import { decodeContinue, encodeContinue } from "./continue-token.ts";
import { InvalidContinueError } from "./errors.ts";
import { keySuccessor, prefixEnd } from "./key-range.ts";

test("prefixEnd bounds exactly the keys that start with the prefix", () => {
  expect(prefixEnd("/a/b/")).toBe("/a/b0");
  expect(prefixEnd("")).toBeNull();
  expect(prefixEnd("x\u{10ffff}")).toBe("y");
  expect(prefixEnd("\u{10ffff}")).toBeNull();
  expect(prefixEnd("a\ud7ff")).toBe("a\ue000");
  const end = prefixEnd("/ns/é")!;
  const utf8 = (s: string) => Buffer.from(s, "utf8");
  for (const inside of ["/ns/é", "/ns/éz", "/ns/é\u{10ffff}"]) {
    expect(Buffer.compare(utf8(inside), utf8(end))).toBe(-1);
  }
  for (const outside of ["/ns/ê", "/ns/ê/", "/ns/\u{1f600}"]) {
    expect(Buffer.compare(utf8(outside), utf8(end))).toBeGreaterThanOrEqual(0);
  }
  for (const below of ["/ns/f", "/ns/e\u{10ffff}"]) expect(Buffer.compare(utf8(below), utf8("/ns/é"))).toBe(-1);
});

test("keySuccessor is the next key in binary order", () => {
  expect(keySuccessor("/a") > "/a").toBe(true);
  expect(keySuccessor("/a") < "/a\u0001").toBe(true);
});

test("continue tokens round-trip and are tied to their prefix", () => {
  const token = encodeContinue({ revision: 42, lastKey: "/p/x" });
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(decodeContinue(token, "/p/")).toEqual({ revision: 42, lastKey: "/p/x" });
  expect(() => decodeContinue(token, "/q/")).toThrow(InvalidContinueError);
  expect(() => decodeContinue("%%%", "/p/")).toThrow(InvalidContinueError);
  expect(() => decodeContinue(encodeContinue({ revision: -1, lastKey: "/p/x" }), "/p/")).toThrow(InvalidContinueError);
});
