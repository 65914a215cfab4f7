// Watch fan-out client, run as its own process by bench/server-bench.ts:
//   bun bench/support/watchers.ts '<json config>'
// Opens `count` HTTP/1.1 watch streams, each on its own TLS connection (raw Bun.connect sockets
// rather than fetch: fetch pools connections and caps concurrent requests, see
// BUN_CONFIG_MAX_HTTP_REQUESTS, and its body reader adds per-chunk overhead). It prints
// {"ready":n,...} once every stream has its 200 response headers, timestamps every event line
// with performance.timeOrigin + performance.now() (comparable across processes), and when
// it reads "done" on stdin prints {"received": {resourceVersion: [ms, ...]}, ...} and exits.
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Config {
  host: string;
  port: number;
  path: string;
  count: number;
  dataDir: string;
  connectConcurrency?: number;
  readyTimeoutMs?: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const pki = join(config.dataDir, "pki");
const tls = {
  ca: readFileSync(join(pki, "ca.crt"), "utf8"),
  cert: readFileSync(join(pki, "admin.crt"), "utf8"),
  key: readFileSync(join(pki, "admin.key"), "utf8"),
  serverName: config.host,
};

// Wall-clock milliseconds with sub-ms precision. (Bun's process.hrtime counts from process start,
// so it is not comparable across processes; timeOrigin + now() is.)
const nowMs = () => performance.timeOrigin + performance.now();
const received = new Map<string, number[]>();
const RV = /"resourceVersion":"(\d+)"/;
let headersOk = 0;
let failed = 0;
let closedEarly = 0;
let eventLines = 0;
let bytes = 0;
const failures: string[] = [];

// The resourceVersion of each event line is found by searching its bytes for this marker; the
// line itself is never made into a string. A marker cut by a read boundary is found in the
// last bytes of the line so far, kept as text, joined to the start of the next read.
const rvMarker = Buffer.from('"resourceVersion":"');
const carryBytes = 64;

class Stream {
  private head = "";
  private inHeaders = true;
  private sizeLine = "";
  private chunkLeft = 0;
  private crlfLeft = 0;
  private lineRv: string | undefined;
  private carry = "";
  ended = false;
  constructor(private readonly onHeaders: (status: number) => void) {}

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
      if (this.chunkLeft === 0) this.crlfLeft = 2;
    }
  }

  /** Looks for the current line's resourceVersion in data[pos, stop), a piece of that line. */
  private searchRv(data: Buffer, pos: number, stop: number): void {
    const joint = RV.exec(this.carry + data.toString("latin1", pos, Math.min(stop, pos + carryBytes)));
    const found = data.indexOf(rvMarker, pos);
    const inside = found >= 0 && found < stop ? RV.exec(data.toString("latin1", found, Math.min(stop, found + carryBytes))) : null;
    this.lineRv = (joint ?? inside)?.[1];
    if (this.lineRv !== undefined) return;
    const tail = data.toString("latin1", Math.max(pos, stop - carryBytes), stop);
    this.carry = stop - pos >= carryBytes ? tail : (this.carry + tail).slice(-carryBytes);
  }

  private lineDone(at: number): void {
    eventLines++;
    const rv = this.lineRv;
    this.lineRv = undefined;
    this.carry = "";
    if (rv) {
      let times = received.get(rv);
      if (!times) received.set(rv, (times = []));
      times.push(at);
    }
  }
}

async function open(index: number): Promise<void> {
  await new Promise<void>((resolveOpen) => {
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolveOpen();
      }
    };
    const stream = new Stream((status) => {
      if (status === 200) headersOk++;
      else {
        failed++;
        if (failures.length < 5) failures.push(`stream ${index}: HTTP ${status}`);
      }
      settle();
    });
    Bun.connect({
      hostname: config.host,
      port: config.port,
      tls,
      socket: {
        open(socket) {
          socket.write(`GET ${config.path} HTTP/1.1\r\nHost: ${config.host}:${config.port}\r\nAccept: application/json\r\nUser-Agent: kapi-bench-watcher\r\n\r\n`);
        },
        data(_socket, data) {
          const at = nowMs();
          bytes += data.length;
          stream.feed(data, at);
        },
        close() {
          if (settled) closedEarly++;
          else {
            failed++;
            if (failures.length < 5) failures.push(`stream ${index}: closed before headers`);
          }
          settle();
        },
        error(_socket, err) {
          if (!settled) {
            failed++;
            if (failures.length < 5) failures.push(`stream ${index}: ${err.message}`);
          }
          settle();
        },
        connectError(_socket, err) {
          failed++;
          if (failures.length < 5) failures.push(`stream ${index}: connect: ${err.message}`);
          settle();
        },
      },
    }).catch((err: Error) => {
      if (!settled) {
        failed++;
        if (failures.length < 5) failures.push(`stream ${index}: ${err.message}`);
      }
      settle();
    });
  });
}

const t0 = performance.now();
const concurrency = config.connectConcurrency ?? 64;
let next = 0;
const openAll = Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < config.count) await open(next++);
  }),
);
const timedOut = await Promise.race([openAll.then(() => false), Bun.sleep(config.readyTimeoutMs ?? 30_000).then(() => true)]);
console.log(JSON.stringify({ ready: headersOk, failed, timedOut, openMs: performance.now() - t0, failures }));

for await (const line of console) {
  if (line.trim() === "done") break;
}
console.log(JSON.stringify({ received: Object.fromEntries(received), eventLines, bytes, closedEarly }));
process.exit(0);
