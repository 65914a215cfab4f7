// What both watch fan-out clients (watchers.ts over HTTP/1.1, h2-watchers.ts over h2) share:
// their configuration (a JSON argument from bench/server-bench.ts), the admin credentials, what
// they record, and how they report it: {"ready": n, ...} on stdout once the streams are open,
// then, when "done" arrives on stdin, every event's arrival times by resourceVersion.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface WatcherConfig {
  host: string;
  port: number;
  path: string;
  /** How many watch streams to open. */
  count: number;
  /** The server's data dir, whose pki/ holds the CA and the admin client certificate. */
  dataDir: string;
  connectConcurrency: number;
  readyTimeoutMs: number;
}

export function readConfig(): WatcherConfig {
  const given = JSON.parse(process.argv[2] ?? "{}") as Partial<WatcherConfig>;
  return { connectConcurrency: 64, readyTimeoutMs: 30_000, ...given } as WatcherConfig;
}

export function adminTls(config: WatcherConfig): { ca: string; cert: string; key: string } {
  const pki = join(config.dataDir, "pki");
  return {
    ca: readFileSync(join(pki, "ca.crt"), "utf8"),
    cert: readFileSync(join(pki, "admin.crt"), "utf8"),
    key: readFileSync(join(pki, "admin.key"), "utf8"),
  };
}

/** Arrival times (ms since the epoch, comparable across processes) of each event, by resourceVersion. */
export class Deliveries {
  readonly received = new Map<string, number[]>();
  eventLines = 0;
  ready = 0;
  failed = 0;
  closedEarly = 0;
  readonly failures: string[] = [];

  readonly record = (resourceVersion: string | undefined, at: number): void => {
    this.eventLines++;
    if (resourceVersion === undefined) return;
    let times = this.received.get(resourceVersion);
    if (!times) this.received.set(resourceVersion, (times = []));
    times.push(at);
  };

  fail(message: string): void {
    this.failed++;
    if (this.failures.length < 5) this.failures.push(message);
  }
}

/** Wall-clock milliseconds with sub-ms precision. (Bun's process.hrtime counts from process start, so it is not comparable across processes; timeOrigin + now() is.) */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export function reportReady(deliveries: Deliveries, openMs: number, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ ready: deliveries.ready, failed: deliveries.failed, openMs, failures: deliveries.failures, ...extra }));
}

/** Waits for "done" on stdin, prints what was received and exits. */
export async function reportWhenDone(deliveries: Deliveries, extra: Record<string, unknown> = {}): Promise<never> {
  for await (const line of console) {
    if (line.trim() === "done") break;
  }
  console.log(JSON.stringify({ received: Object.fromEntries(deliveries.received), eventLines: deliveries.eventLines, closedEarly: deliveries.closedEarly, ...extra }));
  process.exit(0);
}
