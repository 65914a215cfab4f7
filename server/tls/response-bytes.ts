// A whole response (head and body) is put together in one reused buffer and written from
// there. Making a fresh buffer for the head, another for the body and a third to join them
// cost ~10 µs per small response under load on the bench machine (the fresh memory is
// faulted in, then collected), more than writing the bytes themselves.
import { byteLengthOf, type BodyParts } from "../http/compression.ts";

/** Responses larger than this are made in a buffer of their own. */
const reusedBytes = 256 * 1024;
let reused: Buffer | undefined;

/** Whether `bytes` are in the reused buffer (the next responseBytes() overwrites them). */
export function inReusedBuffer(bytes: Uint8Array): boolean {
  return reused !== undefined && bytes.buffer === reused.buffer;
}

/**
 * `head` (latin1 text) followed by `body`, in the reused buffer when they fit: the caller must
 * be done with the bytes (or have copied them) before the next call.
 */
export function responseBytes(head: string, body: BodyParts | undefined): Buffer {
  const size = head.length + (body === undefined ? 0 : byteLengthOf(body));
  const target = size <= reusedBytes ? (reused ??= Buffer.allocUnsafe(reusedBytes)) : Buffer.allocUnsafe(size);
  let offset = target.write(head, 0, "latin1");
  if (body instanceof Uint8Array) {
    target.set(body, offset);
    offset += body.byteLength;
  } else if (typeof body === "string") {
    offset += target.write(body, offset, "utf8");
  } else if (body) {
    for (const part of body) offset += target.write(part, offset, "utf8");
  }
  return target.subarray(0, offset);
}
