// Watch fan-out client over h2, run as its own process by bench/server-bench.ts:
//   bun bench/support/h2-watchers.ts '<json config>'
// Opens `count` watch streams the way client-go does: multiplexed on one h2 connection, with a
// new connection only when the server's SETTINGS_MAX_CONCURRENT_STREAMS is reached (the frames
// are read and written here, bench/support/h2-watch-connection.ts, rather than by node:http2,
// whose per-stream Duplex costs more per event than the server spends sending it). Same
// protocol on stdout and stdin as watchers.ts (bench/support/watcher-process.ts).
import { H2WatchConnection } from "./h2-watch-connection.ts";
import { adminTls, Deliveries, nowMs, readConfig, reportReady, reportWhenDone } from "./watcher-process.ts";

const config = readConfig();
const tls = adminTls(config);
const deliveries = new Deliveries();
const connections: H2WatchConnection[] = [];

/** Opens `count` streams on one new connection (fewer if the server allows fewer); resolves when each has its headers or has failed. */
async function openSome(count: number): Promise<number> {
  const connection = H2WatchConnection.open({ host: config.host, port: config.port, tls, now: nowMs });
  connections.push(connection);
  await connection.ready;
  const here = Math.min(count, connection.maxConcurrentStreams);
  if (here === 0) throw new Error("the server allows no streams on a connection (SETTINGS_MAX_CONCURRENT_STREAMS 0)");
  const answered: Promise<void>[] = [];
  const handlers = Array.from({ length: here }, (_, index) => {
    let answer!: () => void;
    answered.push(new Promise<void>((resolve) => (answer = resolve)));
    let headers = false;
    return {
      onHeaders(status: number | undefined, detail: string) {
        headers = true;
        if (status === 200) deliveries.ready++;
        else deliveries.fail(`stream ${index}: status ${status ?? `not read (header block starts ${detail})`}`);
        answer();
      },
      onEvent: deliveries.record,
      onClose(reason: string) {
        if (headers) deliveries.closedEarly++;
        else deliveries.fail(`stream ${index}: ${reason} before headers`);
        answer();
      },
    };
  });
  connection.openStreams(config.path, handlers);
  await Promise.all(answered);
  return here;
}

const t0 = performance.now();
const opening = (async () => {
  for (let left = config.count; left > 0; ) left -= await openSome(left);
})();
const timedOut = await Promise.race([opening.then(() => false), Bun.sleep(config.readyTimeoutMs).then(() => true)]).catch((error: Error) => {
  deliveries.fail(error.message);
  return false;
});
reportReady(deliveries, performance.now() - t0, { timedOut, connections: connections.length });
await reportWhenDone(deliveries);
