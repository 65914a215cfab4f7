// `kapi proxy` next to real `kubectl proxy`, both in front of the same `kapi serve`: the same
// requests through either answer the same (version, discovery, health, lists, a streaming
// watch, a pod's log, a POST of YAML), and both filters refuse the same requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { availableKubectls } from "./support/kubectl.ts";
import { startTestServer, type TestServer } from "./support/server.ts";
import { eventually } from "./node/helpers.ts";

const KAPI = resolve(import.meta.dir, "../dist/kapi");
const k133 = availableKubectls().find((k) => k.version === "1.33")!;
const dir = mkdtempSync(join(tmpdir(), "kapi-proxy-"));
let server: TestServer;

/** A running proxy: where to reach it and how to stop it. */
interface Proxy {
  base: string;
  socket?: string;
  stop(): Promise<void>;
}

async function startProxy(tool: "kapi" | "kubectl", flags: string[], kubeconfig = server.kubeconfigPath): Promise<Proxy> {
  const bin = tool === "kapi" ? KAPI : k133.path;
  const child = Bun.spawn([bin, "proxy", "--kubeconfig", kubeconfig, ...flags], {
    env: { ...process.env, HOME: server.home, KUBECONFIG: "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  let out = "";
  while (!/Starting to serve on (\S+)\n/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${tool} proxy exited: ${await new Response(child.stderr).text()}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const where = /Starting to serve on (\S+)\n/.exec(out)![1]!;
  const stop = async () => {
    child.kill();
    await child.exited;
  };
  return where.startsWith("/") ? { base: "http://localhost", socket: where, stop } : { base: `http://${where.replace("127.0.0.1", "localhost")}`, stop };
}

/** One answer, reduced to what both proxies must agree on. */
interface Answer {
  status: number;
  contentType: string;
  body: string;
}

// Fields that legitimately differ between two objects created or read a moment apart.
function normalise(body: string): string {
  return body
    .replace(/"(resourceVersion|uid|creationTimestamp|time|startedAt|lastTransitionTime)":"[^"]*"/g, '"$1":"X"')
    .replace(/"name":"from-(kapi|kubectl)"/g, '"name":"from-X"')
    .replace(/pods \\"from-(kapi|kubectl)\\"/g, 'pods \\"from-X\\"')
    .replace(/"managedFields":\[.*?\]\}\]/g, '"managedFields":X');
}

async function ask(p: Proxy, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(p.base + path, { ...init, ...(p.socket ? { unix: p.socket } : {}) } as RequestInit);
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: normalise(await res.text()) };
}

/** A request with a Host header of our choosing (fetch always sends the URL's host). */
function askWithHost(p: Proxy, path: string, host: string): Promise<Answer> {
  const url = new URL(p.base + path);
  return new Promise((done, fail) => {
    const req = httpRequest({ hostname: "127.0.0.1", port: url.port, path, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => done({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), body }));
    });
    req.on("error", fail);
    req.end();
  });
}

async function bothAnswer(a: Proxy, b: Proxy, path: string, init?: RequestInit): Promise<Answer> {
  const [mine, theirs] = await Promise.all([ask(a, path, init), ask(b, path, init)]);
  expect(mine).toEqual(theirs);
  return mine;
}

const podYaml = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo hello; sleep 1; echo bye; sleep 3600"]
`;

beforeAll(async () => {
  server = await startTestServer();
  await server.kubectlOk(k133, ["create", "-f", "-"], podYaml("hello"));
  await eventually(async () => (await server.kubectlOk(k133, ["logs", "hello"])).includes("bye"));
});
afterAll(async () => {
  await server.stop();
});

describe("default settings", () => {
  let kapi: Proxy;
  let kubectl: Proxy;
  beforeAll(async () => {
    [kapi, kubectl] = await Promise.all([startProxy("kapi", ["--port=0"]), startProxy("kubectl", ["--port=0"])]);
    expect(kapi.base).toMatch(/^http:\/\/localhost:\d+$/);
  });
  afterAll(async () => {
    await Promise.all([kapi.stop(), kubectl.stop()]);
  });

  test.each(["/version", "/api/", "/api", "/apis", "/livez?verbose", "/readyz", "/api/v1/namespaces/default/pods/hello/log", "/api/v1/namespaces/default/pods/hello/log?tailLines=1", "/api/v1/namespaces/nope/pods/x", "/nope"])(
    "GET %s answers the same through both",
    async (path) => {
      const answer = await bothAnswer(kapi, kubectl, path);
      if (path.includes("/log")) expect(answer.body).toBe(path.includes("tailLines") ? "bye\n" : "hello\nbye\n");
    },
  );

  test("a pod list answers the same through both", async () => {
    const answer = await bothAnswer(kapi, kubectl, "/api/v1/namespaces/default/pods");
    expect(JSON.parse(answer.body).items.map((p: any) => p.metadata.name)).toEqual(["hello"]);
  });

  test("a watch streams through both: the first event arrives while the watch stays open", async () => {
    for (const p of [kapi, kubectl]) {
      const aborter = new AbortController();
      const res = await fetch(`${p.base}/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dhello`, { signal: aborter.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const { value } = await reader.read();
      const event = JSON.parse(new TextDecoder().decode(value).split("\n")[0]!);
      expect(event.type).toBe("ADDED");
      expect(event.object.metadata.name).toBe("hello");
      aborter.abort();
    }
  });

  test("a POST of YAML creates through both; a second one conflicts the same way", async () => {
    for (const verb of ["created", "conflict"]) {
      const [mine, theirs] = await Promise.all(
        ([[kapi, "from-kapi"], [kubectl, "from-kubectl"]] as const).map(([p, name]) =>
          ask(p, "/api/v1/namespaces/default/pods", { method: "POST", headers: { "content-type": "application/yaml" }, body: podYaml(name) }),
        ),
      );
      expect(mine.status).toBe(verb === "created" ? 201 : 409);
      expect(mine).toEqual(theirs);
    }
  });

  test.each([
    ["a Host that is not localhost", "/api/", "evil.example.com"],
    ["a Host with a port", "/api/", "evil.example.com:8001"],
    ["127.0.0.1 is accepted", "/version", "127.0.0.1"],
  ])("%s: both answer the same", async (_, path, host) => {
    const [mine, theirs] = await Promise.all([askWithHost(kapi, path, host), askWithHost(kubectl, path, host)]);
    expect(mine).toEqual(theirs);
    if (host.startsWith("evil")) expect(mine).toEqual({ status: 403, contentType: "text/plain; charset=utf-8", body: "Forbidden\n" });
  });

  test.each(["/api/v1/namespaces/default/pods/hello/exec?command=ls", "/api/v1/namespaces/default/pods/hello/attach"])("%s is refused by both", async (path) => {
    const answer = await bothAnswer(kapi, kubectl, path, { method: "POST" });
    expect(answer.status).toBe(403);
  });
});

describe("filters and prefixes", () => {
  test("--reject-methods and --accept-paths", async () => {
    const flags = ["--port=0", "--reject-methods=^POST$", "--accept-paths=^/api/.*"];
    const [kapi, kubectl] = await Promise.all([startProxy("kapi", flags), startProxy("kubectl", flags)]);
    try {
      expect((await bothAnswer(kapi, kubectl, "/api/v1/namespaces/default/pods", { method: "POST", body: "{}" })).status).toBe(403);
      expect((await bothAnswer(kapi, kubectl, "/apis")).status).toBe(403);
      expect((await bothAnswer(kapi, kubectl, "/api/v1/namespaces/default/pods/hello/log")).status).toBe(200);
    } finally {
      await Promise.all([kapi.stop(), kubectl.stop()]);
    }
  });

  test("--api-prefix, --www and --www-prefix", async () => {
    const www = join(dir, "www");
    await Bun.write(join(www, "index.html"), "<h1>kapi</h1>\n");
    await Bun.write(join(www, "notes.txt"), "plain\n");
    const flags = ["--port=0", "--api-prefix=/custom/", `--www=${www}`, "--www-prefix=/ui/"];
    const [kapi, kubectl] = await Promise.all([startProxy("kapi", flags), startProxy("kubectl", flags)]);
    try {
      expect((await bothAnswer(kapi, kubectl, "/custom/api/v1/namespaces/default/pods/hello/log")).body).toBe("hello\nbye\n");
      expect((await bothAnswer(kapi, kubectl, "/ui/notes.txt")).body).toBe("plain\n");
      await bothAnswer(kapi, kubectl, "/ui/");
      await bothAnswer(kapi, kubectl, "/ui/missing.txt");
      await bothAnswer(kapi, kubectl, "/api/");
    } finally {
      await Promise.all([kapi.stop(), kubectl.stop()]);
    }
  });

  test("--unix-socket", async () => {
    const [kapi, kubectl] = await Promise.all([
      startProxy("kapi", [`--unix-socket=${join(dir, "kapi.sock")}`]),
      startProxy("kubectl", [`--unix-socket=${join(dir, "kubectl.sock")}`]),
    ]);
    try {
      expect(kapi.socket).toBe(join(dir, "kapi.sock"));
      expect((await bothAnswer(kapi, kubectl, "/api/v1/namespaces/default/pods/hello/log")).body).toBe("hello\nbye\n");
    } finally {
      await Promise.all([kapi.stop(), kubectl.stop()]);
    }
  });

  test("an unreachable API server: both answer 500 with Go's dial error", async () => {
    const config = (await Bun.file(server.kubeconfigPath).text()).replace(/server: https:\/\/127\.0\.0\.1:\d+/, "server: https://127.0.0.1:1");
    const dead = join(dir, "dead.kubeconfig");
    writeFileSync(dead, config);
    const [kapi, kubectl] = await Promise.all([startProxy("kapi", ["--port=0"], dead), startProxy("kubectl", ["--port=0"], dead)]);
    try {
      const answer = await bothAnswer(kapi, kubectl, "/version");
      expect(answer).toEqual({ status: 500, contentType: "text/plain; charset=utf-8", body: "dial tcp 127.0.0.1:1: connect: connection refused\n" });
    } finally {
      await Promise.all([kapi.stop(), kubectl.stop()]);
    }
  });
});

describe("Upgrade requests", () => {
  /** An upstream that switches protocols and answers each chunk upper-cased (as exec/port-forward streams would flow). */
  async function startUpgradingUpstream() {
    const pki = join(server.dataDir, "pki");
    const upstream = createHttpsServer({ cert: readFileSync(join(pki, "apiserver.crt")), key: readFileSync(join(pki, "apiserver.key")) }, (_req, res) => {
      res.writeHead(400).end("upgrade required");
    });
    const seen: string[] = [];
    upstream.on("upgrade", (req, socket) => {
      seen.push(`${req.method} ${req.url} upgrade=${req.headers.upgrade}`);
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo.kapi.test\r\nConnection: Upgrade\r\n\r\n");
      socket.on("data", (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()));
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const config = readFileSync(server.kubeconfigPath, "utf8").replace(server.url, `https://127.0.0.1:${(upstream.address() as { port: number }).port}`);
    const kubeconfig = join(dir, "upgrading.kubeconfig");
    writeFileSync(kubeconfig, config);
    return { kubeconfig, seen, close: () => upstream.close() };
  }

  /** Sends an Upgrade request through the proxy, then a message over the switched connection. */
  function upgradeThrough(p: Proxy, path: string): Promise<string> {
    const url = new URL(p.base);
    return new Promise((done, fail) => {
      const socket = tcpConnect({ host: "127.0.0.1", port: Number(url.port) }, () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost:${url.port}\r\nConnection: Upgrade\r\nUpgrade: echo.kapi.test\r\n\r\n`);
      });
      let text = "";
      let sent = false;
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (!sent && text.includes("\r\n\r\n")) {
          sent = true;
          socket.write("ping over the upgraded stream");
        }
        if (text.includes("PING OVER THE UPGRADED STREAM")) {
          socket.destroy();
          done(text);
        }
      });
      socket.on("error", fail);
      socket.on("close", () => done(text));
      setTimeout(() => (socket.destroy(), done(text)), 5_000);
    });
  }

  test("are passed through both ways, as kubectl proxy passes them (exec and attach stay refused)", async () => {
    const upstream = await startUpgradingUpstream();
    const [kapi, kubectl] = await Promise.all([startProxy("kapi", ["--port=0"], upstream.kubeconfig), startProxy("kubectl", ["--port=0"], upstream.kubeconfig)]);
    try {
      const path = "/api/v1/namespaces/default/pods/web/portforward";
      const mine = await upgradeThrough(kapi, path);
      const theirs = await upgradeThrough(kubectl, path);
      expect(theirs).toStartWith("HTTP/1.1 101 Switching Protocols");
      expect(mine).toStartWith("HTTP/1.1 101 Switching Protocols");
      expect(mine).toContain("PING OVER THE UPGRADED STREAM");
      expect(theirs).toContain("PING OVER THE UPGRADED STREAM");
      expect(upstream.seen).toEqual([`GET ${path} upgrade=echo.kapi.test`, `GET ${path} upgrade=echo.kapi.test`]);
      const refused = await upgradeThrough(kapi, "/api/v1/namespaces/default/pods/web/exec?command=sh");
      expect(refused).toStartWith("HTTP/1.1 403");
      expect(upstream.seen.length).toBe(2);
    } finally {
      await Promise.all([kapi.stop(), kubectl.stop()]);
      upstream.close();
    }
  });
});
