import { expect, test } from "bun:test";
import { inReusedBuffer, responseBytes } from "./response-bytes.ts";

const head = "HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n";

test("the head and a body of bytes, a string or string parts, UTF-8 encoded after the latin1 head", () => {
  expect(responseBytes(head, new TextEncoder().encode("{\"a\":\"é\"}")).toString()).toBe(`${head}{"a":"é"}`);
  expect(responseBytes(head, '{"a":"é"}').toString()).toBe(`${head}{"a":"é"}`);
  expect(responseBytes(head, ['{"a":', '"é"}']).toString()).toBe(`${head}{"a":"é"}`);
  expect(responseBytes(head, undefined).toString()).toBe(head);
});

test("small responses share one buffer (the next call overwrites it); a large one gets its own", () => {
  const first = responseBytes(head, "first");
  const second = responseBytes(head, "second");
  expect(first.buffer).toBe(second.buffer);
  expect(inReusedBuffer(second)).toBe(true);
  expect(second.toString()).toBe(`${head}second`);
  const large = "x".repeat(300 * 1024);
  const big = responseBytes(head, large);
  expect(big.buffer).not.toBe(second.buffer);
  expect(inReusedBuffer(big)).toBe(false);
  expect(big.byteLength).toBe(head.length + large.length);
  expect(responseBytes(head, "third").buffer).toBe(second.buffer);
});
