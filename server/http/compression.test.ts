import { expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { acceptsGzip, encodeBody, gzipThresholdBytes } from "./compression.ts";

test("the gzip token is recognised among other codings, as kube-apiserver reads Accept-Encoding", () => {
  expect(acceptsGzip("gzip")).toBe(true);
  expect(acceptsGzip("deflate, gzip")).toBe(true);
  expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
  expect(acceptsGzip("br")).toBe(false);
  expect(acceptsGzip("")).toBe(false);
  expect(acceptsGzip(null)).toBe(false);
  expect(acceptsGzip("x-gzip")).toBe(false);
});

test("only bodies over 128 KiB are compressed, and they round-trip", () => {
  const small = new Uint8Array(gzipThresholdBytes).fill(65);
  expect(encodeBody(small, "gzip")).toEqual({ bytes: small, gzipped: false });
  const text = JSON.stringify({ items: Array.from({ length: 10000 }, (_, i) => ({ name: `pod-${i}`, note: "é" })) });
  const large = new TextEncoder().encode(text);
  expect(large.byteLength).toBeGreaterThan(gzipThresholdBytes);
  expect(encodeBody(large, "br")).toEqual({ bytes: large, gzipped: false });
  const gz = encodeBody(large, "gzip");
  expect(gz.gzipped).toBe(true);
  expect(gz.bytes.byteLength).toBeLessThan(large.byteLength / 4);
  expect(new Uint8Array(gunzipSync(gz.bytes))).toEqual(large);
});

test("strings and string parts are encoded as UTF-8, whole or gzipped, and the scratch buffer is reused safely", () => {
  const parts = Array.from({ length: 4000 }, (_, i) => `{"name":"pod-${i}","note":"ünïcødé ✓"},`);
  const joined = parts.join("");
  const expected = new TextEncoder().encode(joined);
  expect(new Uint8Array(encodeBody(parts, null).bytes)).toEqual(expected);
  expect(new Uint8Array(encodeBody(joined, "deflate").bytes)).toEqual(expected);
  const first = encodeBody(parts, "gzip");
  const second = encodeBody(parts.slice(0, 3000), "gzip, deflate");
  expect(first.gzipped && second.gzipped).toBe(true);
  expect(new Uint8Array(gunzipSync(first.bytes))).toEqual(expected);
  expect(gunzipSync(second.bytes).toString()).toBe(parts.slice(0, 3000).join(""));
});
