// HTTP/1.1 chunked transfer coding: chunks for response bodies, and the decoder for request
// bodies as their bytes arrive, in whatever pieces TLS records cut them into.
import { HeadError } from "./http1-head.ts";

const crlf = Buffer.from("\r\n");

/** The chunk that ends a body (no trailer fields). */
export const lastChunk = Buffer.from("0\r\n\r\n");

/** `data` as one chunk: its size line, the data, CRLF (`data` must not be empty: that chunk ends the body). */
export function encodeChunk(data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${data.byteLength.toString(16)}\r\n`, "latin1"), data, crlf]);
}

// Size and trailer lines longer than this are refused (Go's net/http allows 4 KiB as well).
const maxLineBytes = 4096;
const chunkSize = /^[0-9a-fA-F]{1,8}$/;

export class ChunkedDecoder {
  private state: "size" | "data" | "data-end" | "trailer" = "size";
  private remaining = 0;
  private carry: Buffer | undefined;
  done = false;

  /**
   * Hands the body bytes held in `input` to `emit` and returns the bytes after the body's
   * end once the last chunk and trailer are through (an empty buffer when nothing follows),
   * undefined while more is expected. Throws a HeadError(400) for malformed framing.
   */
  feed(input: Buffer, emit: (data: Buffer) => void): Buffer | undefined {
    const buf = this.carry ? Buffer.concat([this.carry, input]) : input;
    this.carry = undefined;
    let pos = 0;
    while (pos < buf.length) {
      if (this.state === "data") {
        const n = Math.min(this.remaining, buf.length - pos);
        emit(buf.subarray(pos, pos + n));
        pos += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = "data-end";
        continue;
      }
      const eol = buf.indexOf("\r\n", pos);
      if (eol < 0) {
        if (buf.length - pos > maxLineBytes) throw new HeadError(400, "chunked encoding line too long");
        this.carry = buf.subarray(pos);
        return undefined;
      }
      if (eol - pos > maxLineBytes) throw new HeadError(400, "chunked encoding line too long");
      const line = buf.toString("latin1", pos, eol);
      pos = eol + 2;
      if (this.state === "data-end") {
        if (line !== "") throw new HeadError(400, "malformed chunked encoding");
        this.state = "size";
      } else if (this.state === "size") {
        const semicolon = line.indexOf(";");
        const size = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
        if (!chunkSize.test(size)) throw new HeadError(400, "malformed chunked encoding");
        this.remaining = parseInt(size, 16);
        this.state = this.remaining === 0 ? "trailer" : "data";
      } else if (line === "") {
        // The blank line after the (ignored) trailer fields ends the body.
        this.done = true;
        return buf.subarray(pos);
      }
    }
    return undefined;
  }
}
