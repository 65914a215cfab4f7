// The little of HTTP/2 (RFC 9113) and HPACK (RFC 7541) that the h2 watch fan-out client
// (bench/support/h2-watchers.ts) needs: a streaming frame reader that hands DATA payloads over
// piece by piece as they arrive (no copies, whatever the read boundaries), the frames a client
// sends, request headers encoded without a dynamic table, and the status of a response.

export const FrameType = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
export const Setting = { ENABLE_PUSH: 2, MAX_CONCURRENT_STREAMS: 3, INITIAL_WINDOW_SIZE: 4 } as const;
export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface FrameHandler {
  /** Bytes data[start, end) of a DATA frame's content (padding left out). */
  data(streamId: number, data: Buffer, start: number, end: number): void;
  /** A DATA frame has been read whole; `length` is what it counts against flow control. */
  dataEnd(streamId: number, flags: number, length: number): void;
  /** Any other frame, with its whole payload. */
  frame(type: number, flags: number, streamId: number, payload: Buffer): void;
}

const HEADER_SIZE = 9;

/** Reads frames from a byte stream given in reads of any size. */
export class FrameReader {
  private readonly header = Buffer.alloc(HEADER_SIZE);
  private headerHave = 0;
  // The frame being read: its header fields and how much of its payload has been seen.
  private type = 0;
  private flags = 0;
  private streamId = 0;
  private length = 0;
  private seen = 0;
  // DATA: where the content lies within the payload (after the pad length byte, before the padding).
  private contentStart = 0;
  private contentEnd = 0;
  // Other frames: their payload, gathered.
  private payload: Buffer | undefined;

  constructor(private readonly handler: FrameHandler) {}

  feed(bytes: Buffer): void {
    let pos = 0;
    while (pos < bytes.length) {
      if (this.headerHave < HEADER_SIZE) {
        const n = Math.min(HEADER_SIZE - this.headerHave, bytes.length - pos);
        bytes.copy(this.header, this.headerHave, pos, pos + n);
        this.headerHave += n;
        pos += n;
        if (this.headerHave === HEADER_SIZE) this.startFrame();
        if (this.headerHave === HEADER_SIZE && this.length === 0) this.endFrame();
        continue;
      }
      const n = Math.min(this.length - this.seen, bytes.length - pos);
      if (this.type === FrameType.DATA) this.dataPiece(bytes, pos, n);
      else bytes.copy(this.payload!, this.seen, pos, pos + n);
      this.seen += n;
      pos += n;
      if (this.seen === this.length) this.endFrame();
    }
  }

  private startFrame(): void {
    const h = this.header;
    this.length = (h[0]! << 16) | (h[1]! << 8) | h[2]!;
    this.type = h[3]!;
    this.flags = h[4]!;
    this.streamId = h.readUInt32BE(5) & 0x7fffffff;
    this.seen = 0;
    this.payload = this.type === FrameType.DATA ? undefined : Buffer.alloc(this.length);
    this.contentStart = this.flags & Flag.PADDED ? 1 : 0;
    this.contentEnd = this.length;
  }

  private dataPiece(bytes: Buffer, pos: number, n: number): void {
    // The pad length is the payload's first byte when PADDED; the padding is its last bytes.
    if (this.contentStart === 1 && this.seen === 0 && n > 0) this.contentEnd = this.length - bytes[pos]!;
    const from = Math.max(this.seen, this.contentStart);
    const to = Math.min(this.seen + n, this.contentEnd);
    if (to > from) this.handler.data(this.streamId, bytes, pos + (from - this.seen), pos + (to - this.seen));
  }

  private endFrame(): void {
    this.headerHave = 0;
    if (this.type === FrameType.DATA) this.handler.dataEnd(this.streamId, this.flags, this.length);
    else this.handler.frame(this.type, this.flags, this.streamId, this.payload!);
  }
}

export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(HEADER_SIZE + payload.length);
  out.writeUIntBE(payload.length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId & 0x7fffffff, 5);
  payload.copy(out, HEADER_SIZE);
  return out;
}

export function settingsFrame(settings: [id: number, value: number][]): Buffer {
  const payload = Buffer.alloc(settings.length * 6);
  settings.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, payload);
}

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(increment & 0x7fffffff);
  return frame(FrameType.WINDOW_UPDATE, 0, streamId, payload);
}

/** The settings a SETTINGS frame carries, by identifier. */
export function readSettings(payload: Buffer): Map<number, number> {
  const settings = new Map<number, number>();
  for (let i = 0; i + 6 <= payload.length; i += 6) settings.set(payload.readUInt16BE(i), payload.readUInt32BE(i + 2));
  return settings;
}

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
