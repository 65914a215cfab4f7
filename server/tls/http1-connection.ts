// Serves HTTP/1.1 on one TLS connection: reads a request head, its body (whole when it has a
// declared length up to a limit, streamed otherwise), hands the request over and waits for
// its response to end before reading the next one. Requests a client pipelines wait in order.
import type { TLSSocket } from "node:tls";
import { STATUS_CODES } from "node:http";
import { ChunkedDecoder } from "./http1-chunked.ts";
import { HeadError, maxHeadBytes, parseRequestHead, type RequestHead } from "./http1-head.ts";
import { Http1Response, type ResponseConnection } from "./http1-response.ts";
import { PendingBytes } from "./pending-bytes.ts";

export type RequestBody = Uint8Array | ReadableStream<Uint8Array> | null;

export interface Http1Handlers {
  /** A request to answer through `response`; its body is whole (bytes) or still arriving (a stream). */
  request(head: RequestHead, body: RequestBody, response: Http1Response): void;
  /** Takes the socket of an Upgrade request, with the bytes after its head; without it such requests are served normally. */
  upgrade?(head: RequestHead, socket: TLSSocket, rest: Buffer): void;
}

/** A request body being received. */
interface BodyReader {
  /** Takes body bytes from `input`; returns the bytes after the body once it is complete. */
  feed(input: Buffer): Buffer | undefined;
  readonly done: boolean;
  /** The body will never be finished (the connection closed or its framing broke). */
  abort(error: Error): void;
}

/** A body with a declared length, collected before the request is handed over. */
class WholeBody implements BodyReader {
  private readonly pieces: Buffer[] = [];
  private received = 0;
  bytes: Uint8Array | undefined;

  constructor(private readonly length: number) {}

  get done(): boolean {
    return this.bytes !== undefined;
  }

  feed(input: Buffer): Buffer | undefined {
    const needed = this.length - this.received;
    if (input.length < needed) {
      this.pieces.push(input);
      this.received += input.length;
      return undefined;
    }
    const last = input.subarray(0, needed);
    this.bytes = this.pieces.length > 0 ? Buffer.concat([...this.pieces, last]) : last;
    return input.subarray(needed);
  }

  abort(): void {}
}

/** A body handed over as a stream while it arrives; the socket pauses while the reader lags. */
class StreamedBody implements BodyReader {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly chunked: ChunkedDecoder | undefined;
  private remaining: number;
  private cancelled = false;
  done = false;

  constructor(
    head: RequestHead,
    private readonly socket: TLSSocket,
  ) {
    this.chunked = head.chunked ? new ChunkedDecoder() : undefined;
    this.remaining = head.contentLength ?? 0;
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        pull: () => void this.socket.resume(),
        cancel: () => {
          // The rest is read and dropped; the connection closes after the response.
          this.cancelled = true;
          this.socket.resume();
        },
      },
      { highWaterMark: 256 * 1024, size: (chunk) => chunk?.byteLength ?? 0 },
    );
  }

  feed(input: Buffer): Buffer | undefined {
    if (this.chunked) {
      const rest = this.chunked.feed(input, (data) => this.push(data));
      if (this.chunked.done) this.finish();
      return rest;
    }
    const taken = Math.min(this.remaining, input.length);
    this.push(input.subarray(0, taken));
    this.remaining -= taken;
    if (this.remaining > 0) return undefined;
    this.finish();
    return input.subarray(taken);
  }

  abort(error: Error): void {
    if (this.done || this.cancelled) return;
    this.cancelled = true;
    this.controller.error(error);
  }

  private push(data: Buffer): void {
    if (this.cancelled || data.length === 0) return;
    this.controller.enqueue(data);
    if ((this.controller.desiredSize ?? 1) <= 0) this.socket.pause();
  }

  private finish(): void {
    this.done = true;
    if (!this.cancelled) this.controller.close();
  }
}

// Pipelined bytes held while a response is in flight before the socket stops being read.
const maxHeldBytes = 1 << 20;

export interface Http1Limits {
  /** Bodies with a declared length up to this many bytes are read whole before the request is handed over. */
  wholeBodyLimit: number;
  /**
   * A connection without a response in flight is closed after this long without traffic (kube-apiserver's
   * server closes idle connections after 90 s). A response in flight, such as a quiet watch, never times out.
   */
  idleTimeoutMs: number;
}

export class Http1Connection implements ResponseConnection {
  private readonly pending = new PendingBytes();
  private response: Http1Response | undefined;
  private body: BodyReader | undefined;
  private whole: { head: RequestHead; response: Http1Response } | undefined;
  private closing = false;
  private detached = false;

  constructor(
    readonly socket: TLSSocket,
    private readonly handlers: Http1Handlers,
    private readonly limits: Http1Limits,
  ) {
    socket.on("data", this.onData);
    socket.on("drain", () => this.response?.emit("drain"));
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on("timeout", () => {
      if (!this.response && !this.detached) this.socket.destroy();
    });
    socket.on("close", () => {
      this.body?.abort(new Error("the client closed the connection before sending the whole body"));
      this.response?.connectionLost();
    });
  }

  get receivingBody(): boolean {
    return this.body !== undefined;
  }

  /** Takes no further requests: closes now when idle, otherwise once the response in flight ends. */
  shutdown(): void {
    this.closing = true;
    if (!this.response && !this.detached) this.socket.destroy();
  }

  finished(keepAlive: boolean): void {
    this.response = undefined;
    // A body that was not read to its end leaves no way to find the next request.
    if (!keepAlive || this.closing || this.body) {
      this.closing = true;
      this.socket.end();
      return;
    }
    this.socket.resume();
    if (this.pending.length > 0) queueMicrotask(() => this.pump());
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.detached) return;
    this.pending.append(chunk);
    this.pump();
  };

  private pump(): void {
    while (this.pending.length > 0 && !this.detached && !this.socket.destroyed) {
      if (this.body) {
        if (!this.feedBody()) return;
        continue;
      }
      if (this.response || this.closing) {
        if (this.pending.length > maxHeldBytes) this.socket.pause();
        return;
      }
      if (!this.readHead()) return;
    }
  }

  /** Feeds pending bytes to the body being received; false while it wants more. */
  private feedBody(): boolean {
    const body = this.body!;
    const pending = this.pending.bytes();
    let rest: Buffer | undefined;
    try {
      rest = body.feed(pending);
    } catch (error) {
      // Only a streamed (chunked) body can be malformed, and its request is already being answered.
      body.abort(error as Error);
      this.body = undefined;
      this.socket.destroy();
      return false;
    }
    this.pending.consume(pending.length - (rest?.length ?? 0));
    if (!body.done) return false;
    this.body = undefined;
    const whole = this.whole;
    if (whole) {
      this.whole = undefined;
      this.dispatch(whole.head, (body as WholeBody).bytes!, whole.response);
    }
    return true;
  }

  /** Parses the next request head from the pending bytes; false when it has not all arrived. */
  private readHead(): boolean {
    let pending = this.pending.bytes();
    // Blank lines before a request line are ignored (RFC 9112 2.2).
    let blank = 0;
    while (pending[blank] === 13 && pending[blank + 1] === 10) blank += 2;
    if (blank > 0) {
      this.pending.consume(Math.min(blank, pending.length));
      pending = this.pending.bytes();
      if (pending.length === 0) return false;
    }
    // Searches only the bytes that arrived since the last search (see PendingBytes.indexOf).
    const end = this.pending.indexOf("\r\n\r\n");
    if (end < 0 || end > maxHeadBytes) {
      if (end > maxHeadBytes || pending.length > maxHeadBytes) this.refuse(new HeadError(431, "request headers too large"));
      return false;
    }
    let head: RequestHead;
    try {
      head = parseRequestHead(pending.toString("latin1", 0, end));
    } catch (error) {
      if (!(error instanceof HeadError)) throw error;
      this.refuse(error);
      return false;
    }
    this.pending.consume(end + 4);
    this.start(head);
    return true;
  }

  private start(head: RequestHead): void {
    if (head.upgrade && this.handlers.upgrade) {
      this.detached = true;
      this.socket.off("data", this.onData);
      this.socket.setTimeout(0);
      const rest = Buffer.from(this.pending.bytes());
      this.pending.clear();
      this.handlers.upgrade(head, this.socket, rest);
      return;
    }
    const response = new Http1Response(this, head);
    const length = head.contentLength ?? 0;
    if (!head.chunked && length === 0) {
      this.dispatch(head, null, response);
      return;
    }
    if (head.expectContinue) this.socket.write("HTTP/1.1 100 Continue\r\n\r\n");
    if (!head.chunked && length <= this.limits.wholeBodyLimit) {
      this.body = new WholeBody(length);
      this.whole = { head, response };
      return;
    }
    const streamed = new StreamedBody(head, this.socket);
    this.body = streamed;
    this.dispatch(head, streamed.stream, response);
  }

  private dispatch(head: RequestHead, body: RequestBody, response: Http1Response): void {
    this.response = response;
    this.handlers.request(head, body, response);
  }

  /** Answers a request that cannot be served with `error`'s status and closes the connection. */
  private refuse(error: HeadError): void {
    this.closing = true;
    this.pending.clear();
    const reason = STATUS_CODES[error.status] ?? "Bad Request";
    const body = `${error.status} ${reason}: ${error.message}`;
    this.socket.end(`HTTP/1.1 ${error.status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
}
