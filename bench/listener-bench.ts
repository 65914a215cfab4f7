// The HTTPS listener alone: requests/s and server CPU per request for a small POST (1.5 KB in,
// 2 KB out) with a trivial handler, 32 concurrent HTTP/1.1 clients (Bun's fetch) and one h2
// session with 32 streams, against kapi's listener and, as the peer in the same run, node:http2
// with allowHTTP1 behind @hono/node-server (what kapi used before its own HTTP/1.1 and h2
// connection handlers).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:http2";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createCa, issueClientCert, issueServingCert } from "../server/tls/x509.ts";

const REQUESTS = Number(process.env.KAPI_BENCH_REQUESTS ?? 6000);
const CONCURRENCY = 32;
const dir = mkdtempSync(join(tmpdir(), "kapi-listener-bench-"));
const ca = createCa("listener-bench-ca");
const serving = issueServingCert(ca, { dnsNames: ["localhost"], ips: ["127.0.0.1"] });
const client = issueClientCert(ca, { commonName: "bench", organizations: ["system:masters"] });
writeFileSync(join(dir, "ca.crt"), ca.certPem);
writeFileSync(join(dir, "serving.crt"), serving.certPem);
writeFileSync(join(dir, "serving.key"), serving.keyPem);
const tls = { ca: ca.certPem, cert: client.certPem, key: client.keyPem };
const body = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { padding: "q".repeat(1400) } });

function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function http1(url: string, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) {
        const r = await fetch(`${url}/api/v1/namespaces/default/pods`, { method: "POST", body, headers: { "content-type": "application/json" }, tls } as RequestInit);
        await r.text();
        if (r.status !== 201) throw new Error(`HTTP ${r.status}`);
      }
    }),
  );
}

async function h2(url: string, n: number): Promise<void> {
  const session = connect(url, { ca: tls.ca, cert: tls.cert, key: tls.key });
  const one = () =>
    new Promise<void>((done, fail) => {
      const stream = session.request({ ":method": "POST", ":path": "/api/v1/namespaces/default/pods", "content-type": "application/json" });
      stream.on("data", () => {});
      stream.on("end", done);
      stream.on("error", fail);
      stream.end(body);
    });
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < n) await one();
  }));
  session.close();
}

async function measure(variant: string, protocol: "http/1.1" | "h2"): Promise<{ perSec: number; cpuUs: number }> {
  const proc = Bun.spawn([process.execPath, resolve(import.meta.dir, "support/listener-server.ts"), variant, dir], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const port = Number(new TextDecoder().decode((await reader.read()).value).trim());
  const url = `https://127.0.0.1:${port}`;
  const run = protocol === "h2" ? h2 : http1;
  try {
    await run(url, Math.min(2000, REQUESTS)); // warm-up
    const cpu0 = cpuMsOf(proc.pid);
    const started = performance.now();
    await run(url, REQUESTS);
    const elapsed = performance.now() - started;
    return { perSec: (REQUESTS / elapsed) * 1000, cpuUs: ((cpuMsOf(proc.pid) - cpu0) * 1000) / REQUESTS };
  } finally {
    proc.kill();
    await proc.exited;
  }
}

console.log(`listener benchmark (bun ${Bun.version}); ${REQUESTS} POSTs per row, ${CONCURRENCY} concurrent`);
const rows: Array<[string, string, "http/1.1" | "h2"]> = [
  ["kapi listener, HTTP/1.1", "kapi", "http/1.1"],
  ["node:http2 allowHTTP1 + @hono/node-server, HTTP/1.1", "http2-allowHTTP1", "http/1.1"],
  ["kapi listener, h2 (one session)", "kapi", "h2"],
  ["node:http2 allowHTTP1 + @hono/node-server, h2 (one session)", "http2-allowHTTP1", "h2"],
];
const results = new Map<string, { perSec: number; cpuUs: number }>();
for (const [label, variant, protocol] of rows) {
  const r = await measure(variant, protocol);
  results.set(label, r);
  console.log(`${label.padEnd(62)} ${r.perSec.toFixed(0).padStart(7)} req/s   server CPU ${r.cpuUs.toFixed(0).padStart(4)} µs/request`);
}
for (const [protocol, ours, peer] of [
  ["HTTP/1.1", rows[0]!, rows[1]!],
  ["h2", rows[2]!, rows[3]!],
] as const) {
  const ratio = results.get(ours[0])!.cpuUs / results.get(peer[0])!.cpuUs;
  console.log(`${protocol}: kapi's listener costs ${ratio.toFixed(2)}x the peer's server CPU per request`);
}
rmSync(dir, { recursive: true, force: true });
