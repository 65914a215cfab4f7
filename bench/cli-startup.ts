// CLI start-up cost: `dist/kapi version --client` against `kubectl version --client`, each run
// N times (default 30, after 3 warm-up runs), alternating so machine noise hits both alike.
// Usage: bun bench/cli-startup.ts [N] [path-to-kapi] [path-to-kubectl]

import { existsSync } from "node:fs";

const runs = Number(process.argv[2] ?? 30);
const kapi = process.argv[3] ?? "dist/kapi";
const kubectl = process.argv[4] ?? Bun.which("kubectl") ?? "";

function timeOnce(cmd: string[]): number {
  const start = performance.now();
  const r = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "pipe" });
  const elapsed = performance.now() - start;
  if (!r.success) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
  return elapsed;
}

function summary(samples: number[]): { mean: number; median: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, median, min: sorted[0]! };
}

if (!existsSync(kapi)) {
  console.error(`${kapi} not found; run \`bun run build\` first`);
  process.exit(1);
}
const commands: Record<string, string[]> = { kapi: [kapi, "version", "--client"] };
if (kubectl) commands.kubectl = [kubectl, "version", "--client"];
else console.error("kubectl not on PATH; measuring kapi only");

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (const cmd of Object.values(commands)) for (let i = 0; i < 3; i++) timeOnce(cmd);
for (let i = 0; i < runs; i++) for (const [name, cmd] of Object.entries(commands)) samples[name]!.push(timeOnce(cmd));

console.log(`version --client, ${runs} runs each (wall time of the whole process, ms)`);
const results: Record<string, ReturnType<typeof summary>> = {};
for (const [name, s] of Object.entries(samples)) {
  results[name] = summary(s);
  const r = results[name];
  console.log(`${name.padEnd(8)} mean ${r.mean.toFixed(1).padStart(6)}  median ${r.median.toFixed(1).padStart(6)}  min ${r.min.toFixed(1).padStart(6)}`);
}
if (results.kubectl) {
  const ratio = results.kapi!.median / results.kubectl.median;
  console.log(`kapi/kubectl median ratio: ${ratio.toFixed(2)} (${ratio < 1 ? `${(1 / ratio).toFixed(1)}x faster` : `${ratio.toFixed(1)}x slower`})`);
}
