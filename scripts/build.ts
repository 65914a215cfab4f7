// `npm run build`: dist/kapi, the standalone executable, in two passes. The first build runs
// once as `kapi serve` (start, /readyz, a client request, stop) with BUN_BYTECODE_ORDER_OUT
// recording which functions start-up uses; the second lays the bytecode out in that order, so
// that the pages a starting server or client touches are together (an idle server keeps ~1.3 MB
// less of the executable resident). When the recording run fails the first build is kept.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const output = "dist/kapi";
const compile = ["build", "--compile", "--splitting", "--format=esm", "--bytecode", "--compile-jit-policy=100", "--minify-syntax", "--minify-whitespace", "cmd/main.ts", "--outfile", output];

function build(extra: string[]): void {
  const result = spawnSync(process.execPath, [...compile, ...extra], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs `kapi serve` and one client command, recording their start-up; the profile files, or an error. */
async function record(dir: string): Promise<string[]> {
  const serveProfile = join(dir, "serve.order");
  const clientProfile = join(dir, "client.order");
  const dataDir = join(dir, "data");
  const server = spawn(output, ["serve", "--data-dir", dataDir, "--port", "0", "--runtime", "none"], {
    env: { ...process.env, BUN_BYTECODE_ORDER_OUT: serveProfile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error("kapi serve did not start within 20 s")), 20_000);
      server.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /kapi serving on (\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      server.on("exit", () => reject(new Error("kapi serve exited early")));
    });
    const ready = await fetch(`${url}/readyz`, { tls: { rejectUnauthorized: false } } as RequestInit);
    if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}`);
    await ready.text();
    const client = spawnSync(output, ["--kubeconfig", join(dataDir, "admin.kubeconfig"), "get", "namespaces"], {
      env: { ...process.env, BUN_BYTECODE_ORDER_OUT: clientProfile },
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 20_000,
    });
    if (client.status !== 0) throw new Error(`kapi get namespaces exited with ${client.status}`);
  } finally {
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  const profiles = [serveProfile, clientProfile];
  const missing = profiles.filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`no profile written: ${missing.join(", ")}`);
  return profiles;
}

build([]);
const dir = mkdtempSync(join(tmpdir(), "kapi-build-"));
try {
  const profiles = await record(dir);
  build([`--bytecode-order=${profiles.join(",")}`]);
} catch (error) {
  console.warn(`build: kept ${output} without a start-up profile (${(error as Error).message})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
