import { expect, test } from "bun:test";
import { PendingBytes } from "./pending-bytes.ts";

test("appends, views and consumes across growth; views handed out are never overwritten", () => {
  const pending = new PendingBytes();
  const expected: number[] = [];
  const views: Array<{ view: Buffer; copy: Buffer }> = [];
  let next = 0;
  for (let round = 0; round < 200; round++) {
    const chunk = Buffer.from(Array.from({ length: 1 + ((round * 37) % 900) }, () => next++ % 251));
    pending.append(chunk);
    expected.push(...chunk);
    if (round % 3 === 0) {
      const view = pending.bytes();
      views.push({ view, copy: Buffer.from(view) });
      const consumed = Math.floor(view.length / 2);
      pending.consume(consumed);
      expected.splice(0, consumed);
    }
    expect([...pending.bytes()]).toEqual(expected);
  }
  for (const { view, copy } of views) expect(view.equals(copy)).toBe(true);
  pending.consume(pending.length);
  expect(pending.length).toBe(0);
  expect(pending.bytes().length).toBe(0);
});

test("a chunk arriving when nothing is pending is kept without a copy", () => {
  const pending = new PendingBytes();
  const chunk = Buffer.from("GET / HTTP/1.1\r\n\r\n");
  pending.append(chunk);
  expect(pending.bytes().buffer).toBe(chunk.buffer);
});

test("indexOf finds a needle that straddles appends, searching each byte about once", () => {
  const pending = new PendingBytes();
  for (const piece of ["GET / HTTP/1.1\r", "\nHost: x\r\n", "\r", "\nrest"]) {
    pending.append(Buffer.from(piece));
    if (piece !== "\nrest") expect(pending.indexOf("\r\n\r\n")).toBe(-1);
  }
  expect(pending.indexOf("\r\n\r\n")).toBe(23);
  pending.consume(27);
  expect(pending.bytes().toString()).toBe("rest");
  // After a consume the search starts from the new beginning.
  pending.append(Buffer.from("\r\n\r\n"));
  expect(pending.indexOf("\r\n\r\n")).toBe(4);
});
