// `kapi get pods` against real `kubectl get pods`, both talking to the same `kapi serve`
// (API only, no node), with warm discovery caches: median wall time of the whole process for
// 10 and 10,000 pods, and the ratio. Targets: ≤ 60% of kubectl's time for 10 pods, ≤ 100%
// for 10,000.
// Usage: bun bench/client-get-bench.ts [runs-small] [runs-big]

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const KAPI = resolve(import.meta.dir, "../dist/kapi");
const runsSmall = Number(process.argv[2] ?? 15);
const runsBig = Number(process.argv[3] ?? 5);
const bigCount = Number(process.env.KAPI_BENCH_PODS ?? 10_000);

function findKubectl(): string {
  const onPath = Bun.which("kubectl");
  if (!onPath) throw new Error("kubectl not on PATH");
  const besides = join(resolve(onPath, ".."), "kubectl.1.33");
  const real = Bun.spawnSync(["readlink", "-f", onPath]).stdout.toString().trim();
  const v133 = join(resolve(real, ".."), "kubectl.1.33");
  return existsSync(v133) ? v133 : existsSync(besides) ? besides : onPath;
}

async function startServer(dir: string): Promise<{ stop(): void; kubeconfig: string }> {
  const child = Bun.spawn([KAPI, "serve", "--data-dir", dir, "--port", "0", "--runtime", "none"], { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("admin kubeconfig:")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("kapi serve exited");
    out += new TextDecoder().decode(value);
  }
  return { stop: () => child.kill(), kubeconfig: join(dir, "admin.kubeconfig") };
}

function adminTls(kubeconfig: string) {
  const text = readFileSync(kubeconfig, "utf8");
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(text)![1]!, "base64").toString();
  return { server: /server: (\S+)/.exec(text)![1]!, tls: { ca: field("certificate-authority-data"), cert: field("client-certificate-data"), key: field("client-key-data") } };
}

async function createPods(kubeconfig: string, namespace: string, count: number): Promise<void> {
  const { server, tls } = adminTls(kubeconfig);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(server + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), tls } as RequestInit);
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  };
  await post("/api/v1/namespaces", { metadata: { name: namespace } });
  const pod = (i: number) => ({
    metadata: { name: `pod-${i}`, labels: { app: "bench", tier: `t${i % 10}` } },
    spec: { nodeName: "nowhere", containers: [{ name: "app", image: "registry.example.com/app:1.2.3", ports: [{ containerPort: 8080 }] }, { name: "sidecar", image: "busybox" }] },
  });
  let next = 0;
  const worker = async () => {
    while (next < count) await post(`/api/v1/namespaces/${namespace}/pods`, pod(next++));
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

function timeOnce(cmd: string[], env: Record<string, string>): number {
  const start = performance.now();
  const r = Bun.spawnSync(cmd, { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe" });
  const elapsed = performance.now() - start;
  if (!r.success) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
  return elapsed;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(KAPI)) throw new Error("dist/kapi not found; run `npm run build` first");
  const kubectl = findKubectl();
  const dir = mkdtempSync(join(tmpdir(), "kapi-client-bench-"));
  const server = await startServer(join(dir, "data"));
  try {
    await createPods(server.kubeconfig, "small", 10);
    const created = performance.now();
    await createPods(server.kubeconfig, "big", bigCount);
    console.log(`set-up: ${bigCount} pods created in ${((performance.now() - created) / 1000).toFixed(1)} s`);
    const tools: Record<string, string[]> = { kapi: [KAPI], kubectl: [kubectl] };
    const envOf = (tool: string) => ({ HOME: join(dir, `home-${tool}`), KUBECONFIG: server.kubeconfig });
    console.log(`kubectl: ${kubectl}`);
    console.log("\nget pods, whole-process wall time (median, ms), warm discovery caches, runs alternate");
    console.log("pods      kapi      kubectl   kapi/kubectl   target");
    for (const [ns, count, runs, target] of [["small", 10, runsSmall, "<= 0.60"], ["big", bigCount, runsBig, "<= 1.00"]] as const) {
      const samples: Record<string, number[]> = { kapi: [], kubectl: [] };
      for (const [tool, cmd] of Object.entries(tools)) timeOnce([...cmd, "get", "pods", "-n", ns], envOf(tool)); // warms the cache
      for (let i = 0; i < runs; i++) {
        for (const [tool, cmd] of Object.entries(tools)) samples[tool]!.push(timeOnce([...cmd, "get", "pods", "-n", ns], envOf(tool)));
      }
      const [a, b] = [median(samples.kapi!), median(samples.kubectl!)];
      console.log(`${String(count).padEnd(10)}${a.toFixed(0).padEnd(10)}${b.toFixed(0).padEnd(10)}${(a / b).toFixed(2).padEnd(15)}${target}`);
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
