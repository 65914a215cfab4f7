// List timing client, run as its own process by bench/server-bench.ts so that the timing does
// not depend on the state of the process that made the 10k creates (its heap, its pool):
//   bun bench/support/list-timer.ts '<json config>'
// Lists `path` once ("first", reported on its own), then `runs` times, then once more to check
// the answer (bytes, items), and prints {"first":ms,"times":[ms...],"bytes":n,"items":n}.
// read "stream" stops the clock at the last byte of a body read as it arrives; "buffer" has
// fetch collect the whole body first (arrayBuffer), which adds the client's own cost of
// growing a ~50 MB buffer.
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Config {
  url: string;
  accept: string;
  runs: number;
  read: "stream" | "buffer";
  dataDir: string;
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const pki = join(config.dataDir, "pki");
const tls = { ca: readFileSync(join(pki, "ca.crt"), "utf8"), cert: readFileSync(join(pki, "admin.crt"), "utf8"), key: readFileSync(join(pki, "admin.key"), "utf8") };

async function list(): Promise<Response> {
  const r = await fetch(config.url, { headers: { accept: config.accept }, tls });
  if (r.status !== 200) throw new Error(`list (${config.accept}): HTTP ${r.status}`);
  return r;
}

// The first list is timed too (the server's first Table list prints every row; later ones
// reuse the cells kept per revision) but only read.
const firstStart = performance.now();
const firstResponse = await list();
if (config.read === "buffer") await firstResponse.arrayBuffer();
else for await (const _chunk of firstResponse.body!);
const first = performance.now() - firstStart;
const times: number[] = [];
for (let run = 0; run < config.runs; run++) {
  const t0 = performance.now();
  const r = await list();
  if (config.read === "buffer") await r.arrayBuffer();
  else for await (const _chunk of r.body!);
  times.push(performance.now() - t0);
}
// Checked after the timed runs: parsing ~50 MB grows this process's heap, and once collected,
// the pages it gave back had to be faulted in again by the next reads (~10 µs each on the
// bench VM), which put 50-70 ms of the client's own work into the first timed runs.
const received: Uint8Array[] = [];
for await (const chunk of (await list()).body!) received.push(chunk);
const checked = Buffer.concat(received);
const parsed = JSON.parse(new TextDecoder().decode(checked)) as { items?: unknown[]; rows?: unknown[] };
console.log(JSON.stringify({ first, times, bytes: checked.byteLength, items: (parsed.items ?? parsed.rows ?? []).length }));
