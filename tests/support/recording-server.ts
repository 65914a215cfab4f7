// A `kapi serve` (HTTPS on a free port, in-process) that records every request it receives,
// so a test can compare what real kubectl and kapi put on the wire. Built from the same parts
// as server/index.ts's startServer, with a wrapper around the core's fetch.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openSqliteStore } from "../../store/index.ts";
import { createServerCore, type ServerCore } from "../../server/index.ts";
import { loadOrCreatePki } from "../../server/tls/pki.ts";
import { startTlsListener } from "../../server/tls/listener.ts";
import { writeAdminKubeconfig } from "../../server/tls/kubeconfig.ts";
import { decodeObject, hasMagic } from "../../api/protobuf/index.ts";
import { run, type Kubectl, type RunResult } from "./kubectl.ts";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/namespaces?fieldManager=kubectl-create`. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** The body as text (empty when none); protobuf bodies are decoded to JSON text. */
  body: string;
  /** The decoded body (JSON or protobuf), undefined when empty or not JSON. */
  json?: unknown;
  protobuf: boolean;
}

/** A recording server plus helpers to run kubectl and kapi against it. */
export interface RecordingServer {
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  core: ServerCore;
  requests: RecordedRequest[];
  /** Runs real kubectl with a private HOME (its own discovery cache) and returns what it printed and sent. */
  kubectl(k: Kubectl, args: string[], stdin?: string, env?: Record<string, string>): Promise<Recorded>;
  /** Runs `kapi` (from source) the same way. */
  kapi(args: string[], stdin?: string, env?: Record<string, string>): Promise<Recorded>;
  /** Starts kubectl or kapi without waiting; `done` resolves like kubectl()/kapi(). */
  start(who: Kubectl | "kapi", args: string[]): { done: Promise<Recorded> };
  /** A request to the server as the cluster admin, bypassing the listener (not recorded). */
  api(method: string, path: string, body?: unknown, contentType?: string): Promise<Response>;
  stop(): Promise<void>;
}

/** A command's output plus the requests it sent. */
export interface Recorded extends RunResult {
  requests: RecordedRequest[];
}

const MAIN = resolve(import.meta.dir, "../../cmd/main.ts");
const BUN = process.execPath;

/** Starts a recording server in a fresh data dir; API only unless a node runtime is asked for. */
export async function startRecordingServer(options: { runtime?: "process" | "simulated" } = {}): Promise<RecordingServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "kapi-rec-"));
  const store = await openSqliteStore(join(dataDir, "kapi.db"));
  const pki = loadOrCreatePki(dataDir, { sans: [] });
  const requests: RecordedRequest[] = [];
  let core: ServerCore | undefined;
  const listener = await startTlsListener({
    address: "127.0.0.1",
    port: 0,
    pki,
    fetch: async (request, conn) => {
      if (!core) return new Response("starting", { status: 503 });
      const bytes = new Uint8Array(await request.arrayBuffer());
      requests.push(record(request, bytes));
      const replay = new Request(request.url, { method: request.method, headers: request.headers, body: bytes.byteLength ? bytes : undefined });
      return core.app.fetch(replay, conn);
    },
  });
  core = await createServerCore(store, {
    dataDir,
    caPem: pki.ca.certPem,
    serverAddress: `127.0.0.1:${listener.port}`,
    endpoint: { ip: "127.0.0.1", port: listener.port },
    runtime: options.runtime,
  });
  const kubeconfigPath = join(dataDir, "admin.kubeconfig");
  writeAdminKubeconfig(kubeconfigPath, { serverUrl: listener.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });

  const runRecorded = async (argv: string[], home: string, stdin?: string, env: Record<string, string> = {}): Promise<Recorded> => {
    const from = requests.length;
    const result = await run(argv, { HOME: home, KUBECONFIG: kubeconfigPath, ...env }, stdin);
    // Only what the client sent: the server's own components call it too.
    const sent = requests.slice(from).filter((r) => /^(kubectl|kapi)/.test(r.headers.get("user-agent") ?? ""));
    return { ...result, requests: sent };
  };
  return {
    url: listener.url,
    kubeconfigPath,
    dataDir,
    core,
    requests,
    kubectl: (k, args, stdin, env) => runRecorded([k.path, ...args], join(dataDir, `home-kubectl-${k.version}`), stdin, env),
    kapi: (args, stdin, env) => runRecorded([BUN, MAIN, ...args], join(dataDir, "home-kapi"), stdin, env),
    start(who, args) {
      const done = who === "kapi" ? runRecorded([BUN, MAIN, ...args], join(dataDir, "home-kapi")) : runRecorded([who.path, ...args], join(dataDir, `home-kubectl-${who.version}`));
      return { done };
    },
    api(method, path, body, contentType = "application/json") {
      const init: RequestInit = { method, headers: { "content-type": contentType } };
      if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
      const admin = { commonName: "kubernetes-admin", organizations: ["system:masters"] };
      return Promise.resolve(core!.app.fetch(new Request(`${listener.url}${path}`, init), { remoteAddress: "127.0.0.1", peerCertificate: admin }));
    },
    async stop() {
      await core?.close();
      await listener.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function record(request: Request, bytes: Uint8Array): RecordedRequest {
  const url = new URL(request.url);
  const protobuf = hasMagic(bytes);
  let body = "";
  let json: unknown;
  if (protobuf) {
    try {
      json = decodeObject(bytes);
      body = JSON.stringify(json);
    } catch (err) {
      body = `<undecodable protobuf: ${(err as Error).message}>`;
    }
  } else if (bytes.byteLength) {
    body = new TextDecoder().decode(bytes);
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return { method: request.method, url: url.pathname + url.search, path: url.pathname, query: url.searchParams, headers: request.headers, body, json, protobuf };
}

/** Requests other than discovery and OpenAPI (what a command does, not how it learns the API). */
export function apiRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => !isDiscovery(r.path));
}

/** True for /api, /apis, /apis/<group>, group-version documents, /openapi/* and /version. */
export function isDiscovery(path: string): boolean {
  return /^\/(api|apis)\/?$/.test(path) || /^\/api\/v1\/?$/.test(path) || /^\/apis\/[^/]+(\/[^/]+)?\/?$/.test(path) || path.startsWith("/openapi/") || path === "/version";
}

/** `METHOD /path?query` lines, for compact comparisons. */
export function requestLines(requests: RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.url}`);
}
