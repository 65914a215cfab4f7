// Serves our Tables to the real kubectl on PATH (over plain HTTP, legacy discovery) and checks
// what it prints: headers, hidden wide columns, integer and string cells, -A namespaces.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { printerFor } from "./index.ts";
import { NOW, ago, meta } from "./testing.ts";

// kubectl on PATH, plus the oldest and newest minor versions installed beside it, if any.
function kubectlBinaries(): string[] {
  const onPath = Bun.which("kubectl");
  if (!onPath) return [];
  const dir = dirname(realpathSync(onPath));
  const siblings = ["kubectl.1.27", "kubectl.1.33"].map((b) => join(dir, b)).filter((b) => existsSync(b));
  return [onPath, ...siblings];
}

const binaries = kubectlBinaries();

const coreResources = [
  ["pods", "Pod"],
  ["nodes", "Node"],
  ["services", "Service"],
  ["events", "Event"],
  ["configmaps", "ConfigMap"],
].map(([name, kind]) => ({
  name,
  singularName: kind!.toLowerCase(),
  namespaced: name !== "nodes",
  kind,
  verbs: ["get", "list", "watch"],
}));

const appsResources = [
  { name: "deployments", singularName: "deployment", namespaced: true, kind: "Deployment", verbs: ["get", "list", "watch"] },
];

const objects: Record<string, any[]> = {
  pods: [
    {
      metadata: meta("web-1", 3600, { labels: { app: "web" } }),
      spec: { nodeName: "kapi-node", containers: [{ name: "a" }, { name: "b" }] },
      status: {
        phase: "Running",
        podIP: "10.244.0.7",
        containerStatuses: ["a", "b"].map((name) => ({ name, ready: true, restartCount: 0, state: { running: {} } })),
      },
    },
    {
      metadata: meta("crashy", 3600, { namespace: "team-a" }),
      spec: { containers: [{ name: "a" }] },
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "a",
            restartCount: 5,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(125) } },
          },
        ],
      },
    },
  ],
  nodes: [
    {
      metadata: meta("kapi-node", 86400 * 3, { namespace: undefined, labels: { "node-role.kubernetes.io/control-plane": "" } }),
      spec: {},
      status: { conditions: [{ type: "Ready", status: "True" }], nodeInfo: { kubeletVersion: "v1.33.0" } },
    },
  ],
  services: [
    {
      metadata: meta("lb", 600),
      spec: { type: "LoadBalancer", clusterIP: "10.96.0.20", ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }, { port: 443, nodePort: 30443, protocol: "TCP" }] },
      status: {},
    },
  ],
  events: [
    {
      metadata: meta("web-1.abc", 600),
      involvedObject: { kind: "Pod", name: "web-1" },
      reason: "Pulled",
      message: "Container image already present",
      source: { component: "kubelet", host: "kapi-node" },
      firstTimestamp: ago(600),
      lastTimestamp: ago(90),
      count: 3,
      type: "Normal",
    },
  ],
  configmaps: [{ metadata: meta("settings", 600), data: { a: "1", b: "2" } }],
  deployments: [
    {
      metadata: meta("web", 600),
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "a", image: "nginx" }] } } },
      status: { readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
    },
  ],
};

function table(group: string, resource: string, namespace: string | undefined): unknown {
  const printer = printerFor(group, resource);
  const items = (objects[resource] ?? []).filter((o) => !namespace || (o.metadata.namespace ?? "default") === namespace);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion: "100" },
    columnDefinitions: printer.columns,
    rows: items.map((o) => ({
      cells: printer.cells(o, NOW),
      object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
    })),
  };
}

function route(path: string): unknown {
  if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] };
  if (path === "/apis") {
    const gv = { groupVersion: "apps/v1", version: "v1" };
    return { kind: "APIGroupList", apiVersion: "v1", groups: [{ name: "apps", versions: [gv], preferredVersion: gv }] };
  }
  if (path === "/api/v1") return { kind: "APIResourceList", apiVersion: "v1", groupVersion: "v1", resources: coreResources };
  if (path === "/apis/apps/v1") return { kind: "APIResourceList", apiVersion: "v1", groupVersion: "apps/v1", resources: appsResources };
  const m = /^\/(?:api\/v1|apis\/(apps)\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(path);
  if (m) return table(m[1] ?? "", m[3]!, m[2]);
  return undefined;
}

let server: ReturnType<typeof Bun.serve> | undefined;
let cacheDir = "";

// The server runs on this thread, so kubectl must be awaited, never run synchronously.
async function run(kubectl: string, ...args: string[]): Promise<string[]> {
  const proc = Bun.spawn([kubectl, `--server=http://127.0.0.1:${server!.port}`, `--cache-dir=${cacheDir}`, ...args], {
    env: { ...process.env, KUBECONFIG: join(cacheDir, "none"), HOME: cacheDir },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${err}`);
  return out.trimEnd().split("\n");
}

describe.each(binaries)("%s renders our Tables", (kubectl) => {
  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), "kapi-printers-"));
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        const body = route(new URL(req.url).pathname);
        if (body === undefined) return new Response('{"kind":"Status","status":"Failure","code":404}', { status: 404 });
        return Response.json(body);
      },
    });
  });

  afterAll(() => {
    server?.stop(true);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("get pods", async () => {
    expect(await run(kubectl, "get", "pods", "-n", "default")).toEqual(["NAME    READY   STATUS    RESTARTS   AGE", "web-1   2/2     Running   0          60m"]);
  });

  test("get pods -A -o wide", async () => {
    expect(await run(kubectl, "get", "pods", "-A", "-o", "wide")).toEqual([
      "NAMESPACE   NAME     READY   STATUS             RESTARTS       AGE   IP           NODE        NOMINATED NODE   READINESS GATES",
      "default     web-1    2/2     Running            0              60m   10.244.0.7   kapi-node   <none>           <none>",
      "team-a      crashy   0/1     CrashLoopBackOff   5 (2m5s ago)   60m   <none>       <none>      <none>           <none>",
    ]);
  });

  test("get nodes", async () => {
    expect(await run(kubectl, "get", "nodes")).toEqual([
      "NAME        STATUS   ROLES           AGE   VERSION",
      "kapi-node   Ready    control-plane   3d    v1.33.0",
    ]);
  });

  test("get services", async () => {
    expect(await run(kubectl, "get", "services", "-n", "default")).toEqual([
      "NAME   TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE",
      "lb     LoadBalancer   10.96.0.20   <pending>     80:30080/TCP,443:30443/TCP   10m",
    ]);
  });

  test("get events, plain and wide", async () => {
    expect(await run(kubectl, "get", "events", "-n", "default")).toEqual([
      "LAST SEEN   TYPE     REASON   OBJECT      MESSAGE",
      "90s         Normal   Pulled   pod/web-1   Container image already present",
    ]);
    expect(await run(kubectl, "get", "events", "-n", "default", "-o", "wide")).toEqual([
      "LAST SEEN   TYPE     REASON   OBJECT      SUBOBJECT   SOURCE               MESSAGE                           FIRST SEEN   COUNT   NAME",
      "90s         Normal   Pulled   pod/web-1               kubelet, kapi-node   Container image already present   10m          3       web-1.abc",
    ]);
  });

  test("get configmaps and deployments", async () => {
    expect(await run(kubectl, "get", "configmaps", "-n", "default")).toEqual(["NAME       DATA   AGE", "settings   2      10m"]);
    expect(await run(kubectl, "get", "deployments", "-n", "default", "-o", "wide")).toEqual([
      "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR",
      "web    2/2     2            2           10m   a            nginx    app=web",
    ]);
  });
});
