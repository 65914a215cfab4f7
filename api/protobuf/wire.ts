// The protobuf wire format: varints, length-delimited fields and fixed 64-bit values.

/** Wire types used by Kubernetes messages. */
export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** Raised for malformed protobuf input. */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtobufError";
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Encoder = new TextEncoder();

/** Reads fields from one message's bytes. */
export class ProtoReader {
  pos = 0;
  readonly end: number;

  constructor(readonly buf: Uint8Array) {
    this.end = buf.length;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's number and wire type. */
  tag(): [number, number] {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new ProtobufError("invalid field number 0");
    return [field, key % 8];
  }

  /** An unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError("unexpected end of data in varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new ProtobufError("varint too long");
  }

  /** A signed 64-bit integer (two's complement varint). */
  int64(): number {
    const start = this.pos;
    const value = this.varint();
    if (value < 2 ** 53) return value;
    this.pos = start;
    return Number(BigInt.asIntN(64, this.bigVarint()));
  }

  /** A signed 32-bit integer. */
  int32(): number {
    return this.int64() | 0;
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError("unexpected end of data in fixed64");
    const value = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return value;
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.end) throw new ProtobufError("length-delimited field runs past the end of its message");
    const value = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Skips a field of the given wire type. */
  skip(wire: number): void {
    if (wire === WireType.varint) this.varint();
    else if (wire === WireType.fixed64) this.pos += 8;
    else if (wire === WireType.bytes) this.bytes();
    else if (wire === WireType.fixed32) this.pos += 4;
    else throw new ProtobufError(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new ProtobufError("unexpected end of data");
  }

  private bigVarint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
    throw new ProtobufError("varint too long");
  }
}

/** Writes one message; nested messages are written by a child writer and copied in. */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** A non-negative integer below 2^53, or any int64 (negatives as 10-byte two's complement). */
  varint(value: number): this {
    if (value < 0) return this.bigVarint(BigInt.asUintN(64, BigInt(Math.trunc(value))));
    this.ensure(10);
    let v = Math.trunc(value);
    while (v >= 128) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    new DataView(this.buf.buffer, this.len, 8).setFloat64(0, value, true);
    this.len += 8;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  string(value: string): this {
    return this.bytes(utf8Encoder.encode(value));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private bigVarint(value: bigint): this {
    this.ensure(10);
    let v = value;
    while (v >= 128n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
