// One h2 connection carrying many watch streams, for the fan-out bench's h2 client
// (bench/support/h2-watchers.ts). It does what Go's HTTP/2 transport (client-go's) does that
// matters here: no server push, a 4 MiB window per stream and 1 GiB for the connection,
// window updates as data is read, settings and pings acknowledged. Streams are GETs.
import { connect, type TLSSocket } from "node:tls";
import { Flag, FrameReader, FrameType, PREFACE, Setting, frame, getRequestBlock, readSettings, responseStatus, settingsFrame, windowUpdateFrame } from "./h2-frames.ts";
import { EventLineScanner } from "./watch-stream.ts";

const STREAM_WINDOW = 4 << 20;
const CONNECTION_WINDOW = 1 << 30;
const DEFAULT_WINDOW = 65_535;

export interface WatchHandlers {
  /** The response headers of a stream arrived (status undefined: not in a form read here). */
  onHeaders(status: number | undefined, detail: string): void;
  /** An event line ended in the read that arrived at `at`. */
  onEvent(resourceVersion: string | undefined, at: number): void;
  /** The stream ended or was reset, or the connection went away, after its headers (or before: onHeaders is not called then). */
  onClose(reason: string): void;
  /** Never give back this stream's flow-control window, as a client that stopped reading it (for tests of slow watchers). */
  holdWindow?: boolean;
}

interface StreamState {
  handlers: WatchHandlers;
  lines: EventLineScanner;
  unacknowledged: number;
  headersSeen: boolean;
  closed: boolean;
}

export interface ConnectOptions {
  host: string;
  port: number;
  tls: { ca: string; cert: string; key: string };
  /** Milliseconds since the epoch with sub-ms precision, comparable across processes. */
  now: () => number;
}

export class H2WatchConnection {
  private readonly streams = new Map<number, StreamState>();
  private readonly reader: FrameReader;
  private nextStreamId = 1;
  private connectionUnacknowledged = 0;
  private readAt = 0;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS (unlimited until it says otherwise). */
  maxConcurrentStreams = Infinity;
  private settled!: (error?: Error) => void;
  /** Resolves once the server's first SETTINGS frame has arrived. */
  readonly ready: Promise<void>;

  private constructor(
    private readonly socket: TLSSocket,
    private readonly options: ConnectOptions,
  ) {
    this.reader = new FrameReader({
      data: (id, data, start, end) => {
        const stream = this.streams.get(id);
        if (stream && !stream.closed) stream.lines.scan(data, start, end, this.readAt);
      },
      dataEnd: (id, flags, length) => this.dataRead(id, flags, length),
      frame: (type, flags, id, payload) => this.controlFrame(type, flags, id, payload),
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.settled = (error) => (error ? reject(error) : resolve());
    });
    socket.on("data", (bytes: Buffer) => {
      this.readAt = options.now();
      this.reader.feed(bytes);
    });
    socket.on("error", (error) => this.closeAll(`connection error: ${error.message}`));
    socket.on("close", () => this.closeAll("connection closed"));
  }

  static open(options: ConnectOptions): H2WatchConnection {
    const socket = connect({ host: options.host, port: options.port, ...options.tls, servername: "localhost", ALPNProtocols: ["h2"] });
    const connection = new H2WatchConnection(socket, options);
    socket.once("secureConnect", () => {
      if (socket.alpnProtocol !== "h2") {
        connection.settled(new Error(`the server did not choose h2 (ALPN: ${socket.alpnProtocol || "none"})`));
        socket.destroy();
        return;
      }
      socket.write(
        Buffer.concat([
          PREFACE,
          settingsFrame([
            [Setting.ENABLE_PUSH, 0],
            [Setting.INITIAL_WINDOW_SIZE, STREAM_WINDOW],
          ]),
          windowUpdateFrame(0, CONNECTION_WINDOW - DEFAULT_WINDOW),
        ]),
      );
    });
    return connection;
  }

  /** Sends one GET per handler, all in one write. */
  openStreams(path: string, handlers: WatchHandlers[]): void {
    const block = getRequestBlock(`${this.options.host}:${this.options.port}`, path, { accept: "application/json", userAgent: "kapi-bench-h2-watcher" });
    const frames: Buffer[] = [];
    for (const h of handlers) {
      const id = this.nextStreamId;
      this.nextStreamId += 2;
      this.streams.set(id, { handlers: h, lines: new EventLineScanner(h.onEvent), unacknowledged: 0, headersSeen: false, closed: false });
      frames.push(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, id, block));
    }
    this.socket.write(Buffer.concat(frames));
  }

  close(): void {
    this.socket.destroy();
  }

  private dataRead(id: number, flags: number, length: number): void {
    // Give back what was read, as Go does once half a window is used.
    const updates: Buffer[] = [];
    this.connectionUnacknowledged += length;
    if (this.connectionUnacknowledged >= CONNECTION_WINDOW / 2) {
      updates.push(windowUpdateFrame(0, this.connectionUnacknowledged));
      this.connectionUnacknowledged = 0;
    }
    const stream = this.streams.get(id);
    if (stream) {
      stream.unacknowledged += length;
      if (stream.unacknowledged >= STREAM_WINDOW / 2 && !(flags & Flag.END_STREAM) && !stream.handlers.holdWindow) {
        updates.push(windowUpdateFrame(id, stream.unacknowledged));
        stream.unacknowledged = 0;
      }
      if (flags & Flag.END_STREAM) this.closeStream(id, "the server ended the stream");
    }
    if (updates.length) this.socket.write(Buffer.concat(updates));
  }

  private controlFrame(type: number, flags: number, id: number, payload: Buffer): void {
    switch (type) {
      case FrameType.SETTINGS: {
        if (flags & Flag.ACK) return;
        const limit = readSettings(payload).get(Setting.MAX_CONCURRENT_STREAMS);
        if (limit !== undefined) this.maxConcurrentStreams = limit;
        this.socket.write(frame(FrameType.SETTINGS, Flag.ACK, 0));
        this.settled();
        return;
      }
      case FrameType.PING:
        if (!(flags & Flag.ACK)) this.socket.write(frame(FrameType.PING, Flag.ACK, 0, payload));
        return;
      case FrameType.HEADERS: {
        const stream = this.streams.get(id);
        if (!stream) return;
        if (!stream.headersSeen) {
          stream.headersSeen = true;
          stream.handlers.onHeaders(responseStatus(headerBlockOf(flags, payload)), payload.subarray(0, 16).toString("hex"));
        }
        if (flags & Flag.END_STREAM) this.closeStream(id, "the server ended the stream");
        return;
      }
      case FrameType.RST_STREAM:
        this.closeStream(id, `reset by the server (code ${payload.length >= 4 ? payload.readUInt32BE(0) : "?"})`);
        return;
      case FrameType.GOAWAY:
        this.closeAll(`GOAWAY (code ${payload.length >= 8 ? payload.readUInt32BE(4) : "?"})`);
        return;
    }
  }

  private closeStream(id: number, reason: string): void {
    const stream = this.streams.get(id);
    if (!stream || stream.closed) return;
    stream.closed = true;
    stream.handlers.onClose(reason);
  }

  private closeAll(reason: string): void {
    this.settled(new Error(reason));
    for (const id of this.streams.keys()) this.closeStream(id, reason);
  }
}

/** The header block fragment of a HEADERS frame: without its pad length, priority fields and padding. */
function headerBlockOf(flags: number, payload: Buffer): Buffer {
  let start = 0;
  let end = payload.length;
  if (flags & Flag.PADDED) {
    end -= payload[0]!;
    start = 1;
  }
  if (flags & Flag.PRIORITY) start += 5;
  return payload.subarray(start, end);
}
