// API server benchmark: `bun bench/server-bench.ts`.
// Starts `kapi serve` as a separate process (from the working tree's sources; set
// KAPI_BENCH_SERVER=dist to bench dist/kapi instead) and measures over HTTPS with the admin
// client certificate: start-to-ready, pod creates/s with 1 and 32 clients, 10k-pod list latency
// (JSON and Table, timed by a fresh client process: support/list-timer.ts), single GET latency,
// watch fan-out delivery latency to 1,000 watchers over HTTP/1.1 and over h2 (a separate process:
// support/watchers.ts and support/h2-watchers.ts), the server's RSS, and at the end creates/s on a
// second server once its JIT has warmed up (the first figures include the warm-up). Each figure
// is printed next to the target of issue 3 and the figure a real kube-apiserver 1.20 + etcd 3.4
// gave on this machine kind (reference column).
//
// Knobs (environment): KAPI_BENCH_PODS (10000), KAPI_BENCH_WARM_PODS (20000: creates before
// the warm server's measured ones; 0 skips that phase), KAPI_BENCH_WATCHERS (1000),
// KAPI_BENCH_UPDATES (20), KAPI_BENCH_RUNTIME (none: the API alone, as envtest and the
// reference kube-apiserver without a kubelet; simulated or process adds the scheduler and node), KAPI_BENCH_CPU_PROF=DIR (the server is restarted under
// `bun --cpu-prof` before each phase, writing DIR/<phase>/*.cpuprofile and *.md when it exits;
// source flavour only), KAPI_BENCH_SERVER=source|dist, KAPI_DIST=PATH (the binary the dist flavour runs,
// dist/kapi by default: e.g. an older build, to compare two builds on the same machine).
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { podBody } from "./support/pod-body.ts";
import { bunPath, cpuSecondsOf, memoryOf, repoRoot, socketCountOf, startBenchServer, type BenchServer, type ClientTls, type ServerFlavour } from "./support/kapi-server.ts";

const TOTAL_PODS = Number(process.env.KAPI_BENCH_PODS ?? 10_000);
const SEQ_PODS = Math.min(2_000, Math.floor(TOTAL_PODS / 5));
const CONCURRENT_CLIENTS = 32;
const WARM_UP_PODS = Number(process.env.KAPI_BENCH_WARM_PODS ?? 20_000);
const WATCHERS = Number(process.env.KAPI_BENCH_WATCHERS ?? 1_000);
const UPDATES = Number(process.env.KAPI_BENCH_UPDATES ?? 20);
const CPU_PROF = process.env.KAPI_BENCH_CPU_PROF;
const RUNTIME = process.env.KAPI_BENCH_RUNTIME ?? "none";
const FLAVOUR: ServerFlavour = process.env.KAPI_BENCH_SERVER === "dist" ? "dist" : "source";
const OVERALL_LIMIT_MS = 170_000;
const NS = "bench";
if (CPU_PROF) mkdirSync(CPU_PROF, { recursive: true });

// ---------------------------------------------------------------- output

const COLS = [62, 14, 14, 20];
function row(label: string, value: string, target = "", reference = ""): void {
  console.log(`${label.padEnd(COLS[0]!)} ${value.padStart(COLS[1]!)} ${target.padStart(COLS[2]!)} ${reference.padStart(COLS[3]!)}`);
}
function note(text: string): void {
  console.log(`  ${text}`);
}
const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (v: number) => `${v.toFixed(1)} MiB`;
const perSec = (v: number) => `${Math.round(v)}/s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}
const median = (values: number[]) => quantile(values, 0.5);

// ---------------------------------------------------------------- lifecycle

const root = mkdtempSync(join(tmpdir(), "kapi-server-bench-"));
const servers = new Set<BenchServer>();
const children = new Set<{ kill(signal?: number | NodeJS.Signals): void }>();
let cleaning: Promise<void> | undefined;
/** Kills the children, stops the servers and removes the temp dir; every caller awaits the same run. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) {
      try {
        child.kill("SIGKILL");
      } catch {
        // gone
      }
    }
    await Promise.all([...servers].map((s) => s.stop().catch(() => {})));
    rmSync(root, { recursive: true, force: true });
  })();
  return cleaning;
}
const watchdog = setTimeout(() => {
  console.error(`server-bench: over the ${OVERALL_LIMIT_MS / 1000} s limit, stopping`);
  cleanup().finally(() => process.exit(2));
}, OVERALL_LIMIT_MS);
watchdog.unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    cleanup().finally(() => process.exit(130));
  });
}

async function start(dataDir: string, flavour: ServerFlavour = FLAVOUR, cpuProf?: string): Promise<BenchServer> {
  const server = await startBenchServer({ dataDir, flavour, cpuProfDir: cpuProf, runtime: RUNTIME });
  servers.add(server);
  return server;
}
async function stop(server: BenchServer): Promise<void> {
  await server.stop();
  servers.delete(server);
}

// ---------------------------------------------------------------- HTTP client

class Client {
  constructor(readonly base: string, readonly tls: ClientTls) {}

  async request(method: string, path: string, init: { body?: string; accept?: string; contentType?: string } = {}): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { accept: init.accept ?? "application/json" };
    if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
    const r = await fetch(this.base + path, { method, headers, body: init.body, tls: this.tls });
    return { status: r.status, text: await r.text() };
  }

  async expect(method: string, path: string, status: number[], init?: Parameters<Client["request"]>[2]): Promise<string> {
    const r = await this.request(method, path, init);
    if (!status.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return r.text;
  }
}

// ---------------------------------------------------------------- workload


/** The benchmark's namespace (already there after a restart on the same data dir). */
async function createNamespace(client: Client): Promise<void> {
  await client.expect("POST", "/api/v1/namespaces", [201, 409], { body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }) });
}

/** Creates pods [from, to) with `clients` concurrent sequential loops; stops at the deadline, throws on a failed create. */
async function createPods(client: Client, from: number, to: number, clients: number, deadlineMs: number): Promise<{ created: number; elapsedMs: number }> {
  const bodies: string[] = [];
  for (let i = from; i < to; i++) bodies.push(podBody(i));
  let next = from;
  let created = 0;
  const errors: string[] = [];
  const started = performance.now();
  const deadline = started + deadlineMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < to && performance.now() < deadline && errors.length < 10) {
        const i = next++;
        const r = await client.request("POST", `/api/v1/namespaces/${NS}/pods`, { body: bodies[i - from] });
        if (r.status === 201) created++;
        else errors.push(`pod ${i}: HTTP ${r.status}: ${r.text.slice(0, 200)}`);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  if (errors.length) throw new Error(`creates failed:\n${errors.join("\n")}`);
  return { created, elapsedMs };
}

/** Times `runs` lists from a fresh client process (bench/support/list-timer.ts) after a first one; a last one is checked. */
async function timedList(client: Client, server: BenchServer, accept: string, runs: number, read: "stream" | "buffer"): Promise<{ first: number; times: number[]; bytes: number; items: number }> {
  const config = { url: `${client.base}/api/v1/namespaces/${NS}/pods`, accept, runs, read, dataDir: server.dataDir };
  const proc = Bun.spawn([bunPath, join(import.meta.dir, "support/list-timer.ts"), JSON.stringify(config)], { stdout: "pipe", stderr: "inherit" });
  children.add(proc);
  try {
    const out = await new Response(proc.stdout).text();
    if ((await proc.exited) !== 0) throw new Error("list timer failed");
    return JSON.parse(out) as { first: number; times: number[]; bytes: number; items: number };
  } finally {
    children.delete(proc);
  }
}

// ---------------------------------------------------------------- phases

async function startup(): Promise<BenchServer> {
  console.log(`\nstart-to-ready (spawn until /readyz = 200; server: ${FLAVOUR === "dist" ? "dist/kapi serve" : "bun -e startServer() from server/index.ts"}, runtime ${RUNTIME})`);
  const fresh: number[] = [];
  const existing: number[] = [];
  let server: BenchServer | undefined;
  for (let run = 0; run < 3; run++) {
    const dir = join(root, `start-${run}`);
    const s1 = await start(dir);
    fresh.push(s1.startToReadyMs);
    await stop(s1);
    const s2 = await start(dir);
    existing.push(s2.startToReadyMs);
    if (run < 2) await stop(s2);
    else server = s2;
  }
  row("start-to-ready, fresh data dir (median of 3)", ms(median(fresh)), "<= 300 ms", "~4.7 s");
  row("start-to-ready, existing data dir (median of 3)", ms(median(existing)), "<= 300 ms", "~4.7 s");
  note(`runs: fresh ${fresh.map((v) => v.toFixed(0)).join(", ")} ms; existing ${existing.map((v) => v.toFixed(0)).join(", ")} ms`);

  if (FLAVOUR === "source" && existsSync(join(repoRoot, "dist/kapi"))) {
    try {
      const built = new Date(statSync(join(repoRoot, "dist/kapi")).mtimeMs).toISOString().slice(0, 16).replace("T", " ");
      const dir = join(root, "start-dist");
      const d1 = await start(dir, "dist");
      const f = d1.startToReadyMs;
      await stop(d1);
      const d2 = await start(dir, "dist");
      const e = d2.startToReadyMs;
      await Bun.sleep(1000);
      const m = memoryOf(d2.pid);
      await stop(d2);
      row(`start-to-ready, dist/kapi serve, fresh (built ${built})`, ms(f), "<= 300 ms", "~4.7 s");
      row("start-to-ready, dist/kapi serve, existing", ms(e), "<= 300 ms", "~4.7 s");
      row("idle RSS, dist/kapi serve (1 s after ready)", mib(m.rss), "<= 60 MB");
    } catch (err) {
      note(`dist/kapi serve: not measured (${(err as Error).message.split("\n")[0]})`);
    }
  }

  // Idle: after start, let start-up garbage settle briefly.
  await Bun.sleep(1000);
  const idle = memoryOf(server!.pid);
  row("server RSS idle (1 s after ready)", mib(idle.rss), "<= 60 MB");
  return server!;
}

async function creates(client: Client, server: BenchServer): Promise<number> {
  console.log(`\ncreates (POST ~${(podBody(0).length / 1024).toFixed(1)} KB pods over HTTPS, durable writes)`);
  await createNamespace(client);
  const cpu0 = cpuSecondsOf(server.pid);
  const seq = await createPods(client, 0, SEQ_PODS, 1, 30_000);
  const cpu1 = cpuSecondsOf(server.pid);
  row(`creates/s, 1 client (${seq.created} pods)`, perSec((seq.created / seq.elapsedMs) * 1000), "", "281/s");
  const conc = await createPods(client, SEQ_PODS, TOTAL_PODS, CONCURRENT_CLIENTS, 60_000);
  const cpu2 = cpuSecondsOf(server.pid);
  row(`creates/s, ${CONCURRENT_CLIENTS} clients (${conc.created} pods)`, perSec((conc.created / conc.elapsedMs) * 1000), ">= 3000/s", "953/s");
  note(`server CPU per create: ${(((cpu1 - cpu0) * 1000) / seq.created).toFixed(2)} ms (1 client), ${(((cpu2 - cpu1) * 1000) / conc.created).toFixed(2)} ms (${CONCURRENT_CLIENTS} clients); server sockets open: ${socketCountOf(server.pid)}`);
  const total = seq.created + conc.created;
  if (total < TOTAL_PODS) note(`time limit reached: ${total} of ${TOTAL_PODS} pods created`);
  const m = memoryOf(server.pid);
  row(`server RSS with ${total} pods (after creates)`, mib(m.rss), "<= 250 MB", "~710 MB");
  return total;
}

/**
 * Creates/s with 32 clients on a fresh server once JavaScriptCore has compiled its hot code: the
 * figures above are a server's first creates, when the code still runs in lower tiers (about
 * 15% slower per create) and the JIT thread competes with the client for the other core.
 */
async function warmCreates(): Promise<void> {
  console.log(`\ncreates on a warm server (a fresh server and data dir; ${WARM_UP_PODS} creates with ${CONCURRENT_CLIENTS} clients first, not timed)`);
  const dataDir = join(root, "warm");
  mkdirSync(dataDir, { recursive: true });
  const server = await start(dataDir);
  const client = new Client(server.url, server.tls);
  await createNamespace(client);
  const warmUp = await createPods(client, 0, WARM_UP_PODS, CONCURRENT_CLIENTS, 120_000);
  const measured = TOTAL_PODS - SEQ_PODS;
  const cpu0 = cpuSecondsOf(server.pid);
  const warm = await createPods(client, WARM_UP_PODS, WARM_UP_PODS + measured, CONCURRENT_CLIENTS, 60_000);
  const cpu1 = cpuSecondsOf(server.pid);
  row(`creates/s, ${CONCURRENT_CLIENTS} clients, warm server (${warm.created} pods)`, perSec((warm.created / warm.elapsedMs) * 1000), ">= 3000/s", "953/s");
  note(`warm-up: ${perSec((warmUp.created / warmUp.elapsedMs) * 1000)} over its ${warmUp.created} creates; server CPU per create, warm: ${(((cpu1 - cpu0) * 1000) / warm.created).toFixed(2)} ms`);
  await stop(server);
}

async function lists(client: Client, server: BenchServer, pods: number): Promise<number> {
  console.log(`\nlist of ${pods} pods (time to last byte, body read as it arrives; gzip accepted, as Bun's fetch and kubectl do; a fresh client process: 1 first list, the median of 5, then 1 checked list)`);
  const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
  const json = await timedList(client, server, "application/json", 5, "stream");
  row(`list ${pods} pods, JSON (${kb(json.bytes)}, ${json.items} items)`, ms(median(json.times)), "<= 200 ms", "958 ms");
  const table = await timedList(client, server, tableAccept, 5, "stream");
  row(`list ${pods} pods, Table (${kb(table.bytes)}, ${table.items} rows)`, ms(median(table.times)), "<= 150 ms", "581 ms");
  row(`  the first Table list (every row printed; later lists reuse the cells kept per revision)`, ms(table.first), "", "");
  note(`JSON runs ${json.times.map((v) => v.toFixed(0)).join(", ")} ms (first ${json.first.toFixed(0)}); Table runs ${table.times.map((v) => v.toFixed(0)).join(", ")} ms`);
  // The reference column was measured with the client collecting the body (arrayBuffer) first.
  const jsonBuffered = await timedList(client, server, "application/json", 3, "buffer");
  const tableBuffered = await timedList(client, server, tableAccept, 3, "buffer");
  row(`list ${pods} pods, JSON, client buffers the body (median of 3)`, ms(median(jsonBuffered.times)), "", "958 ms");
  row(`list ${pods} pods, Table, client buffers the body (median of 3)`, ms(median(tableBuffered.times)), "", "581 ms");
  const m = memoryOf(server.pid);
  row(`server RSS with ${pods} pods (after lists)`, mib(m.rss), "<= 250 MB", "~710 MB");
  row("server peak RSS so far (VmHWM)", mib(m.hwm), "", "");
  return median(table.times);
}

async function gets(client: Client, pods: number): Promise<void> {
  const n = 2000;
  const times: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = (k * 7919) % pods;
    const t0 = performance.now();
    const r = await client.request("GET", `/api/v1/namespaces/${NS}/pods/bench-pod-${i}`);
    times.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`GET bench-pod-${i}: HTTP ${r.status}`);
  }
  console.log(`\nsingle GET (${n} sequential, 1 client)`);
  row("GET pod latency, median", ms(median(times)), "", "1 ms");
  row("GET pod latency, p99", ms(quantile(times, 0.99)), "", "");
}

async function kubectlCompare(server: BenchServer, tableMs: number, pods: number): Promise<void> {
  const kubectl = Bun.which("kubectl");
  if (!kubectl) return;
  const kubeconfig = join(server.dataDir, "admin.kubeconfig");
  const times: number[] = [];
  let lines = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const r = Bun.spawnSync([kubectl, "--kubeconfig", kubeconfig, "get", "pods", "-n", NS], { stdout: "pipe", stderr: "pipe", timeout: 30_000 });
    times.push(performance.now() - t0);
    if (!r.success) {
      note(`kubectl get pods failed: ${r.stderr.toString().slice(0, 300)}`);
      return;
    }
    lines = r.stdout.toString().trimEnd().split("\n").length - 1;
  }
  console.log(`\nkubectl (${kubectl}; pages of 500 by default)`);
  row(`kubectl get pods -n ${NS} wall time (${lines} rows, median of 3)`, ms(median(times)), "", "");
  row(`  raw Table list of ${pods} pods (one request, above)`, ms(tableMs), "", "");
}

/** Sequential JSON merge patches of one label on distinct pods, with a pause after each. */
async function patchPods(client: Client, serverPid: number, pods: number, count: number, warmup: number, pauseMs: number) {
  const updates: { rv: string; request: number; response: number }[] = [];
  const cpu0 = cpuSecondsOf(serverPid);
  for (let u = 0; u < count + warmup; u++) {
    const name = `bench-pod-${(patchCounter++ * 37) % pods}`;
    const request = performance.timeOrigin + performance.now();
    const text = await client.expect("PATCH", `/api/v1/namespaces/${NS}/pods/${name}`, [200], {
      body: JSON.stringify({ metadata: { labels: { "bench-tick": String(patchCounter) } } }),
      contentType: "application/merge-patch+json",
    });
    const response = performance.timeOrigin + performance.now();
    const updated = JSON.parse(text) as { metadata: { resourceVersion: string } };
    if (u >= warmup) updates.push({ rv: updated.metadata.resourceVersion, request, response });
    await Bun.sleep(pauseMs);
  }
  return { updates, cpuSeconds: cpuSecondsOf(serverPid) - cpu0 };
}
let patchCounter = 0;

/** A watch fan-out client: a process opening the watch streams (protocol: support/watcher-process.ts). */
interface WatchClient {
  script: string;
  transport: string;
  description: string;
}

const WATCH_CLIENTS: WatchClient[] = [
  { script: "support/watchers.ts", transport: "HTTP/1.1", description: `${WATCHERS} HTTP/1.1 watch streams, one TLS connection each` },
  {
    script: "support/h2-watchers.ts",
    transport: "h2",
    description: `${WATCHERS} watch streams on h2, multiplexed as client-go does: one connection unless the server limits streams per connection`,
  },
];

async function watchFanOuts(client: Client, server: BenchServer, pods: number): Promise<void> {
  console.log(`\nwatch fan-out (${UPDATES} pod updates to each set of watchers)`);
  const baseline = await patchPods(client, server.pid, pods, 20, 2, 20);
  row("PATCH latency, no watchers (median of 20)", ms(median(baseline.updates.map((u) => u.response - u.request))), "", "");
  note(`server CPU per update without watchers: ${((baseline.cpuSeconds * 1000) / 22).toFixed(1)} ms`);
  for (const watchClient of WATCH_CLIENTS) await watchFanOut(client, server, pods, watchClient);
}

async function watchFanOut(client: Client, server: BenchServer, pods: number, watchClient: WatchClient): Promise<void> {
  console.log(`\nwatch fan-out over ${watchClient.transport} (${watchClient.description}; in a separate process)`);
  // Watch from the current revision: no history to replay, only the measured updates arrive.
  const list = JSON.parse(await client.expect("GET", `/api/v1/namespaces/${NS}/pods?limit=1`, [200])) as { metadata: { resourceVersion: string } };
  const rv = list.metadata.resourceVersion;
  const url = new URL(server.url);
  const config = { host: url.hostname, port: Number(url.port), path: `/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${rv}`, count: WATCHERS, dataDir: server.dataDir };
  const proc = Bun.spawn([bunPath, join(import.meta.dir, watchClient.script), JSON.stringify(config)], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
  children.add(proc);
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  const readLine = async (timeoutMs: number): Promise<string> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const nl = pending.indexOf("\n");
      if (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        return line;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error("watcher process: no answer in time");
      const chunk = await Promise.race([reader.read(), Bun.sleep(left).then(() => null)]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error("watcher process exited");
      pending += decoder.decode(chunk.value, { stream: true });
    }
  };
  try {
    const ready = JSON.parse(await readLine(45_000)) as { ready: number; failed: number; timedOut: boolean; openMs: number; failures: string[]; connections: number };
    note(`${ready.ready} watch streams established on ${ready.connections} connection(s) in ${ready.openMs.toFixed(0)} ms${ready.failed ? `, ${ready.failed} failed (${ready.failures.join("; ")})` : ""}${ready.timedOut ? " (timed out)" : ""}`);
    if (ready.ready === 0) throw new Error("no watch stream could be opened");
    const withWatchers = memoryOf(server.pid);
    note(`server sockets open: ${socketCountOf(server.pid)}; server RSS with ${ready.ready} watchers: ${mib(withWatchers.rss)}`);

    // Updates: JSON merge patches of one label on distinct pods, one at a time with a pause so
    // each fan-out is measured on its own. The first 2 are warm-up and not counted.
    const warmup = 2;
    const watcherCpu0 = cpuSecondsOf(proc.pid);
    const sent = await patchPods(client, server.pid, pods, UPDATES, warmup, 150);
    const watcherCpu = cpuSecondsOf(proc.pid) - watcherCpu0;
    const cpu = sent.cpuSeconds;
    await Bun.sleep(1000);
    proc.stdin.write("done\n");
    proc.stdin.flush();
    const result = JSON.parse(await readLine(20_000)) as { received: Record<string, number[]>; eventLines: number; closedEarly: number };

    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    const lastFromRequest: number[] = [];
    let missing = 0;
    for (const s of sent.updates) {
      const times = result.received[s.rv] ?? [];
      missing += Math.max(0, ready.ready - times.length);
      for (const t of times) {
        fromResponse.push(t - s.response);
        fromRequest.push(t - s.request);
      }
      if (times.length) lastFromRequest.push(Math.max(...times) - s.request);
    }
    row(`watch delivery to ${ready.ready} watchers (${watchClient.transport}), median, from write response`, ms(median(fromResponse)), "<= 10 ms", "~15 ms");
    row("watch delivery, p99, from write response", ms(quantile(fromResponse, 0.99)), "", "");
    row("watch delivery, median, from write request sent", ms(median(fromRequest)), "", "");
    row("watch delivery, p99, from write request sent", ms(quantile(fromRequest, 0.99)), "", "");
    row("last of the watchers has the event, from request (median)", ms(median(lastFromRequest)), "", "");
    row(`PATCH latency with ${ready.ready} watchers (median)`, ms(median(sent.updates.map((u) => u.response - u.request))), "", "");
    note(`${fromResponse.length} deliveries measured, ${missing} missing${result.closedEarly ? `, ${result.closedEarly} streams closed early` : ""}; server CPU per update incl. fan-out: ${((cpu * 1000) / (UPDATES + warmup)).toFixed(1)} ms`);
    // Which side sets the pace: the server writes each event ~1,000 times on one core while the
    // watcher process reads it ~1,000 times on the other. When reading costs more per event,
    // the median arrival is about half the process's time per update, however fast the server.
    const deliveries = ready.ready * (UPDATES + warmup);
    const serverPerDelivery = (cpu * 1e6) / deliveries;
    const clientPerEvent = (watcherCpu * 1e6) / deliveries;
    note(`CPU per delivery: server at most ${serverPerDelivery.toFixed(1)} µs (all its CPU during the updates), watcher process ${clientPerEvent.toFixed(1)} µs to read it`);
    if (clientPerEvent > serverPerDelivery) note(`the reading side is the slower one: with it, the median cannot fall much below ~${((clientPerEvent * ready.ready) / 2 / 1000).toFixed(1)} ms here`);
    if (median(fromResponse) < 0) note("negative 'from write response' = watchers got the event before the writer got its response (the server fans out before it answers the write)");
  } finally {
    proc.kill("SIGKILL");
    await proc.exited;
    children.delete(proc);
  }
}

/** Restart on the data dir that now holds the pods: start-to-ready and settling with data. */
async function restartWithData(previous: BenchServer, pods: number): Promise<void> {
  console.log(`\nrestart with ${pods} pods in the store`);
  await stop(previous);
  const server = await start(previous.dataDir);
  row(`start-to-ready, existing data dir with ${pods} pods`, ms(server.startToReadyMs), "<= 300 ms", "~4.7 s");
  await Bun.sleep(1000);
  const m = memoryOf(server.pid);
  row(`server RSS 1 s after ready, ${pods} pods in the store`, mib(m.rss), "<= 250 MB", "~710 MB");
  note(`server CPU used from spawn to ready + 1 s: ${(cpuSecondsOf(server.pid) * 1000).toFixed(0)} ms`);
  await stop(server);
}

// ---------------------------------------------------------------- main

let exitCode = 0;
try {
  console.log(`kapi server benchmark (bun ${Bun.version}, ${navigator.hardwareConcurrency} CPUs); temp dir ${root}`);
  row("figure", "measured", "kapi target", "kube-apiserver 1.20");
  let server = await startup();
  let client = new Client(server.url, server.tls);
  // With KAPI_BENCH_CPU_PROF the server is restarted (same data dir) under the profiler before
  // each phase, so each profile covers one phase; RSS figures are then not representative.
  const phase = async (name: string) => {
    if (!CPU_PROF) return;
    await stop(server);
    server = await start(server.dataDir, FLAVOUR, join(CPU_PROF, name));
    client = new Client(server.url, server.tls);
    note(`(server restarted under the CPU profiler for this phase: ${join(CPU_PROF, name)})`);
  };
  await phase("creates");
  const pods = await creates(client, server);
  await phase("lists");
  const tableMs = await lists(client, server, pods);
  await phase("gets");
  await gets(client, pods);
  await kubectlCompare(server, tableMs, pods);
  await phase("watch");
  await watchFanOuts(client, server, pods);
  const m = memoryOf(server.pid);
  console.log("");
  row("server RSS at the end", mib(m.rss), "<= 250 MB", "~710 MB");
  row("server peak RSS (VmHWM)", mib(m.hwm), "", "");
  await restartWithData(server, pods);
  if (WARM_UP_PODS > 0 && !CPU_PROF) await warmCreates();
  if (CPU_PROF) note(`CPU profiles of the server, one per phase: ${CPU_PROF}/<phase>/ (bun --cpu-prof, .cpuprofile and .md)`);
} catch (err) {
  console.error(`server-bench failed: ${(err as Error).stack ?? err}`);
  exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(exitCode);
