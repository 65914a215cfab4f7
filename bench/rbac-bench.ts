// RBAC authorization overhead: `bun bench/rbac-bench.ts`.
// Starts `kapi serve` as a separate process, fills it with 1,000 ClusterRoles and
// ClusterRoleBindings and 1,000 Roles and RoleBindings (10 namespaces), then measures
// ConfigMap creates/s and GETs/s over HTTPS with 32 concurrent clients, once as the admin
// (system:masters, allowed before RBAC is consulted) and once as a user whose only grant is one
// RoleBinding among the 1,000, in alternating rounds of the same run. Prints the median round of
// each caller and the RBAC user's slowdown (target: at most 10%). Before that, the same policy
// in process: the cost of one authorization decision for each caller, which the HTTP figures
// (noisy on a shared machine) should agree with.
//
// Knobs (environment): KAPI_BENCH_RBAC_OBJECTS (1000), KAPI_BENCH_RBAC_OPS (2000 per round),
// KAPI_BENCH_RBAC_ROUNDS (6 per caller), KAPI_BENCH_SERVER=source|dist.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../store/index.ts";
import { createServerCore, type ServerCore } from "../server/index.ts";
import { rbacOf } from "../server/auth/rbac/index.ts";
import type { UserInfo } from "../server/auth/user.ts";
import { issueClientCert } from "../server/tls/x509.ts";
import { startBenchServer, type BenchServer, type ClientTls, type ServerFlavour } from "./support/kapi-server.ts";

const OBJECTS = Number(process.env.KAPI_BENCH_RBAC_OBJECTS ?? 1_000);
const OPS = Number(process.env.KAPI_BENCH_RBAC_OPS ?? 2_000);
const ROUNDS = Number(process.env.KAPI_BENCH_RBAC_ROUNDS ?? 6);
const CLIENTS = 32;
const NAMESPACES = 10;
const FLAVOUR: ServerFlavour = process.env.KAPI_BENCH_SERVER === "dist" ? "dist" : "source";
const NS = "bench";
const RBAC = "/apis/rbac.authorization.k8s.io/v1";

/** Sends one request and returns its status. */
interface Sender {
  send(method: string, path: string, body?: unknown): Promise<number>;
}

/** One caller's view of the server over HTTPS. */
class Client implements Sender {
  constructor(
    readonly base: string,
    readonly tls: ClientTls,
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<number> {
    const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
    const r = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), tls: this.tls });
    await r.arrayBuffer();
    return r.status;
  }
}

/** The admin of an in-process server core. */
function inProcessAdmin(core: ServerCore): Sender {
  const peerCertificate = { commonName: "kubernetes-admin", organizations: ["system:masters"] };
  return {
    async send(method, path, body) {
      const init = { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) };
      const r = await core.app.fetch(new Request(`https://127.0.0.1:6443${path}`, init), { remoteAddress: "127.0.0.1", peerCertificate });
      await r.arrayBuffer();
      return r.status;
    },
  };
}

async function must(client: Sender, method: string, path: string, body?: unknown): Promise<void> {
  const status = await client.send(method, path, body);
  if (status >= 300) throw new Error(`${method} ${path} → ${status}`);
}

/** Runs `count` operations over `CLIENTS` concurrent workers; returns operations per second. */
async function throughput(count: number, op: (i: number) => Promise<number>, expected: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < count; i = next++) {
        const status = await op(i);
        if (status !== expected) throw new Error(`operation ${i}: HTTP ${status}, wanted ${expected}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function populate(admin: Sender): Promise<void> {
  const rule = (i: number) => [{ apiGroups: [""], resources: ["configmaps", `things-${i}`], verbs: ["get", "list"] }];
  const ref = (kind: string, name: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name });
  const user = (name: string) => [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name }];
  for (let n = 0; n < NAMESPACES; n++) await must(admin, "POST", "/api/v1/namespaces", { metadata: { name: n === 0 ? NS : `${NS}-${n}` } });
  await throughput(OBJECTS, async (i) => admin.send("POST", `${RBAC}/clusterroles`, { metadata: { name: `role-${i}` }, rules: rule(i) }), 201);
  await throughput(OBJECTS, async (i) => admin.send("POST", `${RBAC}/clusterrolebindings`, { metadata: { name: `binding-${i}` }, roleRef: ref("ClusterRole", `role-${i}`), subjects: user(`user-${i}`) }), 201);
  const nsOf = (i: number) => (i % NAMESPACES === 0 ? NS : `${NS}-${i % NAMESPACES}`);
  await throughput(OBJECTS, async (i) => admin.send("POST", `${RBAC}/namespaces/${nsOf(i)}/roles`, { metadata: { name: `role-${i}` }, rules: rule(i) }), 201);
  await throughput(OBJECTS, async (i) => admin.send("POST", `${RBAC}/namespaces/${nsOf(i)}/rolebindings`, { metadata: { name: `binding-${i}` }, roleRef: ref("Role", `role-${i}`), subjects: user(`user-${i}`) }), 201);
  // The measured user: one Role and RoleBinding in the middle of the namespace's 100.
  await must(admin, "POST", `${RBAC}/namespaces/${NS}/roles`, { metadata: { name: "bench-writer" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get"] }] });
  await must(admin, "POST", `${RBAC}/namespaces/${NS}/rolebindings`, { metadata: { name: "binding-500x" }, roleRef: ref("Role", "bench-writer"), subjects: user("bench-user") });
}

/** Microseconds per authorization decision for the admin and the RBAC user, over the same policy in process. */
async function decisionCost(): Promise<{ admin: number; rbac: number }> {
  const store = await openSqliteStore(":memory:");
  const core = await createServerCore(store, { serverAddress: "127.0.0.1:6443", endpoint: { ip: "127.0.0.1", port: 6443 } });
  try {
    await populate(inProcessAdmin(core));
    const rbac = rbacOf(store);
    const time = async (user: UserInfo) => {
      const attrs = { user, verb: "get", isResourceRequest: true, path: `/api/v1/namespaces/${NS}/configmaps/x`, apiGroup: "", apiVersion: "v1", resource: "configmaps", subresource: "", name: "x", namespace: NS };
      const n = 200_000;
      for (let i = 0; i < 10_000; i++) await rbac.authorize(attrs);
      const started = performance.now();
      for (let i = 0; i < n; i++) if (!(await rbac.authorize(attrs)).allowed) throw new Error("denied");
      return ((performance.now() - started) * 1000) / n;
    };
    return {
      admin: await time({ name: "kubernetes-admin", groups: ["system:masters", "system:authenticated"] }),
      rbac: await time({ name: "bench-user", groups: ["bench-team", "system:authenticated"] }),
    };
  } finally {
    await core.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const cost = await decisionCost();
  console.log(`one authorization decision in process (${OBJECTS} of each RBAC kind): admin ${cost.admin.toFixed(2)} µs, RBAC user ${cost.rbac.toFixed(2)} µs`);
  const root = mkdtempSync(join(tmpdir(), "kapi-rbac-bench-"));
  let server: BenchServer | undefined;
  try {
    server = await startBenchServer({ dataDir: join(root, "data"), flavour: FLAVOUR });
    const admin = new Client(server.url, server.tls);
    const ca = { certPem: await Bun.file(join(server.dataDir, "pki", "ca.crt")).text(), keyPem: await Bun.file(join(server.dataDir, "pki", "ca.key")).text() };
    const pair = issueClientCert(ca, { commonName: "bench-user", organizations: ["bench-team"] });
    const user = new Client(server.url, { ca: server.tls.ca, cert: pair.certPem, key: pair.keyPem });

    const filled = performance.now();
    await populate(admin);
    console.log(`populated ${OBJECTS} ClusterRoles + ${OBJECTS} ClusterRoleBindings + ${OBJECTS} Roles + ${OBJECTS} RoleBindings in ${((performance.now() - filled) / 1000).toFixed(1)} s`);
    if ((await user.send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: "probe" } })) !== 201) throw new Error("the bench user cannot create configmaps");
    if ((await user.send("GET", `/api/v1/namespaces/${NS}/secrets`)) !== 403) throw new Error("the bench user can list secrets");

    const results = { admin: { creates: [] as number[], reads: [] as number[] }, rbac: { creates: [] as number[], reads: [] as number[] } };
    // ABBA order: drift on a shared machine hits both callers alike.
    const order = Array.from({ length: ROUNDS }, (_, r) => (r % 2 === 0 ? (["admin", "rbac"] as const) : (["rbac", "admin"] as const))).flat();
    for (const [round, who] of order.entries()) {
      const client = who === "admin" ? admin : user;
      const prefix = `${who}-${round}`;
      const creates = await throughput(OPS, (i) => client.send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: `${prefix}-${i}` }, data: { k: "v" } }), 201);
      const reads = await throughput(OPS, (i) => client.send("GET", `/api/v1/namespaces/${NS}/configmaps/${prefix}-${i}`), 200);
      results[who].creates.push(creates);
      results[who].reads.push(reads);
    }
    const line = (label: string, a: number[], r: number[]) => {
      const [ma, mr] = [median(a), median(r)];
      console.log(`${label.padEnd(34)} ${String(Math.round(ma)).padStart(10)} ${String(Math.round(mr)).padStart(10)} ${`${(((ma - mr) / ma) * 100).toFixed(1)}%`.padStart(8)} ${"≤ 10%".padStart(8)}`);
    };
    console.log("");
    console.log(`over HTTPS, median of ${ROUNDS} rounds of ${OPS} per caller (ABBA order):`);
    console.log(`${"".padEnd(34)} ${"admin".padStart(10)} ${"RBAC user".padStart(10)} ${"slower".padStart(8)} ${"target".padStart(8)}`);
    line("ConfigMap creates/s (32 clients)", results.admin.creates, results.rbac.creates);
    line("ConfigMap GETs/s (32 clients)", results.admin.reads, results.rbac.reads);
  } finally {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
