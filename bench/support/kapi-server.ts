// Starts a kapi server as a separate process for benchmarks, talks to it over HTTPS with the
// admin client certificate, reads its RSS, and stops it.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

export const repoRoot = resolve(import.meta.dir, "../..");
export const bunPath = process.execPath;

/** Client TLS material for Bun's fetch / Bun.connect. */
export interface ClientTls {
  ca: string;
  cert: string;
  key: string;
}

export interface BenchServer {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  pid: number;
  url: string;
  dataDir: string;
  tls: ClientTls;
  /** Milliseconds from spawn until /readyz answered 200. */
  startToReadyMs: number;
  stop(): Promise<void>;
}

export type ServerFlavour = "source" | "dist";

// The server under test, from the working tree's sources (no build step needed).
const SERVE_SOURCE = `
import { startServer } from "./server/index.ts";
const s = await startServer({ dataDir: process.argv[1], address: "127.0.0.1", port: Number(process.argv[2] ?? 0), runtime: process.argv[3], tlsSans: [], quiet: true });
console.log(JSON.stringify({ url: s.url, kubeconfig: s.kubeconfigPath }));
let closing = false;
const shut = async () => { if (closing) return; closing = true; await s.close(); process.exit(0); };
process.on("SIGTERM", shut);
process.on("SIGINT", shut);
`;

/** A free TCP port on 127.0.0.1 (for flavours that cannot report a port-0 binding). */
export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

export function loadClientTls(dataDir: string): ClientTls {
  const pki = join(dataDir, "pki");
  return {
    ca: readFileSync(join(pki, "ca.crt"), "utf8"),
    cert: readFileSync(join(pki, "admin.crt"), "utf8"),
    key: readFileSync(join(pki, "admin.key"), "utf8"),
  };
}

/**
 * Spawns a server on `dataDir` and waits until `/readyz` answers 200. The clock starts just
 * before the spawn. The readiness probe is a plain TLS request without a client certificate
 * (the PKI may not exist yet); /readyz is open to anonymous callers, as upstream.
 */
export async function startBenchServer(opts: {
  dataDir: string;
  flavour: ServerFlavour;
  timeoutMs?: number;
  cpuProfDir?: string;
  env?: Record<string, string>;
  /** The node's runtime; "none" (the default here) serves the API only, as envtest does. */
  runtime?: string;
}): Promise<BenchServer> {
  const runtime = opts.runtime ?? "none";
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  let cmd: string[];
  if (opts.flavour === "dist") {
    cmd = [(process.env.KAPI_DIST ?? join(repoRoot, "dist/kapi")), "serve", "--data-dir", opts.dataDir, "--address", "127.0.0.1", "--port", String(port), "--runtime", runtime];
  } else {
    const prof = opts.cpuProfDir ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
    cmd = [bunPath, ...prof, "-e", SERVE_SOURCE, opts.dataDir, String(port), runtime];
  }
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd: repoRoot, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, ...opts.env } });
  let stderr = "";
  (async () => {
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) stderr = (stderr + dec.decode(chunk)).slice(-4000);
  })().catch(() => {});
  // Drain stdout so the child never blocks on a full pipe.
  (async () => {
    for await (const _ of proc.stdout) {
      // discard
    }
  })().catch(() => {});

  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
    if (!exited) {
      proc.kill("SIGKILL");
      await proc.exited;
    }
  };

  try {
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited early (${proc.exitCode ?? proc.signalCode}): ${stderr}`);
      if (performance.now() - started > timeoutMs) throw new Error(`server not ready after ${timeoutMs} ms: ${stderr}`);
      try {
        const r = await fetch(`${url}/readyz`, { tls: { rejectUnauthorized: false }, keepalive: false });
        await r.arrayBuffer();
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      await Bun.sleep(2);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const startToReadyMs = performance.now() - started;
  return { proc, pid: proc.pid, url, dataDir: opts.dataDir, tls: loadClientTls(opts.dataDir), startToReadyMs, stop };
}

/** VmRSS and VmHWM of a process in MiB (NaN when it is gone). */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** CPU seconds (user+system) used so far by a process. */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // fields[11] = utime, fields[12] = stime (after the comm field), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Open file descriptors of a process whose target is a socket. */
export function socketCountOf(pid: number): number {
  try {
    let n = 0;
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) n++;
      } catch {
        // closed meanwhile
      }
    }
    return n;
  } catch {
    return NaN;
  }
}
