// HPACK's Huffman code (RFC 7541 appendix B). The code is canonical: each symbol's code
// follows from the code lengths alone (shorter codes first, then by symbol), so only the
// lengths are listed. Decoding walks a table of the code tree's inner nodes four bits at a
// time: two steps per input byte.

// Code lengths in bits of the symbols 0-255; the end-of-string symbol (256) has 30.
const LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];
const EOS = 256;

/** Each symbol's code, right-aligned in `length` bits. */
export function huffmanCodes(): { code: number; length: number }[] {
  const order = LENGTHS.map((length, symbol) => ({ symbol, length })).sort((a, b) => a.length - b.length || a.symbol - b.symbol);
  const codes: { code: number; length: number }[] = [];
  let code = 0;
  let length = order[0]!.length;
  for (const entry of order) {
    code *= 2 ** (entry.length - length);
    length = entry.length;
    codes[entry.symbol] = { code, length };
    code++;
  }
  return codes;
}

// The tree's inner nodes, 0 the root. For node n and the next four bits b, STEP[n * 16 + b]
// packs: bits 0-8 the symbol emitted on the way (if FLAG_EMIT), bits 16-23 the node reached,
// FLAG_FAIL when the bits lead to EOS. ACCEPT_AT_NODE says whether the bits read since the
// last symbol may end the string: at most 7 of them, all ones (a prefix of EOS).
const FLAG_EMIT = 1 << 24;
const FLAG_FAIL = 1 << 26;
let STEP: Uint32Array | undefined;
let ACCEPT_AT_NODE: Uint8Array | undefined;

function buildTables(): void {
  // Binary tree: children[2n], children[2n+1]; a leaf is stored as -(symbol + 1).
  const children: number[] = [0, 0];
  let nodes = 1;
  const codes = huffmanCodes();
  codes.forEach(({ code, length }, symbol) => {
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const side = 2 * node + (Math.floor(code / 2 ** bit) & 1);
      if (bit === 0) {
        children[side] = -(symbol + 1);
      } else {
        if (children[side] === 0) {
          children[side] = nodes++;
          children.push(0, 0);
        }
        node = children[side]!;
      }
    }
  });
  // A node is "all ones from the root" at depth d: the bits read since the last symbol are
  // d ones; such nodes with d <= 7 may end the string (padding).
  const accept = new Uint8Array(nodes);
  for (let node = 0, depth = 0; depth <= 7; depth++) {
    accept[node] = 1;
    node = children[2 * node + 1]!;
    if (node <= 0) break;
  }
  const step = new Uint32Array(nodes * 16);
  for (let start = 0; start < nodes; start++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = start;
      let out = 0;
      let fail = false;
      for (let bit = 3; bit >= 0; bit--) {
        const next = children[2 * node + ((nibble >> bit) & 1)]!;
        if (next < 0) {
          const symbol = -next - 1;
          // Two symbols within four bits cannot happen: the shortest code has five.
          if (symbol === EOS) fail = true;
          out = FLAG_EMIT | symbol;
          node = 0;
        } else {
          node = next;
        }
      }
      step[start * 16 + nibble] = fail ? FLAG_FAIL : out | (node << 16);
    }
  }
  STEP = step;
  ACCEPT_AT_NODE = accept;
}

/** A Huffman-coded string that does not decode (EOS inside it, or padding that is not a prefix of EOS). */
export class HuffmanError extends Error {}

/** Decodes bytes[start, end) into a latin1 string. */
export function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  if (!STEP) buildTables();
  const step = STEP!;
  let node = 0;
  let out = "";
  const codes: number[] = [];
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    let entry = step[node * 16 + (byte >> 4)]!;
    if (entry & FLAG_FAIL) throw new HuffmanError("invalid Huffman-coded string");
    if (entry & FLAG_EMIT) codes.push(entry & 0x1ff);
    entry = step[((entry >>> 16) & 0xff) * 16 + (byte & 15)]!;
    if (entry & FLAG_FAIL) throw new HuffmanError("invalid Huffman-coded string");
    if (entry & FLAG_EMIT) codes.push(entry & 0x1ff);
    node = (entry >>> 16) & 0xff;
    if (codes.length >= 1024) {
      out += String.fromCharCode(...codes);
      codes.length = 0;
    }
  }
  if (!ACCEPT_AT_NODE![node]) throw new HuffmanError("invalid Huffman padding");
  return out + String.fromCharCode(...codes);
}

/** The Huffman coding of a latin1 string (tests encode with it; the server sends strings plain). */
export function huffmanEncode(text: string): Buffer {
  const codes = huffmanCodes();
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const { code, length } = codes[text.charCodeAt(i) & 0xff]!;
    for (let bit = length - 1; bit >= 0; bit--) {
      acc = (acc << 1) | (Math.floor(code / 2 ** bit) & 1);
      if (++bits === 8) {
        out.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) out.push(((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
  return Buffer.from(out);
}
