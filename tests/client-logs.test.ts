// `kapi logs` compared with real kubectl 1.33 against the same `kapi serve` running pods as
// local processes: stdout, stderr, exit code and the pods/log requests each sends.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { expectSameAsKubectl } from "./support/get-compare.ts";
import { eventually } from "./node/helpers.ts";

let srv: RecordingServer;
const k133 = availableKubectls().find((k) => k.version === "1.33")!;
const n = ["-n", "logs"];

const container = (name: string, script: string) => ({ name, image: "busybox", command: ["sh", "-c", script] });
const pod = (name: string, containers: object[], extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { app: `logs-${name}` } },
  spec: { containers, ...extra },
});

async function create(path: string, body: unknown): Promise<void> {
  const res = await srv.api("POST", path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

async function podPhase(name: string): Promise<string> {
  const res = await srv.api("GET", `/api/v1/namespaces/logs/pods/${name}`);
  return ((await res.json()) as { status?: { phase?: string } }).status?.phase ?? "";
}

beforeAll(async () => {
  srv = await startRecordingServer({ runtime: "process" });
  await create("/api/v1/namespaces", { metadata: { name: "logs" } });
  const ns = "/api/v1/namespaces/logs/pods";
  await create(ns, pod("one", [container("main", "echo one; echo two; echo three; sleep 3600")]));
  await create(ns, pod("two", [container("a", "echo from-a; sleep 3600"), container("b", "echo from-b-1; echo from-b-2; sleep 3600")]));
  await create(ns, pod("done", [container("main", "echo done-1; sleep 1; echo done-2")], { restartPolicy: "Never" }));
  await create(ns, pod("pending", [container("main", "echo never")], { nodeSelector: { "no-such": "node" } }));
  await create("/apis/apps/v1/namespaces/logs/deployments", {
    metadata: { name: "web" },
    spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container("srv", "echo serving; sleep 3600")] } } },
  });
  const ready = await eventually(async () => (await podPhase("one")) === "Running" && (await podPhase("two")) === "Running" && (await podPhase("done")) === "Succeeded", 400, 50);
  if (!ready) throw new Error("the test pods did not start");
  const webReady = await eventually(async () => {
    const list = (await (await srv.api("GET", "/api/v1/namespaces/logs/pods?labelSelector=app%3Dweb")).json()) as { items: { status?: { phase?: string } }[] };
    return list.items.length === 1 && list.items[0]!.status?.phase === "Running";
  });
  if (!webReady) throw new Error("the deployment's pod did not start");
  // Let every container write its lines.
  await Bun.sleep(300);
});
afterAll(async () => {
  await srv.stop();
});

describe("logs match kubectl 1.33", () => {
  test.each([
    [["logs", "one", ...n]],
    [["logs", "pod/one", "--tail=1", ...n]],
    [["logs", "one", "--timestamps", ...n]],
    [["logs", "one", "--limit-bytes=6", ...n]],
    [["logs", "one", "--since=1h", ...n]],
    [["logs", "one", "main", ...n]],
    [["logs", "one", "-c", "nope", ...n]],
    [["logs", "one", "--previous", ...n]],
    [["logs", "two", ...n]],
    [["logs", "two", "-c", "b", ...n]],
    [["logs", "two", "--all-containers", ...n]],
    [["logs", "two", "--all-containers", "--prefix", ...n]],
    [["logs", "-l", "app=logs-two", "--all-containers", "--prefix", ...n]],
    [["logs", "-l", "app=none", ...n]],
    [["logs", "deployment/web", ...n]],
    [["logs", "done", "-f", ...n]],
    [["logs", "pending", ...n]],
    [["logs", "nope", ...n]],
    [["logs", "one", "-c", "main", "main", ...n]],
    [["logs", "one", "--since=1h", "--since-time=2024-01-01T00:00:00Z", ...n]],
    [["logs", "one", "--tail=-2", ...n]],
    [["logs", ...n]],
  ])("kapi %p", async (args) => {
    await expectSameAsKubectl(srv, k133, args);
  });
});

test("logs -f follows a running container until the client leaves", async () => {
  const run = srv.start("kapi", ["logs", "-f", "one", "--request-timeout=2s", ...n]);
  const r = await run.done;
  expect(r.stdout).toBe("one\ntwo\nthree\n");
  const log = r.requests.find((q) => q.path.endsWith("/log"))!;
  expect(log.query.get("follow")).toBe("true");
});
