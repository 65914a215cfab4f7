// Helpers for the `kapi get` compatibility tests: objects created straight through the
// server's app (no client involved), and a comparison of kapi with real kubectl that
// tolerates AGE columns ticking over between the two runs.
import { expect } from "bun:test";
import type { Kubectl } from "./kubectl.ts";
import { apiRequests, type Recorded, type RecordingServer } from "./recording-server.ts";

const ADMIN = { remoteAddress: "127.0.0.1", peerCertificate: { commonName: "kubernetes-admin", organizations: ["system:masters"] } };

/** Sends one request to the server's app as the admin; throws unless it succeeds. */
export async function api(srv: RecordingServer, method: string, path: string, body?: unknown): Promise<any> {
  const init: RequestInit = { method, headers: { "content-type": "application/json", accept: "application/json" } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await srv.core.app.fetch(new Request(`https://127.0.0.1${path}`, init), ADMIN as never);
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** What is compared: output, status, and each non-discovery request with its Accept header. */
export interface Seen {
  code: number;
  stdout: string;
  stderr: string;
  requests: string[];
}

/** Normalises a run: the program name, resourceVersions in watch URLs, and `text` for the rest. */
export function seen(r: Recorded, text: (s: string) => string = (s) => s): Seen {
  const prog = (s: string) => text(s.replace(/'kubectl(\.[\d.]+)? /g, "'kapi ").replace(/"kubectl /g, '"kapi ').replace(/\bkubectl explain\b/g, "kapi explain"));
  return {
    code: r.code,
    stdout: prog(r.stdout),
    stderr: prog(r.stderr),
    requests: apiRequests(r.requests).map((q) => `${q.method} ${q.url.replace(/resourceVersion=[1-9]\d*/, "resourceVersion=RV")} [${q.headers.get("accept")}]`),
  };
}

/**
 * Runs kubectl, kapi, then kubectl again, and expects kapi's stdout, stderr, exit code and
 * requests to equal one of the kubectl runs (ages may tick over between runs); retries twice.
 */
export async function expectSameAsKubectl(srv: RecordingServer, k: Kubectl, args: string[], opts: { stdin?: string; text?: (s: string) => string } = {}): Promise<Seen> {
  let last: { before: Seen; mine: Seen } | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = seen(await srv.kubectl(k, args, opts.stdin), opts.text);
    const mine = seen(await srv.kapi(args, opts.stdin), opts.text);
    if (Bun.deepEquals(mine, before)) return mine;
    const after = seen(await srv.kubectl(k, args, opts.stdin), opts.text);
    if (Bun.deepEquals(mine, after)) return mine;
    last = { before, mine };
  }
  expect(last!.mine).toEqual(last!.before);
  return last!.mine;
}
