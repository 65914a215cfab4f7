// Writes Responses whose bodies the app made with server/http/direct-body.ts straight to the
// Node response: complete bodies in one write (gzipped as kube-apiserver does when large and
// accepted), pushed streams (watch) chunk by chunk without a ReadableStream in between, and
// pulled bodies (large lists) piece by piece as the connection drains.
import { createGzip } from "node:zlib";
import { completeBodyOf, pulledBodyOf, pushBodyOf, type PulledBody, type PushBody } from "../http/direct-body.ts";
import { acceptsGzip, byteLengthOf, encodeBody, gzips, writeParts, type BodyParts } from "../http/compression.ts";
import { ErrorCode } from "./h2-frames.ts";
import { encodeChunk } from "./http1-chunked.ts";
import { writeToSocket } from "./native-write.ts";

/** Connection-level headers are illegal in h2 and the HTTP/1.1 layer writes its own. */
export const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

/** What is used of node's ServerResponse and Http2ServerResponse. */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  /** False when the chunk was queued beyond the high-water mark: wait for "drain". */
  write(chunk: Uint8Array, callback?: () => void): boolean;
  end(chunk?: Uint8Array): unknown;
  /** HTTP/1.1 only: end() with a body given as text, encoded straight into the bytes written. */
  endBody?(body: BodyParts): void;
  destroy(error?: Error): unknown;
  /** HTTP/1.1 only; h2 sends the headers on writeHead. */
  flushHeaders?(): void;
  /** h2 only: the response's stream, which close() resets with the given error code. */
  readonly stream?: { close(code?: number): void };
  /**
   * HTTP/1.1 chunked bodies only, known once writeHead() has been called: the socket, to take
   * chunks framed by the caller (after flushHeaders(), before end(), which writes the last chunk).
   */
  chunkSink?(): Sink | undefined;
  on(event: "close" | "drain", listener: () => void): unknown;
  once(event: "close" | "drain", listener: () => void): unknown;
  off(event: "close" | "drain", listener: () => void): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
}

/** Writes `response` to `outgoing` when its body is direct; false leaves it to the generic path. */
export function writeDirect(request: Request, response: Response, outgoing: NodeResponse): boolean {
  const complete = completeBodyOf(response);
  if (complete !== undefined) {
    writeComplete(request, response, complete, outgoing);
    return true;
  }
  const push = pushBodyOf(response);
  if (push) {
    writePushed(response, push, outgoing);
    return true;
  }
  const pulled = pulledBodyOf(response);
  if (pulled) {
    void writePulled(request, response, pulled, outgoing);
    return true;
  }
  return false;
}

export function nodeHeaders(response: Response): Record<string, string | number> {
  const headers: Record<string, string | number> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.includes(name)) headers[name] = value;
  });
  return headers;
}

/** Headers of a body sent gzipped: the encoding, and that it depended on Accept-Encoding. */
function markGzipped(headers: Record<string, string | number>): void {
  headers["content-encoding"] = "gzip";
  headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : "Accept-Encoding";
}

function writeComplete(request: Request, response: Response, body: BodyParts, outgoing: NodeResponse): void {
  const headers = nodeHeaders(response);
  const acceptEncoding = headers["content-encoding"] === undefined ? request.headers.get("accept-encoding") : null;
  const length = byteLengthOf(body);
  if (outgoing.endBody && !gzips(length, acceptEncoding)) {
    headers["content-length"] = length;
    outgoing.writeHead(response.status, headers);
    outgoing.endBody(body);
    return;
  }
  const encoded = encodeBody(body, acceptEncoding, length);
  const bytes = encoded.bytes;
  if (encoded.gzipped) markGzipped(headers);
  headers["content-length"] = bytes.byteLength;
  outgoing.writeHead(response.status, headers);
  outgoing.end(bytes);
}

// Watch events are shared by every watcher; so is each one's HTTP/1.1 chunk framing.
const framedChunks = new WeakMap<Uint8Array, Uint8Array>();

/** `chunk` as one HTTP/1.1 chunk: size line, data, CRLF. */
function framed(chunk: Uint8Array): Uint8Array {
  let frame = framedChunks.get(chunk);
  if (!frame) {
    frame = encodeChunk(chunk);
    framedChunks.set(chunk, frame);
  }
  return frame;
}

function writePushed(response: Response, body: PushBody, outgoing: NodeResponse): void {
  outgoing.writeHead(response.status, nodeHeaders(response));
  outgoing.flushHeaders?.();
  // On HTTP/1.1 each chunk goes to the socket framed, in one write: through the response it
  // costs two TLS records and two system calls per watcher per event (size line, then data).
  // The response still writes the headers (flushed above) and, on end(), the final chunk.
  const socket = outgoing.chunkSink?.();
  let unsent = 0;
  const sent = () => void unsent--;
  outgoing.on("close", () => body.cancel());
  body.attach({
    write(chunk) {
      if (outgoing.destroyed || outgoing.writableEnded || chunk.byteLength === 0) return;
      if (socket) {
        if (!writeToSocket(socket, framed(chunk), sent)) unsent++;
      } else {
        unsent++;
        outgoing.write(chunk, sent);
      }
    },
    backlog: () => unsent,
    end,
    drop() {
      // On h2, ending the stream would queue its end behind the events its client is not
      // reading; resetting it discards them and tells the client at once. An HTTP/1.1
      // connection is the client's alone: the response is ended after what is queued.
      if (outgoing.stream) outgoing.stream.close(ErrorCode.CANCEL);
      else end();
    },
  });
  function end(): void {
    if (!outgoing.writableEnded) outgoing.end();
  }
}

/** The subset of a Writable that pulled bodies are written to (the response, or a gzip stream in front of it). */
export interface Sink {
  write(chunk: Uint8Array, callback: () => void): boolean;
  end(): unknown;
  once(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

// The gzip stream's output buffer. Each time it fills, the stream goes back to the event loop
// before compressing the rest of its input, and the event loop is busy encoding the next
// piece. With zlib's default 16 KiB, a 10k-pod list (~1.3 MB pieces, ~80 KB compressed each)
// made ~200 such trips and took ~1.5x as long as without gzip; with room for a whole
// compressed piece, the compressor runs alongside the encoding.
const gzipOutputChunkBytes = 256 * 1024;

async function writePulled(request: Request, response: Response, body: PulledBody, outgoing: NodeResponse): Promise<void> {
  const headers = nodeHeaders(response);
  // A pulled body is large by construction, so it is gzipped whenever the client accepts it.
  const gzip = headers["content-encoding"] === undefined && acceptsGzip(request.headers.get("accept-encoding"));
  if (gzip) markGzipped(headers);
  const compressor = gzip ? createGzip({ level: 1, chunkSize: gzipOutputChunkBytes }) : undefined;
  outgoing.writeHead(response.status, headers);
  // Plain HTTP/1.1 bodies go to the socket as whole chunks, framed in the buffer they are
  // encoded into: through the response each piece costs three writes that the socket copies
  // into one again (~25 ms for a 33 MB Table).
  const socket = compressor ? undefined : outgoing.chunkSink?.();
  const sink: Sink = compressor ?? socket ?? outgoing;
  let finished = false;
  let gone = false;
  const buffers = new BufferRing(2);
  outgoing.on("close", () => {
    gone = true;
    compressor?.destroy();
    buffers.retire();
    if (!finished) body.cancel();
  });
  if (socket) outgoing.flushHeaders?.();
  if (compressor) {
    compressor.pipe(outgoing as unknown as NodeJS.WritableStream);
    compressor.on("error", (error) => outgoing.destroy(error));
  }
  // The next piece is read and encoded while the sink works through the previous one (the
  // gzip stream compresses on another thread): only its write waits for the drain.
  let draining: Promise<void> | undefined;
  const send = async (chunk: Uint8Array, written: () => void) => {
    if (draining) await draining;
    if (gone) return written();
    draining = sink.write(chunk, written) ? undefined : drained(sink);
  };
  try {
    for (;;) {
      const parts = await body.next();
      if (parts === null || gone) break;
      if (parts instanceof Uint8Array) {
        if (parts.byteLength > 0) await send(socket ? framed(parts) : parts, () => {});
      } else {
        const buffer = await buffers.take(byteLengthOf(parts) + (socket ? chunkFramingBytes : 0));
        if (gone) break;
        const chunk = socket ? frameParts(buffer, parts) : writeParts(buffer, parts);
        if (chunk === undefined) buffers.give(buffer);
        else await send(chunk, () => buffers.give(buffer));
      }
      if (gone) break;
    }
    if (draining) await draining;
    finished = true;
    buffers.retire();
    // On a socket, the response still writes the last chunk.
    if (!gone) (socket ? outgoing : sink).end();
  } catch (error) {
    // Headers are out: cut the connection so that the client cannot take a partial list for a whole one.
    finished = true;
    outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

// A chunk's size line (up to 8 hex digits and CRLF) goes in front of its data, CRLF after it.
const sizeLineRoom = 10;
const chunkFramingBytes = sizeLineRoom + 2;

/** Writes `parts` into `target` as one HTTP/1.1 chunk; undefined when they are empty (an empty chunk ends the body). */
function frameParts(target: Buffer, parts: string | readonly string[]): Buffer | undefined {
  const size = writeParts(target.subarray(sizeLineRoom), parts).byteLength;
  if (size === 0) return undefined;
  const sizeLine = `${size.toString(16)}\r\n`;
  const start = sizeLineRoom - sizeLine.length;
  target.write(sizeLine, start, "latin1");
  target.write("\r\n", sizeLineRoom + size, "latin1");
  return target.subarray(start, sizeLineRoom + size + 2);
}

// Buffers of finished responses, kept for the next large body: reused across lists rather
// than mapped fresh for each (see BufferRing), and let go after a quiet spell.
const spares: Buffer[] = [];
const maxSpares = 4;
const sparesIdleMs = 30_000;
let sparesTimer: ReturnType<typeof setTimeout> | undefined;

function takeSpare(size: number): Buffer | undefined {
  const i = spares.findIndex((buffer) => buffer.length >= size);
  return i < 0 ? undefined : spares.splice(i, 1)[0];
}

function keepSpare(buffer: Buffer): void {
  if (spares.length >= maxSpares) return;
  spares.push(buffer);
  clearTimeout(sparesTimer);
  sparesTimer = setTimeout(() => (spares.length = 0), sparesIdleMs);
  sparesTimer.unref?.();
}

/**
 * The buffers a pulled body is encoded into, a few MB each for a large list: a buffer is used
 * again once the write that took it has called back, instead of a fresh one per piece, which
 * the allocator would hand back to the system and fault in again (~3.5 ms per MB here). Once
 * the body is done, buffers the sink has let go of become spares for the next one.
 */
class BufferRing {
  private readonly free: Buffer[] = [];
  private made = 0;
  private waiter: (() => void) | undefined;
  private retired = false;

  constructor(private readonly max: number) {}

  /** A buffer of at least `size` bytes; waits while all of them are being written. */
  async take(size: number): Promise<Buffer> {
    while (!this.retired && this.free.length === 0 && this.made >= this.max) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    let buffer = this.free.pop();
    if (!buffer) {
      this.made++;
      buffer = takeSpare(size);
    }
    if (!buffer || buffer.length < size) buffer = Buffer.allocUnsafeSlow(Math.max(size, buffer?.length ?? 0));
    return buffer;
  }

  /** `buffer` is no longer being written (its write called back). */
  give(buffer: Buffer): void {
    if (this.retired) return keepSpare(buffer);
    this.free.push(buffer);
    this.wake();
  }

  /** The body is done or the connection gone: nobody waits for a buffer any more, and free ones become spares. */
  retire(): void {
    this.retired = true;
    for (const buffer of this.free.splice(0)) keepSpare(buffer);
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** Resolves when `sink` drains or closes. */
export function drained(sink: Sink): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off("drain", done);
      sink.off("close", done);
      resolve();
    };
    sink.once("drain", done);
    sink.once("close", done);
  });
}
