// A minimal DER (ASN.1 Distinguished Encoding Rules) encoder and reader: just what X.509
// certificates need. Go's crypto/x509 rejects non-minimal encodings, so every helper
// produces the canonical form (minimal lengths, minimal integers, no explicit defaults).

/** ASN.1 universal tags used by X.509. */
export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes one tag-length-value element. */
export function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** SEQUENCE of already-encoded elements. */
export function derSequence(...items: Uint8Array[]): Buffer {
  return derTlv(Tag.sequence, Buffer.concat(items));
}

/** SET OF already-encoded elements, sorted by encoding as DER requires. */
export function derSet(...items: Uint8Array[]): Buffer {
  const sorted = [...items].sort((a, b) => Buffer.compare(a, b));
  return derTlv(Tag.set, Buffer.concat(sorted));
}

/** INTEGER from a non-negative number, bigint or unsigned big-endian bytes. */
export function derInteger(value: number | bigint | Uint8Array): Buffer {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else {
    let hex = BigInt(value).toString(16);
    if (hex.startsWith("-")) throw new RangeError("derInteger: negative values are not supported");
    if (hex.length % 2) hex = "0" + hex;
    bytes = Buffer.from(hex, "hex");
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = Buffer.from(bytes.subarray(start));
  const content = trimmed.length === 0 ? Buffer.from([0]) : trimmed;
  return derTlv(Tag.integer, content[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), content]) : content);
}

/** OBJECT IDENTIFIER from dotted notation, e.g. "2.5.4.3". */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split(".").map((arc) => BigInt(arc));
  if (arcs.length < 2) throw new RangeError(`derOid: invalid OID ${dotted}`);
  const out: number[] = [];
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  for (const value of values) {
    const chunk: number[] = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return derTlv(Tag.oid, Buffer.from(out));
}

/** NULL. */
export function derNull(): Buffer {
  return Buffer.from([Tag.null, 0]);
}

/** BOOLEAN (DER: TRUE is 0xff). */
export function derBoolean(value: boolean): Buffer {
  return Buffer.from([Tag.boolean, 1, value ? 0xff : 0]);
}

/** OCTET STRING. */
export function derOctetString(bytes: Uint8Array): Buffer {
  return derTlv(Tag.octetString, bytes);
}

/** BIT STRING whose first `unusedBits` low bits of the last byte are padding. */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return derTlv(Tag.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** BIT STRING of named bits (bit 0 is the most significant), trailing zero bits removed. */
export function derNamedBits(bits: number[]): Buffer {
  if (bits.length === 0) return derBitString(new Uint8Array(0));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return derBitString(bytes, 7 - (highest & 7));
}

/** UTF8String. */
export function derUtf8String(text: string): Buffer {
  return derTlv(Tag.utf8String, Buffer.from(text, "utf8"));
}

/** IA5String (ASCII). */
export function derIa5String(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError(`derIa5String: not ASCII: ${text}`);
  return derTlv(Tag.ia5String, Buffer.from(text, "ascii"));
}

/** X.509 Time: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function derTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const rest =
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    "Z";
  if (year >= 1950 && year < 2050) return derTlv(Tag.utcTime, Buffer.from(pad(year % 100) + rest, "ascii"));
  return derTlv(Tag.generalizedTime, Buffer.from(pad(year, 4) + rest, "ascii"));
}

/** [n] EXPLICIT wrapper around one encoded element. */
export function derExplicit(n: number, element: Uint8Array): Buffer {
  return derTlv(0xa0 | n, element);
}

/** [n] IMPLICIT primitive element with the given raw content. */
export function derImplicit(n: number, content: Uint8Array): Buffer {
  return derTlv(0x80 | n, content);
}

/** One decoded element: its tag and where header, content and element end lie in `bytes`. */
export interface DerNode {
  bytes: Uint8Array;
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the element starting at `offset`. Throws on truncated or indefinite lengths. */
export function readDer(bytes: Uint8Array, offset = 0): DerNode {
  if (offset + 2 > bytes.length) throw new RangeError("DER: truncated element");
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new RangeError("DER: multi-byte tags are not supported");
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new RangeError("DER: unsupported length encoding");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > bytes.length) throw new RangeError("DER: element exceeds buffer");
  return { bytes, tag, start: offset, contentStart, end };
}

/** The children of a constructed element. */
export function derChildren(node: DerNode): DerNode[] {
  const children: DerNode[] = [];
  for (let offset = node.contentStart; offset < node.end; ) {
    const child = readDer(node.bytes, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The content bytes of an element. */
export function derContent(node: DerNode): Buffer {
  return Buffer.from(node.bytes.subarray(node.contentStart, node.end));
}

/** The whole encoding (header and content) of an element. */
export function derRaw(node: DerNode): Buffer {
  return Buffer.from(node.bytes.subarray(node.start, node.end));
}

/** Decodes an OBJECT IDENTIFIER element to dotted notation. */
export function decodeOid(node: DerNode): string {
  const content = derContent(node);
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join(".");
}
