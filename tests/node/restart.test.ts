// A server restart: the pods' processes stop with the server, and the next server on the
// same data directory restarts the containers as a rebooted kubelet does (the lost run is
// the last state, terminated with reason Unknown, and the restart count goes up).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/index.ts";
import { createServerCore } from "../../server/index.ts";
import { containerStatus, podBody, shell } from "./in-process-node.ts";
import { eventually, podProcesses } from "./helpers.ts";

const dataDir = mkdtempSync(join(tmpdir(), "kapi-restart-test-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const pods = "/api/v1/namespaces/default/pods";

async function boot() {
  const store = await openSqliteStore(join(dataDir, "kapi.db"));
  const core = await createServerCore(store, { dataDir, runtime: "process", nodeName: "node-1", serverAddress: "127.0.0.1:6443", endpoint: { ip: "127.0.0.1", port: 6443 } });
  const send = (method: string, path: string, body?: unknown) => {
    const request = new Request(`https://127.0.0.1:6443${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return core.app.fetch(request, { remoteAddress: "127.0.0.1", peerCertificate: { commonName: "kubernetes-admin", organizations: ["system:masters"] } });
  };
  const call = async (method: string, path: string, body?: unknown) => (await (await send(method, path, body)).json()) as any;
  const text = async (path: string) => (await send("GET", path)).text();
  return { call, text, close: async () => (await core.close(), await store.close()) };
}

test("containers come back after a restart with restartCount 1 and an Unknown last state", async () => {
  const first = await boot();
  await first.call("POST", pods, podBody("survivor", [shell("c", "echo started; sleep 3600")]));
  await eventually(async () => containerStatus(await first.call("GET", `${pods}/survivor`), "c")?.state?.running);
  expect(podProcesses("survivor").length).toBeGreaterThan(0);
  await first.close();
  expect(podProcesses("survivor")).toEqual([]);

  const rebooted = Date.now();
  const second = await boot();
  try {
    // The node registered again over the Node the first run left: its lease is renewed.
    const renewed = await eventually(async () => {
      const lease = await second.call("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1");
      return Date.parse(lease.spec.renewTime) >= rebooted ? lease : undefined;
    });
    expect(renewed.spec.holderIdentity).toBe("node-1");
    const node = await second.call("GET", "/api/v1/nodes/node-1");
    expect(node.status.conditions.find((c: { type: string }) => c.type === "Ready").status).toBe("True");
    const pod = await eventually(async () => {
      const p = await second.call("GET", `${pods}/survivor`);
      return containerStatus(p, "c")?.restartCount === 1 && containerStatus(p, "c").state.running ? p : undefined;
    });
    const status = containerStatus(pod, "c");
    expect(status.lastState.terminated).toMatchObject({ exitCode: 255, reason: "Unknown" });
    expect(pod.status.phase).toBe("Running");
    expect(podProcesses("survivor").length).toBeGreaterThan(0);
    expect(await second.text(`${pods}/survivor/log?previous=true`)).toBe("started\n");
    expect(await eventually(async () => (await second.text(`${pods}/survivor/log`)) === "started\n")).toBe(true);
  } finally {
    await second.close();
  }
  expect(podProcesses("survivor")).toEqual([]);
});
