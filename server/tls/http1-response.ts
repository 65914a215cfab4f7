// One HTTP/1.1 response written straight to its TLS socket, with the part of node's
// ServerResponse that the direct writers use (writeHead, write, end, destroy, drain/close).
// The head goes out with the first body bytes in one write: a small response is one TLS
// record and one system call.
import { EventEmitter } from "node:events";
import { STATUS_CODES } from "node:http";
import type { TLSSocket } from "node:tls";
import { encodeChunk, lastChunk } from "./http1-chunked.ts";
import { encodeParts, type BodyParts } from "../http/compression.ts";
import { writeReused, writeToSocket } from "./native-write.ts";
import { inReusedBuffer, responseBytes } from "./response-bytes.ts";
import type { RequestHead } from "./http1-head.ts";
import { httpDate } from "./http-date.ts";

/** What the response needs of its connection. */
export interface ResponseConnection {
  readonly socket: TLSSocket;
  /** The request's body has not all arrived: the connection cannot carry another request after this one. */
  readonly receivingBody: boolean;
  /** The response has been written whole; `keepAlive` says whether another request may follow. */
  finished(keepAlive: boolean): void;
}

type BodyMode = "length" | "chunked" | "until-close" | "none";

export class Http1Response extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  /** The head (latin1 text) until it is sent with the first body bytes. */
  private head: string | undefined;
  private mode: BodyMode | undefined;
  private keepAlive: boolean;
  private closed = false;

  constructor(
    private readonly connection: ResponseConnection,
    private readonly request: RequestHead,
  ) {
    super();
    this.keepAlive = request.keepAlive;
  }

  /** A whole plain-text response (errors the server itself answers); `close` ends the connection after it. */
  endText(status: number, text: string, close = false): void {
    if (close) this.keepAlive = false;
    const body = Buffer.from(text);
    this.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": body.byteLength });
    this.end(body);
  }

  writeHead(status: number, headers: Record<string, string | number>): this {
    if (this.head !== undefined || this.headersSent) return this;
    this.statusCode = status;
    const length = headers["content-length"];
    const bodiless = this.request.method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200);
    if (bodiless) this.mode = "none";
    else if (length !== undefined) this.mode = "length";
    else if (this.request.httpVersion === "1.1") this.mode = "chunked";
    else this.mode = "until-close";
    if (this.mode === "until-close" || this.connection.receivingBody) this.keepAlive = false;

    let text = `HTTP/${this.request.httpVersion} ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\n`;
    for (const name in headers) {
      if (name === "content-length" && (status === 204 || status === 304)) continue;
      text += `${name}: ${headers[name]}\r\n`;
    }
    if (headers.date === undefined) text += `date: ${httpDate()}\r\n`;
    if (this.mode === "chunked") text += "transfer-encoding: chunked\r\n";
    if (!this.keepAlive) text += "connection: close\r\n";
    this.head = `${text}\r\n`;
    return this;
  }

  /** Sends the head now, before any body (a stream's first event may be a while away). */
  flushHeaders(): void {
    if (this.head === undefined) this.writeHead(this.statusCode, {});
    this.send(undefined);
  }

  /**
   * The socket to write the body to as ready-made HTTP/1.1 chunks (size line, data, CRLF),
   * after flushHeaders() and before end(); undefined when the body is not chunked (or before
   * writeHead() has decided).
   */
  chunkSink(): TLSSocket | undefined {
    return this.mode === "chunked" ? this.connection.socket : undefined;
  }

  write(chunk: Uint8Array, callback?: () => void): boolean {
    if (this.writableEnded || this.destroyed) return false;
    if (this.head === undefined && !this.headersSent) this.writeHead(this.statusCode, {});
    if (chunk.byteLength === 0 || this.mode === "none") {
      if (callback) queueMicrotask(callback);
      return true;
    }
    return this.send(this.mode === "chunked" ? encodeChunk(chunk) : chunk, callback);
  }

  end(chunk?: Uint8Array): this {
    if (this.writableEnded || this.destroyed) return this;
    if (this.head === undefined && !this.headersSent) this.writeHead(this.statusCode, { "content-length": chunk?.byteLength ?? 0 });
    this.writableEnded = true;
    const body = chunk && chunk.byteLength > 0 && this.mode !== "none" ? chunk : undefined;
    if (this.mode === "chunked") this.send(body ? Buffer.concat([encodeChunk(body), lastChunk]) : lastChunk);
    else this.sendWhole(body);
    return this.finish();
  }

  /** end() for a body of text whose Content-Length writeHead() was given: encoded straight into the bytes written. */
  endBody(body: BodyParts): void {
    if (this.mode !== "length" || this.head === undefined) {
      this.end(encodeParts(body));
      return;
    }
    if (this.writableEnded || this.destroyed) return;
    this.writableEnded = true;
    this.sendWhole(body);
    this.finish();
  }

  /** The pending head and `body` in one write, put together in a reused buffer; the body alone once the head is out. */
  private sendWhole(body: BodyParts | undefined): void {
    if (this.head === undefined) {
      if (body !== undefined) this.send(encodeParts(body));
      return;
    }
    const bytes = responseBytes(this.head, body);
    this.head = undefined;
    this.headersSent = true;
    const socket = this.connection.socket;
    if (socket.destroyed) return;
    // A large response has a buffer of its own, which the Writable may keep as it is.
    if (inReusedBuffer(bytes)) writeReused(socket, bytes);
    else writeToSocket(socket, bytes, () => {});
  }

  private finish(): this {
    this.emit("finish");
    this.connection.finished(this.keepAlive);
    this.close();
    return this;
  }

  destroy(_error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (!this.writableEnded) this.connection.socket.destroy();
    this.close();
    return this;
  }

  /** The connection went away before the response ended. */
  connectionLost(): void {
    if (this.writableEnded) return;
    this.destroyed = true;
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    // Like node's response, "close" comes after the call that caused it has returned.
    process.nextTick(() => this.emit("close"));
  }

  /** Writes the pending head (if any) and `data` in one socket write. */
  private send(data: Uint8Array | undefined, callback?: () => void): boolean {
    const socket = this.connection.socket;
    let out = data;
    if (!this.headersSent && this.head !== undefined) {
      out = data ? responseBytes(this.head, data) : Buffer.from(this.head, "latin1");
      // The Writable keeps what it is given until it is sent: never the reused buffer.
      if (inReusedBuffer(out)) out = Buffer.from(out);
      this.head = undefined;
      this.headersSent = true;
    }
    if (!out) {
      if (callback) queueMicrotask(callback);
      return true;
    }
    if (socket.destroyed) return false;
    return callback ? socket.write(out, () => callback()) : socket.write(out);
  }
}
