// Watch fan-out client, run as its own process by bench/server-bench.ts:
//   bun bench/support/watchers.ts '<json config>'
// Opens `count` HTTP/1.1 watch streams, each on its own TLS connection (raw Bun.connect sockets
// rather than fetch: fetch pools connections and caps concurrent requests, see
// BUN_CONFIG_MAX_HTTP_REQUESTS, and its body reader adds per-chunk overhead). It prints
// {"ready":n,...} once every stream has its 200 response headers, timestamps every event line
// with performance.timeOrigin + performance.now() (comparable across processes), and when
// it reads "done" on stdin prints {"received": {resourceVersion: [ms, ...]}, ...} and exits.
import { WatchStreamParser } from "./watch-stream.ts";
import { adminTls, Deliveries, nowMs, readConfig, reportReady, reportWhenDone } from "./watcher-process.ts";

const config = readConfig();
const tls = { ...adminTls(config), serverName: config.host };

const deliveries = new Deliveries();

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
        if (status === 200) deliveries.ready++;
        else deliveries.fail(`stream ${index}: HTTP ${status}`);
        settle();
      },
      deliveries.record,
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
          stream.feed(data, nowMs());
        },
        close() {
          if (settled) deliveries.closedEarly++;
          else deliveries.fail(`stream ${index}: closed before headers`);
          settle();
        },
        error(_socket, err) {
          if (!settled) deliveries.fail(`stream ${index}: ${err.message}`);
          settle();
        },
        connectError(_socket, err) {
          deliveries.fail(`stream ${index}: connect: ${err.message}`);
          settle();
        },
      },
    }).catch((err: Error) => {
      if (!settled) deliveries.fail(`stream ${index}: ${err.message}`);
      settle();
    });
  });
}

const t0 = performance.now();
const concurrency = config.connectConcurrency;
let next = 0;
const openAll = Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < config.count) await open(next++);
  }),
);
const timedOut = await Promise.race([openAll.then(() => false), Bun.sleep(config.readyTimeoutMs).then(() => true)]);
reportReady(deliveries, performance.now() - t0, { timedOut, connections: config.count });
await reportWhenDone(deliveries);
