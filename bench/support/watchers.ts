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
import { WatchStreamParser } from "./watch-stream.ts";

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
let headersOk = 0;
let failed = 0;
let closedEarly = 0;
let eventLines = 0;
let bytes = 0;
const failures: string[] = [];

async function open(index: number): Promise<void> {
  await new Promise<void>((resolveOpen) => {
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolveOpen();
      }
    };
    const stream = new WatchStreamParser(
      (status) => {
        if (status === 200) headersOk++;
        else {
          failed++;
          if (failures.length < 5) failures.push(`stream ${index}: HTTP ${status}`);
        }
        settle();
      },
      (rv, at) => {
        eventLines++;
        if (rv === undefined) return;
        let times = received.get(rv);
        if (!times) received.set(rv, (times = []));
        times.push(at);
      },
    );
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
