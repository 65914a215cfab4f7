// The little of HTTP/2 (RFC 9113) and HPACK (RFC 7541) that the h2 watch fan-out client
// (bench/support/h2-watchers.ts) needs: the frames (the server's own reader and encoders,
// server/tls/h2-frames.ts), request headers encoded without a dynamic table, and the status of
// a response.

export { Flag, FrameReader, FrameType, PREFACE, Setting, frame, readSettings, settingsFrame, windowUpdateFrame, type FrameHandler } from "../../server/tls/h2-frames.ts";

// ---------------------------------------------------------------- HPACK

/** An HPACK integer with an N-bit prefix, the prefix's other bits given in `first`. */
function hpackInteger(value: number, prefixBits: number, first: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [first | value];
  const out = [first | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return out;
}

/** A literal field without indexing whose name is static table entry `nameIndex`; the value is not Huffman-coded. */
function literal(nameIndex: number, value: string): number[] {
  const bytes = [...Buffer.from(value, "latin1")];
  return [...hpackInteger(nameIndex, 4, 0x00), ...hpackInteger(bytes.length, 7, 0x00), ...bytes];
}

// Static table entries (RFC 7541 appendix A).
const STATIC = { authority: 1, methodGet: 2, path: 4, schemeHttps: 7, accept: 19, userAgent: 58 } as const;

/** The header block of a GET request, using the static table only (nothing for the server to remember). */
export function getRequestBlock(authority: string, path: string, headers: { accept: string; userAgent: string }): Buffer {
  return Buffer.from([
    0x80 | STATIC.methodGet,
    0x80 | STATIC.schemeHttps,
    ...literal(STATIC.authority, authority),
    ...literal(STATIC.path, path),
    ...literal(STATIC.accept, headers.accept),
    ...literal(STATIC.userAgent, headers.userAgent),
  ]);
}

// Static entries 8-14 are ":status" with these values; any of them may also name a literal.
const STATIC_STATUS: Record<number, number> = { 8: 200, 9: 204, 10: 206, 11: 304, 12: 400, 13: 404, 14: 500 };

/** Reads an HPACK integer with an N-bit prefix at block[pos]: its value and the position after it. */
function readInteger(block: Buffer, pos: number, prefixBits: number): [number, number] {
  const max = (1 << prefixBits) - 1;
  let value = block[pos]! & max;
  pos++;
  if (value < max) return [value, pos];
  for (let shift = 0; pos < block.length; shift += 7) {
    const b = block[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  return [value, pos];
}

/**
 * The `:status` of a response header block, which HTTP/2 puts first, or undefined when it is not
 * one of the forms read here (an indexed static entry, or a literal with a static name and a
 * plain value) — servers send 200 as the single byte 0x88.
 */
export function responseStatus(block: Buffer): number | undefined {
  let pos = 0;
  // Dynamic table size updates (001xxxxx) may come first.
  while (pos < block.length && (block[pos]! & 0xe0) === 0x20) pos = readInteger(block, pos, 5)[1];
  if (pos >= block.length) return undefined;
  const b = block[pos]!;
  if (b & 0x80) return STATIC_STATUS[readInteger(block, pos, 7)[0]];
  const [nameIndex, next] = readInteger(block, pos, (b & 0xc0) === 0x40 ? 6 : 4);
  if (STATIC_STATUS[nameIndex] === undefined || next >= block.length || block[next]! & 0x80) return undefined;
  const [length, start] = readInteger(block, next, 7);
  const status = Number(block.toString("latin1", start, start + length));
  return Number.isInteger(status) ? status : undefined;
}
