// Proxy overhead: requests/s for a small GET straight to `kapi serve` over HTTPS with the admin
// certificate, through `kapi proxy`, and through real `kubectl proxy`, all in one run with the
// same client concurrency. Prints req/s and each proxy's share of the direct rate.
// Usage: bun bench/proxy-bench.ts [requests-per-round] [concurrency]

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const KAPI = resolve(import.meta.dir, "../dist/kapi");
const perRound = Number(process.argv[2] ?? 4000);
const concurrency = Number(process.argv[3] ?? 8);
const rounds = 3;
const PATH = "/api/v1/namespaces/default/configmaps/bench";

/** Starts a child and resolves once its stdout contains `ready`; returns that stdout and a stop function. */
async function startChild(cmd: string[], ready: RegExp): Promise<{ out: string; stop(): void }> {
  const child = Bun.spawn(cmd, { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let out = "";
  while (!ready.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${cmd.join(" ")} exited`);
    out += new TextDecoder().decode(value);
  }
  return { out, stop: () => child.kill() };
}

function adminTls(kubeconfig: string) {
  const text = readFileSync(kubeconfig, "utf8");
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(text)![1]!, "base64").toString();
  return { server: /server: (\S+)/.exec(text)![1]!, tls: { ca: field("certificate-authority-data"), cert: field("client-certificate-data"), key: field("client-key-data") } };
}

async function rate(base: string, init: RequestInit): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next++ < perRound) {
      const res = await fetch(base + PATH, init);
      if (res.status !== 200) throw new Error(`GET ${base}${PATH}: ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return perRound / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  if (!existsSync(KAPI)) throw new Error("dist/kapi not found; run `npm run build` first");
  const kubectl = Bun.which("kubectl");
  if (!kubectl) throw new Error("kubectl not on PATH");
  const dir = mkdtempSync(join(tmpdir(), "kapi-proxy-bench-"));
  const stops: (() => void)[] = [];
  try {
    const server = await startChild([KAPI, "serve", "--data-dir", dir, "--port", "0", "--runtime", "none"], /admin kubeconfig:/);
    stops.push(server.stop);
    const kubeconfig = join(dir, "admin.kubeconfig");
    const { server: url, tls } = adminTls(kubeconfig);
    const created = await fetch(`${url}/api/v1/namespaces/default/configmaps`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ metadata: { name: "bench" }, data: { key: "value" } }),
      tls,
    } as RequestInit);
    if (created.status !== 201) throw new Error(`create: ${created.status}`);
    const env = ["--kubeconfig", kubeconfig];
    const where = (out: string) => `http://${/Starting to serve on (\S+)/.exec(out)![1]!}`;
    const kapiProxy = await startChild([KAPI, "proxy", "--port=0", ...env], /Starting to serve on \S+\n/);
    stops.push(kapiProxy.stop);
    const kubectlProxy = await startChild([kubectl, "proxy", "--port=0", ...env], /Starting to serve on \S+\n/);
    stops.push(kubectlProxy.stop);
    const targets: [string, string, RequestInit][] = [
      ["direct (HTTPS, admin cert)", url, { tls } as RequestInit],
      ["through kapi proxy", where(kapiProxy.out), {}],
      ["through kubectl proxy", where(kubectlProxy.out), {}],
    ];
    for (const [, base, init] of targets) await rate(base, init); // warm-up
    const best: number[] = targets.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      for (const [i, [, base, init]] of targets.entries()) best[i] = Math.max(best[i]!, await rate(base, init));
    }
    console.log(`GET ${PATH}: ${perRound} requests per round, ${concurrency} concurrent clients, best of ${rounds} rounds`);
    console.log("path                          req/s     share of direct");
    for (const [i, [name]] of targets.entries()) {
      console.log(`${name.padEnd(30)}${best[i]!.toFixed(0).padEnd(10)}${((best[i]! / best[0]!) * 100).toFixed(0)}%`);
    }
    console.log(`kapi proxy / kubectl proxy: ${(best[1]! / best[2]!).toFixed(2)}`);
  } finally {
    for (const stop of stops.reverse()) stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
