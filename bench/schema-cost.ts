// What the type schemas cost per write: `bun bench/schema-cost.ts`.
// For the benchmark pod (bench/support/pod-body.ts), in process, the median time of: parsing
// the body, strict field validation (the typed decode that finds unknown and duplicate
// fields), the managedFields of a create, and a whole create through the app with
// fieldValidation=Strict (no TLS, in-memory store), so the first three can be read as shares of
// the last. Knob: KAPI_BENCH_PODS (2000).
import { kindType } from "../api/schema/index.ts";
import { updateManagedFields } from "../api/apply/apply.ts";
import { decodeAgainstSchema } from "../server/validation/typed-decode.ts";
import { openSqliteStore } from "../store/index.ts";
import { createServerCore } from "../server/index.ts";
import { podBody } from "./support/pod-body.ts";

const N = Number(process.env.KAPI_BENCH_PODS ?? 2_000);
const podType = kindType("v1", "Pod")!;
const bodies = Array.from({ length: N }, (_, i) => podBody(i, "default"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median microseconds of `fn` over the bodies (after one warm-up pass). */
function timeEach(fn: (body: string, i: number) => void): number {
  bodies.forEach(fn);
  const times: number[] = [];
  bodies.forEach((body, i) => {
    const t = performance.now();
    fn(body, i);
    times.push((performance.now() - t) * 1000);
  });
  return median(times);
}

const parse = timeEach((body) => JSON.parse(body));
const validate = timeEach((body) => decodeAgainstSchema(podType, JSON.parse(body)));
const managed = timeEach((body) => updateManagedFields({ type: podType, apiVersion: "v1", now: new Date().toISOString() }, undefined, JSON.parse(body), "kubectl-create"));

const store = await openSqliteStore(":memory:");
const core = await createServerCore(store, { serverAddress: "127.0.0.1:6443", endpoint: { ip: "127.0.0.1", port: 6443 } });
const admin = { remoteAddress: "127.0.0.1", peerCertificate: { commonName: "bench", organizations: ["system:masters"], fingerprint256: "" } };
let round = 0;
async function createAll(): Promise<number[]> {
  round++;
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const body = bodies[i]!.replace(`"bench-pod-${i}"`, `"r${round}-pod-${i}"`);
    const t = performance.now();
    const res = await core.app.fetch(new Request("https://127.0.0.1:6443/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict", { method: "POST", headers: { "content-type": "application/json" }, body }), admin);
    await res.arrayBuffer();
    times.push((performance.now() - t) * 1000);
    if (res.status !== 201) throw new Error(`create: HTTP ${res.status}`);
  }
  return times;
}
await createAll();
const create = median(await createAll());
await core.close();
await store.close();

const row = (label: string, us: number) => console.log(`${label.padEnd(58)} ${us.toFixed(1).padStart(8)} µs ${((us / create) * 100).toFixed(0).padStart(4)}%`);
console.log(`schema cost per pod create (${N} pods of ${(bodies[0]!.length / 1024).toFixed(1)} KB, in process, median)`);
row("JSON.parse of the body", parse);
row("strict field validation (typed decode, incl. parse)", validate);
row("managedFields of a create (incl. parse)", managed);
row("whole create through the app (fieldValidation=Strict)", create);
