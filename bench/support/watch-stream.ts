// The watch fan-out clients' response parsing (bench/support/watchers.ts over HTTP/1.1,
// bench/support/h2-watchers.ts over h2): one event per line, and the resourceVersion of each.

const RV = /"resourceVersion":"(\d+)"/;

// The resourceVersion of each event line is found by searching its bytes for this marker; the
// line itself is never made into a string. A marker cut by a read boundary is found in the
// last bytes of the line so far, kept as text, joined to the start of the next read.
const rvMarker = Buffer.from('"resourceVersion":"');
const carryBytes = 64;

/**
 * The event lines of one watch response body (NDJSON), given piece by piece as the body
 * arrives. It makes strings only of a few bytes around each resourceVersion: one process reads
 * all 1,000 streams of the fan-out bench, and turning each ~5 KB event into strings to parse it
 * cost that process ~28 µs per event (~16 µs for reading alone), more than the server's
 * ~20-25 µs per watcher to send it, so later arrivals were stamped when the process got round
 * to them rather than when they arrived.
 */
export class EventLineScanner {
  private lineRv: string | undefined;
  private carry = "";
  constructor(
    /** An event line ended in the read that arrived at `at`; `resourceVersion` is undefined when the line has none. */
    private readonly onEvent: (resourceVersion: string | undefined, at: number) => void,
  ) {}

  /** Scans body bytes data[pos, end), read at `at`. */
  scan(data: Buffer, pos: number, end: number, at: number): void {
    while (pos < end) {
      const nl = data.indexOf(10, pos);
      const lineEnds = nl >= 0 && nl < end;
      const stop = lineEnds ? nl : end;
      if (this.lineRv === undefined) this.searchRv(data, pos, stop);
      pos = stop;
      if (lineEnds) {
        this.lineDone(at);
        pos++;
      }
    }
  }

  /** Looks for the current line's resourceVersion in data[pos, stop), a piece of that line. */
  private searchRv(data: Buffer, pos: number, stop: number): void {
    // A marker the previous read cut: the line's kept tail joined to the start of this piece.
    let rv = this.carry ? RV.exec(this.carry + data.toString("latin1", pos, Math.min(stop, pos + carryBytes)))?.[1] : undefined;
    if (rv === undefined) {
      const found = data.indexOf(rvMarker, pos);
      if (found >= 0 && found < stop) rv = RV.exec(data.toString("latin1", found, Math.min(stop, found + carryBytes)))?.[1];
    }
    this.lineRv = rv;
    if (rv !== undefined) return;
    const tail = data.toString("latin1", Math.max(pos, stop - carryBytes), stop);
    this.carry = stop - pos >= carryBytes ? tail : (this.carry + tail).slice(-carryBytes);
  }

  private lineDone(at: number): void {
    const rv = this.lineRv;
    this.lineRv = undefined;
    this.carry = "";
    this.onEvent(rv, at);
  }
}

/**
 * Per-connection HTTP/1.1 response parser (status line, headers, chunked body, then the event
 * lines), run on every read as it arrives. Like the line scanner, it makes strings only of the
 * head and the chunk-size lines.
 */
export class WatchStreamParser {
  private head = "";
  private inHeaders = true;
  private sizeLine = "";
  private chunkLeft = 0;
  private crlfLeft = 0;
  private readonly lines: EventLineScanner;
  ended = false;
  constructor(
    private readonly onHeaders: (status: number) => void,
    /** An event line ended in the read that arrived at `at`; `resourceVersion` is undefined when the line has none. */
    onEvent: (resourceVersion: string | undefined, at: number) => void,
  ) {
    this.lines = new EventLineScanner(onEvent);
  }

  feed(data: Buffer, at: number): void {
    let pos = 0;
    if (this.inHeaders) {
      // latin1: one character per byte, so string offsets are byte offsets.
      this.head += data.toString("latin1");
      const end = this.head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const rest = this.head.length - (end + 4);
      this.inHeaders = false;
      this.onHeaders(Number(this.head.slice(0, end).split(" ")[1]));
      this.head = "";
      pos = data.length - rest;
    }
    while (pos < data.length && !this.ended) {
      if (this.crlfLeft > 0) {
        const n = Math.min(this.crlfLeft, data.length - pos);
        this.crlfLeft -= n;
        pos += n;
        continue;
      }
      if (this.chunkLeft === 0) {
        const eol = data.indexOf(10, pos);
        if (eol < 0) {
          this.sizeLine += data.toString("latin1", pos);
          return;
        }
        const size = parseInt(this.sizeLine + data.toString("latin1", pos, eol), 16);
        this.sizeLine = "";
        pos = eol + 1;
        if (!(size > 0)) this.ended = true;
        else this.chunkLeft = size;
        continue;
      }
      const end = Math.min(data.length, pos + this.chunkLeft);
      this.chunkLeft -= end - pos;
      this.lines.scan(data, pos, end, at);
      pos = end;
      if (this.chunkLeft === 0) this.crlfLeft = 2;
    }
  }
}
