// proxy-url: socks5://… — kapi tunnels its requests through a SOCKS5 proxy as kubectl does
// (RFC 1928, RFC 1929 credentials from the URL). A small SOCKS5 server here records what it
// is asked, and kubectl 1.33 is run through the same proxy for comparison.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { availableKubectls, run } from "./support/kubectl.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const KAPI = resolve(import.meta.dir, "../dist/kapi");
const kubectl = availableKubectls().find((k) => k.version === "1.33") ?? availableKubectls()[0]!;

interface SocksLog {
  targets: string[];
  credentials: string[];
}

/** A SOCKS5 server (no auth, or user/password when `account` is set) that logs each CONNECT. */
async function startSocks(account?: { user: string; password: string }): Promise<{ server: Server; port: number; log: SocksLog }> {
  const log: SocksLog = { targets: [], credentials: [] };
  const server = createServer((client: Socket) => {
    client.on("error", () => {});
    let buf = Buffer.alloc(0);
    let stage = "greeting";
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === "greeting" && buf.length >= 2 && buf.length >= 2 + buf[1]!) {
        const methods = [...buf.subarray(2, 2 + buf[1]!)];
        buf = buf.subarray(2 + buf[1]!);
        const method = account ? 2 : 0;
        if (!methods.includes(method)) return void client.end(Buffer.from([5, 0xff]));
        client.write(Buffer.from([5, method]));
        stage = account ? "auth" : "request";
      }
      if (stage === "auth" && buf.length >= 2) {
        const ulen = buf[1]!;
        if (buf.length < 3 + ulen || buf.length < 3 + ulen + buf[2 + ulen]!) return;
        const user = buf.subarray(2, 2 + ulen).toString();
        const plen = buf[2 + ulen]!;
        const password = buf.subarray(3 + ulen, 3 + ulen + plen).toString();
        buf = buf.subarray(3 + ulen + plen);
        log.credentials.push(`${user}:${password}`);
        const ok = user === account!.user && password === account!.password;
        client.write(Buffer.from([1, ok ? 0 : 1]));
        if (!ok) return void client.end();
        stage = "request";
      }
      if (stage === "request" && buf.length >= 5) {
        const type = buf[3]!;
        const addrLen = type === 1 ? 4 : type === 4 ? 16 : 1 + buf[4]!;
        if (buf.length < 4 + addrLen + 2) return;
        const host = type === 1 ? [...buf.subarray(4, 8)].join(".") : type === 3 ? buf.subarray(5, 5 + buf[4]!).toString() : "ipv6";
        const port = buf.readUInt16BE(4 + addrLen);
        const rest = buf.subarray(4 + addrLen + 2);
        log.targets.push(`${host}:${port}`);
        stage = "relay";
        client.off("data", onData);
        const upstream = connect({ host: host === "localhost" ? "127.0.0.1" : host, port }, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          if (rest.length) upstream.write(rest);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on("error", () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
        client.on("close", () => upstream.destroy());
      }
    };
    client.on("data", onData);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port, log };
}

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), "kapi-socks-"));
const servers: Server[] = [];

beforeAll(async () => {
  server = await startTestServer({ runtime: "none" });
});
afterAll(async () => {
  for (const s of servers) s.close();
  await server?.stop();
});

/** The server's kubeconfig with the cluster's proxy-url set. */
function kubeconfigVia(proxyUrl: string, name: string): string {
  const config = parse(readFileSync(server.kubeconfigPath, "utf8"));
  for (const c of config.clusters) c.cluster["proxy-url"] = proxyUrl;
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(path, stringify(config));
  return path;
}

const env = { HOME: dir, KUBECONFIG: "" };
const serverPort = () => new URL(server.url).port;

describe("proxy-url socks5", () => {
  test("kapi and kubectl reach the server through the SOCKS5 proxy", async () => {
    const socks = await startSocks();
    servers.push(socks.server);
    const kubeconfig = kubeconfigVia(`socks5://127.0.0.1:${socks.port}`, "plain");
    const mine = await run([KAPI, "--kubeconfig", kubeconfig, "get", "namespaces", "-o", "name"], env);
    expect(mine.stderr).toBe("");
    expect(mine.code).toBe(0);
    const viaKapi = socks.log.targets.length;
    expect(viaKapi).toBeGreaterThan(0);
    expect(new Set(socks.log.targets)).toEqual(new Set([`127.0.0.1:${serverPort()}`]));
    const theirs = await run([kubectl.path, "--kubeconfig", kubeconfig, "get", "namespaces", "-o", "name"], env);
    expect(theirs.code).toBe(0);
    expect(mine.stdout).toBe(theirs.stdout);
    expect(mine.stdout).toContain("namespace/kube-system");
    expect(socks.log.targets.length).toBeGreaterThan(viaKapi);
  });

  test("credentials in the URL are sent with RFC 1929, as kubectl sends them", async () => {
    const socks = await startSocks({ user: "lab", password: "s3cret" });
    servers.push(socks.server);
    const kubeconfig = kubeconfigVia(`socks5://lab:s3cret@127.0.0.1:${socks.port}`, "auth");
    const mine = await run([KAPI, "--kubeconfig", kubeconfig, "get", "--raw", "/version"], env);
    expect(mine.code).toBe(0);
    expect(JSON.parse(mine.stdout).gitVersion).toMatch(/^v1\./);
    expect(socks.log.credentials).toContain("lab:s3cret");
    const seen = socks.log.credentials.length;
    const theirs = await run([kubectl.path, "--kubeconfig", kubeconfig, "get", "--raw", "/version"], env);
    expect(theirs.code).toBe(0);
    expect(socks.log.credentials.slice(seen)).toContain("lab:s3cret");
  });

  test("a SOCKS proxy that cannot be reached fails as kubectl does: connection refused, exit 1", async () => {
    const closed = await startSocks();
    closed.server.close();
    const kubeconfig = kubeconfigVia(`socks5://127.0.0.1:${closed.port}`, "down");
    const mine = await run([KAPI, "--kubeconfig", kubeconfig, "get", "namespaces", "--request-timeout=5s"], env);
    const theirs = await run([kubectl.path, "--kubeconfig", kubeconfig, "get", "namespaces", "--request-timeout=5s"], env);
    expect(theirs.code).toBe(1);
    expect(mine.code).toBe(1);
    const lastLine = (text: string) => text.trim().split("\n").at(-1);
    expect(lastLine(theirs.stderr)).toBe(`The connection to the server 127.0.0.1:${serverPort()} was refused - did you specify the right host or port?`);
    expect(lastLine(mine.stderr)).toBe(lastLine(theirs.stderr));
  });
});
