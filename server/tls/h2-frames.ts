// HTTP/2 frames (RFC 9113 section 4 and 6): their types, flags and settings, a streaming frame
// reader that hands DATA content over piece by piece as it arrives (no copies, whatever the
// read boundaries), and the encoding of a frame header. Used by the server's h2 connection and
// by the bench's h2 watch client.

export const FrameType = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
export const Setting = { HEADER_TABLE_SIZE: 1, ENABLE_PUSH: 2, MAX_CONCURRENT_STREAMS: 3, INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5, MAX_HEADER_LIST_SIZE: 6 } as const;
export const ErrorCode = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  FLOW_CONTROL_ERROR: 3,
  SETTINGS_TIMEOUT: 4,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  COMPRESSION_ERROR: 9,
  CONNECT_ERROR: 10,
  ENHANCE_YOUR_CALM: 11,
  INADEQUATE_SECURITY: 12,
  HTTP_1_1_REQUIRED: 13,
} as const;
export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
export const FRAME_HEADER_SIZE = 9;
/** SETTINGS_MAX_FRAME_SIZE's initial value, and the least it may be set to. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
/** The largest flow-control window (2^31 - 1). */
export const MAX_WINDOW = 0x7fffffff;

/** A frame the reader cannot accept: a connection error with `code`. */
export class FrameError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FrameHandler {
  /** Bytes data[start, end) of a DATA frame's content (padding left out). */
  data(streamId: number, data: Buffer, start: number, end: number): void;
  /** A DATA frame has been read whole; `length` (padding included) is what it counts against flow control. */
  dataEnd(streamId: number, flags: number, length: number): void;
  /** Any other frame, with its whole payload. */
  frame(type: number, flags: number, streamId: number, payload: Buffer): void;
}

/** Reads frames from a byte stream given in reads of any size. */
export class FrameReader {
  private readonly header = Buffer.alloc(FRAME_HEADER_SIZE);
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

  /** `maxFrameSize`: a frame announcing a longer payload throws a FRAME_SIZE_ERROR {@link FrameError}. */
  constructor(
    private readonly handler: FrameHandler,
    private readonly maxFrameSize = MAX_WINDOW,
  ) {}

  feed(bytes: Buffer): void {
    let pos = 0;
    while (pos < bytes.length) {
      if (this.headerHave < FRAME_HEADER_SIZE) {
        const n = Math.min(FRAME_HEADER_SIZE - this.headerHave, bytes.length - pos);
        bytes.copy(this.header, this.headerHave, pos, pos + n);
        this.headerHave += n;
        pos += n;
        if (this.headerHave === FRAME_HEADER_SIZE) this.startFrame();
        if (this.headerHave === FRAME_HEADER_SIZE && this.length === 0) this.endFrame();
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
    if (this.length > this.maxFrameSize) throw new FrameError(ErrorCode.FRAME_SIZE_ERROR, `frame of ${this.length} bytes exceeds the maximum of ${this.maxFrameSize}`);
    this.type = h[3]!;
    this.flags = h[4]!;
    this.streamId = h.readUInt32BE(5) & 0x7fffffff;
    this.seen = 0;
    this.payload = this.type === FrameType.DATA ? undefined : Buffer.allocUnsafe(this.length);
    this.contentStart = this.flags & Flag.PADDED ? 1 : 0;
    this.contentEnd = this.length;
  }

  private dataPiece(bytes: Buffer, pos: number, n: number): void {
    // The pad length is the payload's first byte when PADDED; the padding is its last bytes.
    if (this.contentStart === 1 && this.seen === 0 && n > 0) {
      this.contentEnd = this.length - bytes[pos]!;
      if (this.contentEnd < 1) throw new FrameError(ErrorCode.PROTOCOL_ERROR, "DATA padding longer than the frame");
    }
    const from = Math.max(this.seen, this.contentStart);
    const to = Math.min(this.seen + n, this.contentEnd);
    if (to > from) this.handler.data(this.streamId, bytes, pos + (from - this.seen), pos + (to - this.seen));
  }

  private endFrame(): void {
    this.headerHave = 0;
    if (this.type !== FrameType.DATA) return this.handler.frame(this.type, this.flags, this.streamId, this.payload!);
    if (this.length === 0 && this.contentStart === 1) throw new FrameError(ErrorCode.PROTOCOL_ERROR, "padded DATA frame without a pad length");
    this.handler.dataEnd(this.streamId, this.flags, this.length);
  }
}

/** Writes a frame header at target[offset]. */
export function writeFrameHeader(target: Uint8Array, offset: number, length: number, type: number, flags: number, streamId: number): void {
  target[offset] = length >>> 16;
  target[offset + 1] = (length >>> 8) & 0xff;
  target[offset + 2] = length & 0xff;
  target[offset + 3] = type;
  target[offset + 4] = flags;
  target[offset + 5] = (streamId >>> 24) & 0x7f;
  target[offset + 6] = (streamId >>> 16) & 0xff;
  target[offset + 7] = (streamId >>> 8) & 0xff;
  target[offset + 8] = streamId & 0xff;
}

/** A whole frame: header and payload in one buffer. */
export function frame(type: number, flags: number, streamId: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_SIZE + payload.length);
  writeFrameHeader(out, 0, payload.length, type, flags, streamId);
  out.set(payload, FRAME_HEADER_SIZE);
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

export function rstStreamFrame(streamId: number, code: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(code);
  return frame(FrameType.RST_STREAM, 0, streamId, payload);
}

export function goawayFrame(lastStreamId: number, code: number, debug = ""): Buffer {
  const payload = Buffer.alloc(8 + Buffer.byteLength(debug));
  payload.writeUInt32BE(lastStreamId & 0x7fffffff);
  payload.writeUInt32BE(code, 4);
  payload.write(debug, 8);
  return frame(FrameType.GOAWAY, 0, 0, payload);
}

/** The settings a SETTINGS frame carries, in order (a later value of the same one wins). */
export function readSettings(payload: Buffer): Map<number, number> {
  const settings = new Map<number, number>();
  for (let i = 0; i + 6 <= payload.length; i += 6) settings.set(payload.readUInt16BE(i), payload.readUInt32BE(i + 2));
  return settings;
}
