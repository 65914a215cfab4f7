// Storage benchmark: `bun bench/store-bench.ts` (or `npm run bench:store`).
// Prints labelled figures for ~2 KB JSON objects, and the ratio of the store's create rate
// to raw bun:sqlite single-row commits measured in the same run with the same pragmas.
// Set KAPI_BENCH_SYNC=normal to measure with synchronous=NORMAL instead of FULL.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, type SqliteStore, type SynchronousMode, type WatchEvent } from "../store/index.ts";

const synchronous: SynchronousMode = process.env.KAPI_BENCH_SYNC === "normal" ? "normal" : "full";
const dir = mkdtempSync(join(tmpdir(), "kapi-store-bench-"));
let files = 0;

function objectJson(name: string, i: number): string {
  const labels: Record<string, string> = {};
  for (let l = 0; l < 8; l++) labels[`example.com/label-${l}`] = `value-${(i * 7 + l) % 97}`;
  const containers = Array.from({ length: 3 }, (_, c) => ({
    name: `container-${c}`,
    image: `registry.example.com/team/app-${c}:v1.${i % 50}.${c}`,
    args: ["--port=8080", "--verbose", `--id=${i}`],
    env: Array.from({ length: 5 }, (_, e) => ({ name: `ENV_${e}`, value: `value-${i}-${e}` })),
    resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "64Mi" } },
  }));
  const object = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "bench", uid: crypto.randomUUID(), labels, annotations: { note: "n".repeat(300) } },
    spec: { containers, restartPolicy: "Always", nodeName: "node-1" },
    status: { phase: "Running", podIP: `10.0.${i % 256}.${(i * 3) % 256}` },
  };
  return JSON.stringify(object);
}

function newPath(): string {
  return join(dir, `bench-${++files}.db`);
}

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

function print(label: string, value: string): void {
  console.log(`${label.padEnd(52)} ${value}`);
}

function rawCommits(count: number, value: string): number {
  const db = new Database(newPath(), { create: true, strict: true });
  db.run("PRAGMA locking_mode = EXCLUSIVE");
  db.run("PRAGMA auto_vacuum = INCREMENTAL");
  db.run("PRAGMA journal_mode = WAL");
  db.run(`PRAGMA synchronous = ${synchronous.toUpperCase()}`);
  db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT)");
  const insert = db.prepare("INSERT INTO t (key, value) VALUES (?1, ?2)");
  const start = performance.now();
  for (let i = 0; i < count; i++) insert.run(`/raw/${i}`, value);
  const elapsed = performance.now() - start;
  insert.finalize();
  db.close();
  return rate(count, elapsed);
}

async function sequentialCreates(store: SqliteStore, count: number, values: string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await store.create(`/registry/seq/${i}`, values[i % values.length]!);
  return rate(count, performance.now() - start);
}

async function concurrentCreates(store: SqliteStore, prefix: string, count: number, callers: number, values: string[]) {
  let next = 0;
  async function caller(): Promise<void> {
    while (next < count) {
      const i = next++;
      await store.create(`${prefix}${String(i).padStart(6, "0")}`, values[i % values.length]!);
    }
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: callers }, caller));
  return rate(count, performance.now() - start);
}

async function watchDelivery(store: SqliteStore, watchers: number, writes: number, value: string) {
  const issued = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  let lastDelivery = 0;
  const consumers = Array.from({ length: watchers }, async () => {
    const watcher = store.watch("/registry/watch/");
    let seen = 0;
    for await (const event of watcher as AsyncIterable<WatchEvent>) {
      const now = performance.now();
      latencies.push(now - issued.get(event.kv.key)!);
      delivered++;
      lastDelivery = now;
      if (++seen === writes) break;
    }
  });
  const start = performance.now();
  for (let i = 0; i < writes; i++) {
    const key = `/registry/watch/${i}`;
    issued.set(key, performance.now());
    await store.create(key, value);
  }
  await Promise.all(consumers);
  return {
    eventsPerSecond: rate(delivered, lastDelivery - start),
    medianMs: median(latencies),
    p99Ms: percentile(latencies, 0.99),
  };
}

async function main(): Promise<void> {
  const values = Array.from({ length: 64 }, (_, i) => objectJson(`pod-${i}`, i));
  const size = Math.round(values.reduce((sum, v) => sum + v.length, 0) / values.length);
  print("object size (bytes, average)", String(size));
  print("synchronous", synchronous.toUpperCase());

  const raw = rawCommits(3000, values[0]!);
  print("raw bun:sqlite single-row commits/s", String(raw));

  const store = openSqliteStore(newPath(), { synchronous, compaction: false });
  const sequential = await sequentialCreates(store, 3000, values);
  print("store creates/s, sequential", String(sequential));
  const concurrent = await concurrentCreates(store, "/registry/conc/", 20_000, 32, values);
  print("store creates/s, 32 concurrent callers", String(concurrent));
  print("ratio store/raw, sequential", (sequential / raw).toFixed(2));
  print("ratio store/raw, 32 concurrent", (concurrent / raw).toFixed(2));

  const reads = 100_000;
  let start = performance.now();
  for (let i = 0; i < reads; i++) {
    const kv = await store.get(`/registry/conc/${String((i * 7919) % 20_000).padStart(6, "0")}`);
    if (!kv) throw new Error("missing key");
  }
  print("store point reads/s", String(rate(reads, performance.now() - start)));

  await concurrentCreates(store, "/registry/list/", 10_000, 32, values);
  const listTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    Bun.gc(true);
    start = performance.now();
    const page = await store.list("/registry/list/");
    listTimes.push(performance.now() - start);
    if (page.items.length !== 10_000) throw new Error(`listed ${page.items.length}`);
  }
  print("store list of 10k keys (ms, median of 5)", median(listTimes).toFixed(1));
  Bun.gc(true);
  start = performance.now();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await store.list("/registry/list/", { limit: 500, continue: token });
    token = page.continue;
    pages++;
  } while (token);
  print(`store list of 10k keys in ${pages} pages of 500 (ms)`, (performance.now() - start).toFixed(1));

  const watch = await watchDelivery(store, 1000, 200, values[0]!);
  print("watch: 1000 watchers, events delivered/s", String(watch.eventsPerSecond));
  print("watch: write→delivery latency, median (ms)", watch.medianMs.toFixed(2));
  print("watch: write→delivery latency, p99 (ms)", watch.p99Ms.toFixed(2));
  await store.close();
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
