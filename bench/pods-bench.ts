// Pods benchmark: `bun bench/pods-bench.ts`.
// Starts `kapi serve --runtime=simulated` as a separate process (working tree's sources),
// creates KAPI_BENCH_PODS pods (1,000) over HTTPS with 32 concurrent clients, and measures how
// fast they go from created to Running: each pod is created, bound by the scheduler
// (pods/binding + a Scheduled event), started by the node agent (Pulled/Created/Started
// events) and reported Running through pods/status. A watch on the namespace sees them arrive.
// Prints creates/s, created→Running/s over the whole batch, and per-pod create→Running latency.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bunPath, freePort, loadClientTls, memoryOf, repoRoot, type ClientTls } from "./support/kapi-server.ts";

const PODS = Number(process.env.KAPI_BENCH_PODS ?? 1_000);
const CLIENTS = 32;
const LIMIT_MS = 120_000;
const NS = "bench";

const SERVE = `
import { startServer } from "./server/index.ts";
const s = await startServer({ dataDir: process.argv[1], address: "127.0.0.1", port: Number(process.argv[2]), tlsSans: [], quiet: true, runtime: "simulated", nodeName: "bench-node" });
const shut = async () => { await s.close(); process.exit(0); };
process.on("SIGTERM", shut);
`;

const dataDir = mkdtempSync(join(tmpdir(), "kapi-pods-bench-"));
const port = await freePort();
const base = `https://127.0.0.1:${port}`;
const server = Bun.spawn([bunPath, "-e", SERVE, dataDir, String(port)], { cwd: repoRoot, stdout: "ignore", stderr: "inherit" });
const deadline = setTimeout(() => fail(`did not finish within ${LIMIT_MS / 1000} s`), LIMIT_MS);

async function fail(message: string): Promise<never> {
  console.error(`pods-bench: ${message}`);
  await shutdown();
  process.exit(1);
}

async function shutdown(): Promise<void> {
  clearTimeout(deadline);
  server.kill("SIGTERM");
  await Promise.race([server.exited, Bun.sleep(5_000)]);
  if (server.exitCode === null) server.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
}

async function call(tls: ClientTls, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, { method, tls, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function ready(): Promise<ClientTls> {
  for (let i = 0; i < 2_000; i++) {
    try {
      const res = await fetch(`${base}/readyz`, { tls: { rejectUnauthorized: false } });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await Bun.sleep(10);
  }
  const tls = loadClientTls(dataDir);
  for (let i = 0; i < 500; i++) {
    const nodes = await call(tls, "GET", "/api/v1/nodes");
    if (nodes.items.some((n: any) => n.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"))) return tls;
    await Bun.sleep(10);
  }
  return fail("the node never became Ready");
}

/** Resolves with each pod's time of reaching Running, read from a watch of the namespace. */
async function watchRunning(tls: ClientTls, resourceVersion: string, runningAt: Map<string, number>): Promise<void> {
  const res = await fetch(`${base}/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${resourceVersion}`, { tls });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (runningAt.size < PODS) {
    const { value, done } = await reader.read();
    if (done) return fail("the watch ended early");
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    const now = performance.now();
    for (const line of lines) {
      if (!line) continue;
      const { object } = JSON.parse(line);
      if (object.status?.phase === "Running" && !runningAt.has(object.metadata.name)) runningAt.set(object.metadata.name, now);
    }
  }
  await reader.cancel();
}

const tls = await ready();
const ns = await call(tls, "POST", "/api/v1/namespaces", { metadata: { name: NS } });
const runningAt = new Map<string, number>();
const watching = watchRunning(tls, ns.metadata.resourceVersion, runningAt);
const createdAt = new Map<string, number>();
const start = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    while (next < PODS) {
      const name = `pod-${next++}`;
      const sent = performance.now();
      await call(tls, "POST", `/api/v1/namespaces/${NS}/pods`, { metadata: { name, labels: { app: "bench" } }, spec: { containers: [{ name: "web", image: "nginx" }] } });
      createdAt.set(name, sent);
    }
  }),
);
const createdMs = performance.now() - start;
await watching;
const runningMs = Math.max(...runningAt.values()) - start;
const latencies = [...runningAt].map(([name, at]) => at - createdAt.get(name)!).sort((a, b) => a - b);
const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
const rss = memoryOf(server.pid);

console.log(`pods: ${PODS}, ${CLIENTS} concurrent clients, runtime simulated, one node`);
console.log(`creates/s                              ${Math.round((PODS * 1000) / createdMs)}/s`);
console.log(`created→Running/s (first create to last Running)  ${Math.round((PODS * 1000) / runningMs)}/s  (${(runningMs / 1000).toFixed(2)} s)`);
console.log(`create→Running latency  median ${quantile(0.5).toFixed(0)} ms, p99 ${quantile(0.99).toFixed(0)} ms`);
console.log(`server RSS ${rss.rss.toFixed(0)} MiB (peak ${rss.hwm.toFixed(0)} MiB)`);
await shutdown();
