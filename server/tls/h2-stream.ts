// One h2 request stream on the server: the response side with the part of node's
// ServerResponse that the direct writers use (writeHead, write, end, destroy, drain/close, and
// `stream.close(code)` to reset it), and the request body as it arrives. Framing, flow control
// and the socket are the connection's (h2-connection.ts); a stream only queues what it has to
// send and says when it is done.
import { EventEmitter } from "node:events";
import { ErrorCode } from "./h2-frames.ts";

/** What a stream needs of its connection. */
export interface StreamConnection {
  /** Sends the stream's response headers now; `end` when no body follows. */
  sendHeaders(stream: H2Stream, status: number, headers: Record<string, string | number>, end: boolean): void;
  /** Frames what the stream has queued, as far as flow control and the socket allow. */
  pump(stream: H2Stream): void;
  /** Resets the stream with `code` (RST_STREAM) and forgets it. */
  reset(stream: H2Stream, code: number): void;
  /** `bytes` of the request body were taken by the app: the client may send that much more. */
  consumed(stream: H2Stream, bytes: number): void;
}

/** A queued piece of response body: data[offset..] is still to be framed. */
export interface QueuedData {
  data: Uint8Array;
  offset: number;
  callback: (() => void) | undefined;
}

export class H2Stream extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  /** How much the client lets us send on this stream (its flow-control window). */
  sendWindow: number;
  /** Body bytes waiting to be framed, in order. */
  readonly queue: QueuedData[] = [];
  queuedBytes = 0;
  /** END_STREAM goes out once the queue is framed. */
  endQueued = false;
  /** The client has sent END_STREAM (or reset the stream). */
  receiveClosed = false;
  /** What the client may still send before we give it more window. */
  receiveWindow: number;
  /** Body bytes the app has taken and not yet given back to the client as window. */
  unacknowledged = 0;
  /** write() returned false: "drain" is due once the queue is framed. */
  needDrain = false;
  /** The request's declared Content-Length and what has arrived of its body. */
  declaredLength: number | undefined;
  received = 0;
  /** Where the request body goes as it arrives; undefined once it is complete or dropped. */
  body: RequestBodySink | undefined;
  private pendingHead: { status: number; headers: Record<string, string | number> } | undefined;
  private closed = false;
  private readonly bodiless: boolean;

  /** The part of node's Http2Stream the watch uses to reset a stream: close(code). */
  readonly stream = { close: (code: number = ErrorCode.NO_ERROR) => this.resetWith(code) };

  constructor(
    readonly id: number,
    private readonly connection: StreamConnection,
    method: string,
    sendWindow: number,
    receiveWindow: number,
  ) {
    super();
    this.sendWindow = sendWindow;
    this.receiveWindow = receiveWindow;
    this.bodiless = method === "HEAD";
  }

  /** A whole plain-text response (errors the server itself answers). */
  endText(status: number, text: string): void {
    const body = Buffer.from(text);
    this.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": body.byteLength });
    this.end(body);
  }

  writeHead(status: number, headers: Record<string, string | number>): this {
    if (this.headersSent || this.pendingHead || this.closed) return this;
    this.statusCode = status;
    this.pendingHead = { status, headers };
    return this;
  }

  /** Sends the headers now, before any body (a stream's first event may be a while away). */
  flushHeaders(): void {
    this.sendPendingHead(false);
  }

  write(chunk: Uint8Array, callback?: () => void): boolean {
    if (this.writableEnded || this.closed) return false;
    this.sendPendingHead(false);
    if (chunk.byteLength === 0 || this.noBody()) {
      if (callback) queueMicrotask(callback);
      return true;
    }
    this.queue.push({ data: chunk, offset: 0, callback });
    this.queuedBytes += chunk.byteLength;
    this.connection.pump(this);
    if (this.queuedBytes === 0) return true;
    this.needDrain = true;
    return false;
  }

  end(chunk?: Uint8Array): this {
    if (this.writableEnded || this.closed) return this;
    const body = chunk && chunk.byteLength > 0 && !this.noBody() ? chunk : undefined;
    if (!this.headersSent && this.queue.length === 0 && !body) {
      this.writableEnded = true;
      this.sendPendingHead(true);
      return this;
    }
    this.sendPendingHead(false);
    this.writableEnded = true;
    if (body) {
      this.queue.push({ data: body, offset: 0, callback: undefined });
      this.queuedBytes += body.byteLength;
    }
    this.endQueued = true;
    this.connection.pump(this);
    return this;
  }

  destroy(_error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (!this.closed) this.connection.reset(this, ErrorCode.INTERNAL_ERROR);
    this.markClosed();
    return this;
  }

  /** Called by the connection: END_STREAM is framed or the stream is gone; emits "close" once. */
  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.body?.abort(new Error("the stream closed before the whole request body arrived"));
    this.body = undefined;
    for (const queued of this.queue) queued.callback?.();
    this.queue.length = 0;
    this.queuedBytes = 0;
    // Like node's response, "close" comes after the call that caused it has returned.
    process.nextTick(() => this.emit("close"));
  }

  /** END_STREAM has been framed, or the stream was reset or lost: nothing more is sent. */
  get isClosed(): boolean {
    return this.closed;
  }

  private resetWith(code: number): void {
    if (this.closed) return;
    this.connection.reset(this, code);
  }

  private noBody(): boolean {
    return this.bodiless || this.statusCode === 204 || this.statusCode === 304;
  }

  private sendPendingHead(end: boolean): void {
    if (this.headersSent) return;
    if (!this.pendingHead) this.writeHead(this.statusCode, {});
    const head = this.pendingHead!;
    this.pendingHead = undefined;
    this.headersSent = true;
    this.connection.sendHeaders(this, head.status, head.headers, end);
  }
}

/** Takes a request body as it arrives. */
export interface RequestBodySink {
  push(data: Uint8Array): void;
  finish(): void;
  abort(error: Error): void;
}

/** A body with a declared length, collected before the request is handed over. */
export class WholeRequestBody implements RequestBodySink {
  private readonly pieces: Uint8Array[] = [];

  constructor(private readonly done: (bytes: Uint8Array) => void) {}

  push(data: Uint8Array): void {
    this.pieces.push(data);
  }

  finish(): void {
    this.done(this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces));
  }

  abort(): void {}
}

/** A body handed over as a stream while it arrives; the client gets window as the app reads. */
export class StreamedRequestBody implements RequestBodySink {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private cancelled = false;
  /** Bytes queued in the stream that the reader has not asked past yet. */
  private unread = 0;

  constructor(private readonly onRead: (bytes: number) => void) {
    // With no high-water mark the stream pulls only when its queue is empty and a read
    // waits: everything queued before has been read, and that much window goes back.
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        pull: () => this.read(),
        cancel: () => {
          this.cancelled = true;
          this.read();
        },
      },
      { highWaterMark: 0, size: (chunk) => chunk?.byteLength ?? 0 },
    );
  }

  push(data: Uint8Array): void {
    if (this.cancelled) return this.onRead(data.byteLength);
    this.unread += data.byteLength;
    this.controller.enqueue(data);
  }

  finish(): void {
    if (!this.cancelled) this.controller.close();
  }

  abort(error: Error): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.controller.error(error);
  }

  private read(): void {
    const bytes = this.unread;
    this.unread = 0;
    if (bytes > 0) this.onRead(bytes);
  }
}
