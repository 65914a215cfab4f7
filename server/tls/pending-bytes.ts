// Bytes received on a connection and not yet consumed. Appends copy into spare room that
// doubles as needed, so a request trickling in as many small TLS records costs linear, not
// quadratic, copying; a chunk arriving when nothing is pending is kept as it is.

export class PendingBytes {
  private buffer: Buffer | undefined;
  private start = 0;
  private end = 0;
  /** How many of the pending bytes indexOf has already searched (without a match). */
  private searched = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length === 0) {
      this.buffer = chunk;
      this.start = 0;
      this.end = chunk.length;
      return;
    }
    // Views handed out by bytes() end at or before `end`, so writing past it never changes them.
    if (this.end + chunk.length > this.buffer!.length) {
      const size = this.length;
      const grown = Buffer.allocUnsafe(Math.max(2 * size, size + chunk.length, 16 * 1024));
      this.buffer!.copy(grown, 0, this.start, this.end);
      this.buffer = grown;
      this.start = 0;
      this.end = size;
    }
    chunk.copy(this.buffer!, this.end);
    this.end += chunk.length;
  }

  /** The pending bytes (a view: valid until consumed, never overwritten). */
  bytes(): Buffer {
    return this.buffer ? this.buffer.subarray(this.start, this.end) : Buffer.alloc(0);
  }

  /**
   * Where `needle` first occurs in the pending bytes, or -1. Bytes searched by an earlier call
   * that found nothing are not searched again (only the few a match could straddle).
   */
  indexOf(needle: string): number {
    const bytes = this.bytes();
    const at = bytes.indexOf(needle, Math.max(0, this.searched - needle.length + 1));
    this.searched = at < 0 ? bytes.length : 0;
    return at;
  }

  /** Drops the first `count` bytes. */
  consume(count: number): void {
    this.start += count;
    this.searched = 0;
    if (this.start >= this.end) this.clear();
  }

  clear(): void {
    this.buffer = undefined;
    this.start = 0;
    this.end = 0;
    this.searched = 0;
  }
}
