// Serves h2 (RFC 9113) on one TLS connection: reads frames, decodes request headers, hands
// each request over with its body, and frames responses with flow control. Frames made while
// the event loop runs one task go out together in one socket write at the end of it: a watch
// event for 1,000 streams is one TLS write, not 1,000. A stream whose client stopped reading
// it (its window used up) waits on its own; the connection's other streams go on.
import type { TLSSocket } from "node:tls";
import { DEFAULT_MAX_FRAME_SIZE, ErrorCode, Flag, FrameError, FrameReader, FRAME_HEADER_SIZE, FrameType, goawayFrame, MAX_WINDOW, PREFACE, readSettings, rstStreamFrame, Setting, settingsFrame, windowUpdateFrame, writeFrameHeader, frame } from "./h2-frames.ts";
import { H2Stream, StreamedRequestBody, WholeRequestBody, type StreamConnection } from "./h2-stream.ts";
import { encodeResponseHeaders, HeaderListTooLarge, HpackDecoder, HpackError } from "./hpack.ts";
import { parseH2RequestHead, type H2RequestHead } from "./h2-request.ts";
import { httpDate } from "./http-date.ts";
import { writeReused, writeToSocket } from "./native-write.ts";
import type { RequestBody } from "./http1-connection.ts";

export interface H2Handlers {
  /** A request to answer through `stream`; its body is whole (bytes), still arriving (a stream) or absent. Settles when the handler is done. */
  request(head: H2RequestHead, body: RequestBody, stream: H2Stream): Promise<void> | void;
  /** A fault of the server's own that closed the connection. */
  error(error: unknown): void;
}

export interface H2Limits {
  /** Bodies with a declared length up to this many bytes are read whole before the request is handed over. */
  wholeBodyLimit: number;
  /** A connection without streams is closed after this long without traffic. */
  idleTimeoutMs: number;
}

// What this server announces. kube-apiserver allows 1,000 streams per connection, a
// client-go process puts all of its watches on one; its upload buffer per stream is 256 KiB.
const MAX_CONCURRENT_STREAMS = 1000;
const STREAM_RECEIVE_WINDOW = 256 * 1024;
const CONNECTION_RECEIVE_WINDOW = 16 * 1024 * 1024;
const MAX_HEADER_LIST_SIZE = 1 << 20;
// The largest frame this end sends, whatever the client allows: larger frames save nothing
// and make a stream hold the socket longer.
const MAX_SEND_FRAME = 64 * 1024;
const INITIAL_SEND_WINDOW = 65_535;
const MAX_CONTINUATIONS = 1000;
// Control frames the client makes us send (PING and SETTINGS acknowledgements, resets) while it
// does not read what we send are queued up to this many, as Go's server does, then it is cut off.
const MAX_QUEUED_CONTROL_FRAMES = 10_000;
const FAILED_CONNECTION_GRACE_MS = 5000;

/** A connection error: GOAWAY with `code`, then the connection closes. */
class ConnectionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A frame to send: its header fields and payload data[start, end). */
interface OutFrame {
  type: number;
  flags: number;
  streamId: number;
  data: Uint8Array | undefined;
  start: number;
  end: number;
}

// Frames are copied into this buffer and written from there (the native socket copies what it
// takes; the rest is copied again before it is queued). It grows to the largest flush seen and
// is let go after a quiet spell.
let shared: Buffer | undefined;
let sharedUsed = false;
let sharedTimer: ReturnType<typeof setInterval> | undefined;
const SHARED_MAX = 16 * 1024 * 1024;
const SHARED_IDLE_MS = 30_000;

function outputBuffer(size: number): Buffer {
  if (size > SHARED_MAX) return Buffer.allocUnsafe(size);
  if (!shared || shared.length < size) shared = Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024, Math.min(SHARED_MAX, (shared?.length ?? 0) * 2)));
  sharedUsed = true;
  // One timer checks for a quiet spell, rather than one set again on every flush.
  if (!sharedTimer) {
    sharedTimer = setInterval(() => {
      if (sharedUsed) return void (sharedUsed = false);
      shared = undefined;
      clearInterval(sharedTimer);
      sharedTimer = undefined;
    }, SHARED_IDLE_MS);
    sharedTimer.unref?.();
  }
  return shared;
}

export class H2Connection implements StreamConnection {
  private readonly streams = new Map<number, H2Stream>();
  private readonly reader: FrameReader;
  private readonly decoder = new HpackDecoder(4096, MAX_HEADER_LIST_SIZE);
  private preface: Buffer | undefined = Buffer.alloc(0);
  private settingsReceived = false;
  private lastStreamId = 0;
  // Flow control: what the client lets us send, what it may send us.
  private sendWindow = INITIAL_SEND_WINDOW;
  private peerInitialWindow = INITIAL_SEND_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  private receiveWindow = CONNECTION_RECEIVE_WINDOW;
  private receivedUnacknowledged = 0;
  // A header block continued in CONTINUATION frames.
  private continued: { streamId: number; flags: number; pieces: Buffer[]; size: number } | undefined;
  // Output of the current task, written at its end.
  private readonly out: (OutFrame | Uint8Array)[] = [];
  private outBytes = 0;
  private afterFlush: (() => void)[] = [];
  private flushScheduled = false;
  /** Streams with data to send that wait for the connection window or the socket, in order. */
  private waiting = new Set<H2Stream>();
  private socketBlocked = false;
  private controlWhileBlocked = 0;
  /** Handlers still running, whether or not their stream is: they count against the stream limit. */
  private handling = 0;
  private goingAway = false;
  private dead = false;
  /** Content bytes of the DATA frame being read (its padding is the rest of its length). */
  private frameContent = 0;

  constructor(
    readonly socket: TLSSocket,
    private readonly handlers: H2Handlers,
    private readonly limits: H2Limits,
  ) {
    this.reader = new FrameReader({ data: (id, bytes, start, end) => this.onData(id, bytes, start, end), dataEnd: (id, flags, length) => this.onDataEnd(id, flags, length), frame: (type, flags, id, payload) => this.onFrame(type, flags, id, payload) }, DEFAULT_MAX_FRAME_SIZE);
    this.send(
      settingsFrame([
        [Setting.MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS],
        [Setting.INITIAL_WINDOW_SIZE, STREAM_RECEIVE_WINDOW],
        [Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_SIZE],
      ]),
    );
    this.send(windowUpdateFrame(0, CONNECTION_RECEIVE_WINDOW - 65_535));
    socket.on("data", this.onSocketData);
    socket.on("drain", () => {
      this.socketBlocked = false;
      this.controlWhileBlocked = 0;
      this.pumpWaiting();
    });
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on("timeout", () => {
      if (this.streams.size === 0) this.shutdown();
    });
    socket.on("close", () => this.lost());
  }

  /** Takes no further streams (GOAWAY); closes once the open ones are done. */
  shutdown(): void {
    if (this.dead) return;
    if (!this.goingAway) {
      this.goingAway = true;
      this.send(goawayFrame(this.lastStreamId, ErrorCode.NO_ERROR));
    }
    this.closeIfDone();
  }

  // ------------------------------------------------------------------ reading

  private readonly onSocketData = (chunk: Buffer): void => {
    if (this.dead) return;
    try {
      if (this.preface) {
        const have = Buffer.concat([this.preface, chunk]);
        const n = Math.min(have.length, PREFACE.length);
        if (!have.subarray(0, n).equals(PREFACE.subarray(0, n))) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
        if (have.length < PREFACE.length) {
          this.preface = have;
          return;
        }
        this.preface = undefined;
        chunk = have.subarray(PREFACE.length);
      }
      this.reader.feed(chunk);
    } catch (error) {
      if (error instanceof ConnectionError || error instanceof FrameError) return this.fail(error.code, error.message);
      if (error instanceof HpackError) return this.fail(ErrorCode.COMPRESSION_ERROR, error.message);
      this.fail(ErrorCode.INTERNAL_ERROR, "internal error");
      this.handlers.error(error);
    }
  };

  /** DATA, like any frame, must follow the client's SETTINGS and may not interrupt a header block. */
  private checkFrameAllowed(): void {
    if (!this.settingsReceived) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "the first frame must be SETTINGS");
    if (this.continued) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "header block interrupted");
  }

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (type !== FrameType.SETTINGS && type !== FrameType.CONTINUATION) this.checkFrameAllowed();
    if (type === FrameType.SETTINGS && this.continued) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "header block interrupted");
    switch (type) {
      case FrameType.HEADERS:
        return this.onHeaders(flags, streamId, payload);
      case FrameType.CONTINUATION:
        return this.onContinuation(flags, streamId, payload);
      case FrameType.PRIORITY:
        if (streamId === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "PRIORITY on stream 0");
        if (payload.length !== 5) this.resetId(streamId, ErrorCode.FRAME_SIZE_ERROR);
        return;
      case FrameType.RST_STREAM:
        return this.onRstStream(streamId, payload);
      case FrameType.SETTINGS:
        return this.onSettings(flags, streamId, payload);
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "clients do not push");
      case FrameType.PING:
        if (streamId !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "PING on a stream");
        if (payload.length !== 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "PING of the wrong size");
        if (!(flags & Flag.ACK)) this.send(frame(FrameType.PING, Flag.ACK, 0, payload));
        return;
      case FrameType.GOAWAY:
        if (streamId !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "GOAWAY on a stream");
        this.goingAway = true;
        return this.closeIfDone();
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload);
      default:
      // Unknown frame types are ignored (RFC 9113 section 4.1).
    }
  }

  private onSettings(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & Flag.ACK) {
      if (payload.length !== 0) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
      return;
    }
    if (payload.length % 6 !== 0) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS of the wrong size");
    this.settingsReceived = true;
    for (const [id, value] of readSettings(payload)) {
      if (id === Setting.ENABLE_PUSH && value > 1) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "invalid ENABLE_PUSH");
      if (id === Setting.INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE too large");
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const stream of this.streams.values()) {
          stream.sendWindow += delta;
          if (stream.sendWindow > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "stream window too large");
        }
      }
      if (id === Setting.MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "invalid MAX_FRAME_SIZE");
        this.peerMaxFrame = value;
      }
    }
    this.send(frame(FrameType.SETTINGS, Flag.ACK, 0));
    for (const stream of this.streams.values()) this.pump(stream);
  }

  private onWindowUpdate(streamId: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE of the wrong size");
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (streamId === 0) {
      if (increment === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "connection window too large");
      return this.pumpWaiting();
    }
    const stream = this.streams.get(streamId);
    if (!stream) {
      if (streamId > this.lastStreamId) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream");
      return;
    }
    if (increment === 0) return this.reset(stream, ErrorCode.PROTOCOL_ERROR);
    stream.sendWindow += increment;
    if (stream.sendWindow > MAX_WINDOW) return this.reset(stream, ErrorCode.FLOW_CONTROL_ERROR);
    this.pump(stream);
  }

  private onRstStream(streamId: number, payload: Buffer): void {
    if (streamId === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on stream 0");
    if (payload.length !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM of the wrong size");
    if (streamId > this.lastStreamId) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
    const stream = this.streams.get(streamId);
    if (stream) this.forget(stream);
  }

  private onHeaders(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0 || streamId % 2 === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "HEADERS on an invalid stream");
    let start = 0;
    let end = payload.length;
    if (flags & Flag.PADDED) {
      if (payload.length < 1) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "padded HEADERS without a pad length");
      start = 1;
      end -= payload[0]!;
    }
    if (flags & Flag.PRIORITY) start += 5;
    if (end < start) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "HEADERS padding longer than the frame");
    const fragment = payload.subarray(start, end);
    if (flags & Flag.END_HEADERS) return this.onHeaderBlock(streamId, flags, fragment);
    this.continued = { streamId, flags, pieces: [fragment], size: fragment.length };
  }

  private onContinuation(flags: number, streamId: number, payload: Buffer): void {
    const continued = this.continued;
    if (!continued || continued.streamId !== streamId) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "unexpected CONTINUATION");
    continued.pieces.push(payload);
    continued.size += payload.length;
    // Empty CONTINUATION frames add nothing to the size but would be kept without end.
    if (continued.size > MAX_HEADER_LIST_SIZE || continued.pieces.length > MAX_CONTINUATIONS) throw new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "header block too large");
    if (!(flags & Flag.END_HEADERS)) return;
    this.continued = undefined;
    this.onHeaderBlock(streamId, continued.flags, Buffer.concat(continued.pieces));
  }

  private onHeaderBlock(streamId: number, flags: number, block: Buffer): void {
    let fields: [string, string][] | undefined;
    try {
      fields = this.decoder.decode(block);
    } catch (error) {
      // Too large a list is refused on its stream; the decoder has kept its table in step.
      if (!(error instanceof HeaderListTooLarge)) throw error;
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    const existing = this.streams.get(streamId);
    if (existing) {
      // Trailers: they end the request; their fields are not used.
      if (existing.receiveClosed || !endStream) return this.reset(existing, existing.receiveClosed ? ErrorCode.STREAM_CLOSED : ErrorCode.PROTOCOL_ERROR);
      return this.endOfBody(existing);
    }
    // A stream this end has closed may still get trailers the client sent before it knew:
    // their block has been decoded (the table must stay in step) and is dropped.
    if (streamId <= this.lastStreamId) return;
    this.lastStreamId = streamId;
    if (this.goingAway) return;
    if (Math.max(this.streams.size, this.handling) >= MAX_CONCURRENT_STREAMS) return this.resetId(streamId, ErrorCode.REFUSED_STREAM);
    if (!fields) {
      // Answered as on HTTP/1.1 (and by Go's h2 server), not served.
      const refused = this.open(streamId, "GET", endStream);
      return refused.endText(431, "431 Request Header Fields Too Large: request headers too large");
    }
    const head = parseH2RequestHead(fields);
    if (!head) return this.resetId(streamId, ErrorCode.PROTOCOL_ERROR);
    const stream = this.open(streamId, head.method, endStream);
    stream.declaredLength = head.contentLength;
    if (endStream) {
      if (head.contentLength) return this.reset(stream, ErrorCode.PROTOCOL_ERROR);
      return this.dispatch(head, null, stream);
    }
    if (head.contentLength !== undefined && head.contentLength <= this.limits.wholeBodyLimit) {
      stream.body = new WholeRequestBody((bytes) => this.dispatch(head, bytes, stream));
      return;
    }
    const streamed = new StreamedRequestBody((bytes) => this.consumed(stream, bytes));
    stream.body = streamed;
    this.dispatch(head, streamed.stream, stream);
  }

  private open(streamId: number, method: string, endStream: boolean): H2Stream {
    const stream = new H2Stream(streamId, this, method, this.peerInitialWindow, STREAM_RECEIVE_WINDOW);
    stream.receiveClosed = endStream;
    this.streams.set(streamId, stream);
    return stream;
  }

  private onData(streamId: number, bytes: Buffer, start: number, end: number): void {
    this.checkFrameAllowed();
    this.frameContent += end - start;
    const stream = this.streams.get(streamId);
    if (!stream || stream.receiveClosed || !stream.body) return;
    stream.received += end - start;
    if (stream.declaredLength !== undefined && stream.received > stream.declaredLength) return this.reset(stream, ErrorCode.PROTOCOL_ERROR);
    stream.body.push(bytes.subarray(start, end));
  }

  private onDataEnd(streamId: number, flags: number, length: number): void {
    this.checkFrameAllowed();
    if (streamId === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "DATA on stream 0");
    const content = this.frameContent;
    this.frameContent = 0;
    this.receiveWindow -= length;
    if (this.receiveWindow < 0) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "the client sent beyond the connection window");
    // The connection's window is given back at once: each stream's own window bounds what waits.
    this.receivedUnacknowledged += length;
    if (this.receivedUnacknowledged >= CONNECTION_RECEIVE_WINDOW / 2) {
      this.send(windowUpdateFrame(0, this.receivedUnacknowledged));
      this.receiveWindow += this.receivedUnacknowledged;
      this.receivedUnacknowledged = 0;
    }
    const stream = this.streams.get(streamId);
    if (!stream) {
      if (streamId > this.lastStreamId) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "DATA on an idle stream");
      return;
    }
    if (stream.receiveClosed) return this.reset(stream, ErrorCode.STREAM_CLOSED);
    stream.receiveWindow -= length;
    if (stream.receiveWindow < 0) return this.reset(stream, ErrorCode.FLOW_CONTROL_ERROR);
    // Padding and a whole body's bytes are taken now; a streamed body's as the app reads them.
    const taken = stream.body instanceof StreamedRequestBody ? length - content : length;
    if (taken > 0) this.consumed(stream, taken);
    if (flags & Flag.END_STREAM) this.endOfBody(stream);
  }

  private endOfBody(stream: H2Stream): void {
    stream.receiveClosed = true;
    if (stream.declaredLength !== undefined && stream.received !== stream.declaredLength) return this.reset(stream, ErrorCode.PROTOCOL_ERROR);
    const body = stream.body;
    stream.body = undefined;
    body?.finish();
  }

  private dispatch(head: H2RequestHead, body: RequestBody, stream: H2Stream): void {
    this.handling++;
    const settled = () => {
      this.handling--;
      this.closeIfDone();
    };
    let result: Promise<void> | void;
    try {
      result = this.handlers.request(head, body, stream);
    } catch (error) {
      settled();
      throw error;
    }
    if (result) result.then(settled, settled);
    else settled();
  }

  // ------------------------------------------------------------------ StreamConnection

  consumed(stream: H2Stream, bytes: number): void {
    if (stream.receiveClosed || stream.isClosed) return;
    stream.unacknowledged += bytes;
    if (stream.unacknowledged < STREAM_RECEIVE_WINDOW / 2) return;
    this.send(windowUpdateFrame(stream.id, stream.unacknowledged));
    stream.receiveWindow += stream.unacknowledged;
    stream.unacknowledged = 0;
  }

  sendHeaders(stream: H2Stream, status: number, headers: Record<string, string | number>, end: boolean): void {
    if (stream.isClosed || this.dead) return;
    const block = encodeResponseHeaders(status, headers, headers.date === undefined ? httpDate() : undefined);
    const max = this.peerMaxFrame;
    let flags = end ? Flag.END_STREAM : 0;
    if (block.length <= max) {
      this.queueFrame(FrameType.HEADERS, flags | Flag.END_HEADERS, stream.id, block, 0, block.length);
    } else {
      for (let offset = 0, type: number = FrameType.HEADERS; offset < block.length; offset += max, type = FrameType.CONTINUATION, flags = 0) {
        const last = offset + max >= block.length;
        this.queueFrame(type, flags | (last ? Flag.END_HEADERS : 0), stream.id, block, offset, Math.min(block.length, offset + max));
      }
    }
    if (end) this.sentEnd(stream);
  }

  pump(stream: H2Stream): void {
    if (stream.isClosed || this.dead) return;
    const maxFrame = Math.min(this.peerMaxFrame, MAX_SEND_FRAME);
    while (stream.queue.length > 0) {
      if (this.socketBlocked || this.sendWindow <= 0) {
        this.waiting.add(stream);
        return;
      }
      if (stream.sendWindow <= 0) return; // its WINDOW_UPDATE pumps it again
      const piece = stream.queue[0]!;
      const remaining = piece.data.byteLength - piece.offset;
      const n = Math.min(remaining, this.sendWindow, stream.sendWindow, maxFrame);
      const whole = n === remaining;
      const end = whole && stream.queue.length === 1 && stream.endQueued;
      this.queueFrame(FrameType.DATA, end ? Flag.END_STREAM : 0, stream.id, piece.data, piece.offset, piece.offset + n);
      this.sendWindow -= n;
      stream.sendWindow -= n;
      stream.queuedBytes -= n;
      piece.offset += n;
      if (whole) {
        stream.queue.shift();
        if (piece.callback) this.afterFlush.push(piece.callback);
      }
      if (end) return this.sentEnd(stream);
    }
    if (stream.endQueued) {
      this.queueFrame(FrameType.DATA, Flag.END_STREAM, stream.id, undefined, 0, 0);
      return this.sentEnd(stream);
    }
    if (stream.needDrain) {
      stream.needDrain = false;
      this.afterFlush.push(() => stream.emit("drain"));
    }
  }

  reset(stream: H2Stream, code: number): void {
    if (!stream.isClosed && !this.dead) this.send(rstStreamFrame(stream.id, code));
    this.forget(stream);
  }

  // ------------------------------------------------------------------ writing

  private sentEnd(stream: H2Stream): void {
    // The response is complete: a body the client is still sending is not wanted.
    if (!stream.receiveClosed) this.send(rstStreamFrame(stream.id, ErrorCode.NO_ERROR));
    this.forget(stream);
  }

  private forget(stream: H2Stream): void {
    this.waiting.delete(stream);
    stream.markClosed();
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
    this.closeIfDone();
  }

  private resetId(streamId: number, code: number): void {
    this.send(rstStreamFrame(streamId, code));
  }

  private pumpWaiting(): void {
    if (this.waiting.size === 0) return;
    const streams = [...this.waiting];
    this.waiting.clear();
    for (const stream of streams) this.pump(stream);
  }

  private send(bytes: Uint8Array): void {
    if (this.dead) return;
    if (this.socketBlocked && ++this.controlWhileBlocked > MAX_QUEUED_CONTROL_FRAMES) {
      this.fail(ErrorCode.ENHANCE_YOUR_CALM, "too many control frames queued");
      return;
    }
    this.out.push(bytes);
    this.outBytes += bytes.byteLength;
    this.scheduleFlush();
  }

  private queueFrame(type: number, flags: number, streamId: number, data: Uint8Array | undefined, start: number, end: number): void {
    this.out.push({ type, flags, streamId, data, start, end });
    this.outBytes += FRAME_HEADER_SIZE + (end - start);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const size = this.outBytes;
    const out = this.out.splice(0);
    const callbacks = this.afterFlush;
    this.afterFlush = [];
    this.outBytes = 0;
    if (size > 0 && !this.socket.destroyed) {
      const target = outputBuffer(size);
      let offset = 0;
      for (const item of out) {
        if (item instanceof Uint8Array) {
          target.set(item, offset);
          offset += item.byteLength;
          continue;
        }
        writeFrameHeader(target, offset, item.end - item.start, item.type, item.flags, item.streamId);
        offset += FRAME_HEADER_SIZE;
        if (item.data) {
          target.set(item.end - item.start === item.data.byteLength ? item.data : item.data.subarray(item.start, item.end), offset);
          offset += item.end - item.start;
        }
      }
      const bytes = target.subarray(0, offset);
      if (target === shared) writeReused(this.socket, bytes);
      else writeToSocket(this.socket, bytes, () => {});
      // DATA waits while the socket's queue is over its high-water mark; "drain" resumes it.
      if (this.socket.writableNeedDrain) this.socketBlocked = true;
    }
    for (const callback of callbacks) callback();
  };

  // ------------------------------------------------------------------ closing

  private closeIfDone(): void {
    if (!this.goingAway || this.dead || this.streams.size > 0 || this.handling > 0) return;
    this.dead = true;
    this.flush();
    this.socket.end();
  }

  /** A connection error: GOAWAY with `code`, and the connection closes. */
  private fail(code: number, message: string): void {
    if (this.dead) return;
    // The GOAWAY goes out whatever the socket's state, behind what is queued; a client that
    // does not read it is cut off a few seconds later.
    this.socketBlocked = false;
    this.send(goawayFrame(this.lastStreamId, code, message));
    this.flush();
    this.dead = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), FAILED_CONNECTION_GRACE_MS).unref?.();
    this.lost();
  }

  /** The connection is gone: every stream with it. */
  private lost(): void {
    this.dead = true;
    for (const stream of this.streams.values()) stream.markClosed();
    this.streams.clear();
    this.waiting.clear();
  }
}
