import { describe, expect, test } from "bun:test";
import { plainJson } from "./plain-json.ts";

describe("plainJson", () => {
  test("writes what JSON.stringify writes", () => {
    const values: unknown[] = [
      [{ manager: "m", operation: "Update", fieldsV1: { "f:metadata": { "f:labels": { ".": {}, 'f:we"ird': {}, "f:a\\b": {} } }, 'k:{"name":"c"}': { ".": {} }, "i:1": {} } }],
      { a: undefined, b: () => 1, c: Symbol("s"), d: [undefined, () => 1, NaN, Infinity, -0, 1.5e300], e: "\u0001\ud800x", "\u2028": "line" },
      { when: new Date(0), nested: { toJSON: () => "custom" }, bare: Object.assign(Object.create(null), { x: 1 }) },
      { 10: "integer-like keys first", b: 1, 2: "two" },
      [],
      {},
      "text",
      null,
      true,
      undefined,
    ];
    for (const value of values) expect(plainJson(value)).toBe(JSON.stringify(value));
  });
});
