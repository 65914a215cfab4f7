// HPACK (RFC 7541): the decoder of request header blocks, with its dynamic table, and the
// encoder of response header blocks. The encoder never adds to the client's dynamic table
// (literals without indexing, names from the static table where it has them): a response's
// few headers are not worth the state, and the client's table size setting cannot matter.
import { HuffmanError, huffmanDecode } from "./hpack-huffman.ts";

/** RFC 7541 appendix A: entries 1-61. */
const STATIC_TABLE: readonly [string, string][] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"], [":path", "/index.html"],
  [":scheme", "http"], [":scheme", "https"], [":status", "200"], [":status", "204"], [":status", "206"],
  [":status", "304"], [":status", "400"], [":status", "404"], [":status", "500"], ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"], ["accept-language", ""], ["accept-ranges", ""], ["accept", ""],
  ["access-control-allow-origin", ""], ["age", ""], ["allow", ""], ["authorization", ""], ["cache-control", ""],
  ["content-disposition", ""], ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""], ["date", ""], ["etag", ""],
  ["expect", ""], ["expires", ""], ["from", ""], ["host", ""], ["if-match", ""], ["if-modified-since", ""],
  ["if-none-match", ""], ["if-range", ""], ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""],
  ["location", ""], ["max-forwards", ""], ["proxy-authenticate", ""], ["proxy-authorization", ""], ["range", ""],
  ["referer", ""], ["refresh", ""], ["retry-after", ""], ["server", ""], ["set-cookie", ""],
  ["strict-transport-security", ""], ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""], ["via", ""],
  ["www-authenticate", ""],
];

/** A header block that does not decode: a connection error (COMPRESSION_ERROR). */
export class HpackError extends Error {}

/** The header list is larger than allowed (SETTINGS_MAX_HEADER_LIST_SIZE). */
export class HeaderListTooLarge extends Error {}

/** An entry's size as the table counts it: name, value and 32 bytes of overhead. */
function entrySize(name: string, value: string): number {
  return name.length + value.length + 32;
}

/** Decodes the header blocks of one connection, in the order they arrived. */
export class HpackDecoder {
  // The dynamic table, newest first.
  private readonly table: [string, string][] = [];
  private size = 0;
  private maxSize: number;

  /**
   * `settingsMaxSize`: the SETTINGS_HEADER_TABLE_SIZE this end announced (4,096 unless changed);
   * `maxListSize`: the SETTINGS_MAX_HEADER_LIST_SIZE, beyond which decode() throws {@link HeaderListTooLarge}.
   */
  constructor(
    private readonly settingsMaxSize = 4096,
    private readonly maxListSize = 1 << 20,
  ) {
    this.maxSize = settingsMaxSize;
  }

  /** The fields of `block`, names and values as latin1 text, in order. */
  decode(block: Uint8Array): [string, string][] {
    const fields: [string, string][] = [];
    let listSize = 0;
    let pos = 0;
    let fieldSeen = false;
    const integer = (prefixBits: number): number => {
      const max = (1 << prefixBits) - 1;
      let value = block[pos++]! & max;
      if (value < max) return value;
      for (let shift = 0; ; shift += 7) {
        if (pos >= block.length) throw new HpackError("header block ends inside an integer");
        if (shift > 28) throw new HpackError("integer too large");
        const b = block[pos++]!;
        value += (b & 0x7f) * 2 ** shift;
        if ((b & 0x80) === 0) return value;
      }
    };
    const string = (): string => {
      if (pos >= block.length) throw new HpackError("header block ends before a string");
      const huffman = (block[pos]! & 0x80) !== 0;
      const length = integer(7);
      if (pos + length > block.length) throw new HpackError("string longer than the header block");
      const start = pos;
      pos += length;
      if (!huffman) return latin1(block, start, pos);
      try {
        return huffmanDecode(block, start, pos);
      } catch (error) {
        if (error instanceof HuffmanError) throw new HpackError(error.message);
        throw error;
      }
    };
    // A list that grows too large is decoded to its end all the same, so that the dynamic
    // table stays as the client's encoder has it for the blocks that follow.
    const add = (name: string, value: string) => {
      listSize += entrySize(name, value);
      if (listSize <= this.maxListSize) fields.push([name, value]);
      fieldSeen = true;
    };
    while (pos < block.length) {
      const b = block[pos]!;
      if (b & 0x80) {
        const [name, value] = this.entry(integer(7));
        add(name, value);
      } else if (b & 0x40) {
        const index = integer(6);
        const name = index === 0 ? string() : this.entry(index)[0];
        const value = string();
        add(name, value);
        this.insert(name, value);
      } else if (b & 0x20) {
        // A table size update may only start a block.
        if (fieldSeen) throw new HpackError("dynamic table size update after a header field");
        const size = integer(5);
        if (size > this.settingsMaxSize) throw new HpackError("dynamic table size update above the announced maximum");
        this.maxSize = size;
        this.evict(0);
      } else {
        // Literal without indexing (0000xxxx) or never indexed (0001xxxx).
        const index = integer(4);
        const name = index === 0 ? string() : this.entry(index)[0];
        add(name, string());
      }
    }
    if (listSize > this.maxListSize) throw new HeaderListTooLarge("header list too large");
    return fields;
  }

  private entry(index: number): [string, string] {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1]!;
    const entry = this.table[index - STATIC_TABLE.length - 1];
    if (!entry) throw new HpackError(`index ${index} outside the table`);
    return entry;
  }

  private insert(name: string, value: string): void {
    const size = entrySize(name, value);
    this.evict(size);
    // An entry larger than the table empties it and is not added.
    if (size > this.maxSize) return;
    this.table.unshift([name, value]);
    this.size += size;
  }

  /** Evicts the oldest entries until `room` more bytes fit. */
  private evict(room: number): void {
    while (this.table.length > 0 && this.size + room > this.maxSize) {
      const [name, value] = this.table.pop()!;
      this.size -= entrySize(name, value);
    }
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

// Response header names with a static table entry, by name; :status values with an entry of their own.
const STATIC_NAME = new Map<string, number>();
STATIC_TABLE.forEach(([name], i) => {
  if (!STATIC_NAME.has(name)) STATIC_NAME.set(name, i + 1);
});
const STATIC_STATUS = new Map<number, number>([[200, 8], [204, 9], [206, 10], [304, 11], [400, 12], [404, 13], [500, 14]]);
const STATUS_NAME_INDEX = 8;

/** Appends an HPACK integer with an N-bit prefix, the prefix's other bits given in `first`. */
function pushInteger(out: number[], value: number, prefixBits: number, first: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(first | value);
    return;
  }
  out.push(first | max);
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}

function pushString(out: number[], text: string): void {
  const bytes = Buffer.from(text, "latin1");
  pushInteger(out, bytes.length, 7, 0);
  for (const b of bytes) out.push(b);
}

/**
 * The header block of a response: `:status`, then `headers` (names lowercase) as literals
 * without indexing, then `date` when given. Values are sent as latin1, as node sends HTTP/1.1
 * field values.
 */
export function encodeResponseHeaders(status: number, headers: Record<string, string | number | readonly string[]>, date?: string): Buffer {
  const out: number[] = [];
  const indexed = STATIC_STATUS.get(status);
  if (indexed !== undefined) out.push(0x80 | indexed);
  else {
    pushInteger(out, STATUS_NAME_INDEX, 4, 0);
    pushString(out, String(status));
  }
  for (const name in headers) {
    const value = headers[name]!;
    for (const one of Array.isArray(value) ? value : [value]) {
      const nameIndex = STATIC_NAME.get(name);
      if (nameIndex !== undefined) pushInteger(out, nameIndex, 4, 0);
      else {
        out.push(0);
        pushString(out, name);
      }
      pushString(out, String(one));
    }
  }
  if (date !== undefined) {
    pushInteger(out, STATIC_NAME.get("date")!, 4, 0);
    pushString(out, date);
  }
  return Buffer.from(out);
}
