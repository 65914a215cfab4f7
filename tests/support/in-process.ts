// An API server core on an in-memory store, driven through app.fetch with no socket.
import { openSqliteStore } from "../../store/index.ts";
import { createServerCore, type CoreOptions, type ServerCore } from "../../server/index.ts";
import type { WatchSettings } from "../../server/handlers/watch.ts";

/** The identity of a request: the admin (system:masters) by default, or anonymous. */
export type Caller = "admin" | "anonymous" | { user: string; groups: string[] };

/** Options for one request. */
export interface RequestOptions {
  body?: unknown;
  /** Raw body text (sent as is; `body` is JSON-encoded instead). */
  text?: string;
  headers?: Record<string, string>;
  as?: Caller;
}

/** A server core plus request helpers. */
export interface InProcessServer {
  core: ServerCore;
  request(method: string, path: string, opts?: RequestOptions): Promise<Response>;
  /** Sends a request and parses the JSON answer. */
  json(method: string, path: string, opts?: RequestOptions): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * Starts a core on `:memory:` (or on the SQLite file `storePath`, to test restarts); `options`
 * adds core options (data dir, CA, token file, anonymous auth).
 */
export async function startInProcessServer(watch?: Partial<WatchSettings>, options: Partial<CoreOptions> = {}, storePath = ":memory:"): Promise<InProcessServer> {
  const store = await openSqliteStore(storePath);
  const core = await createServerCore(store, { serverAddress: "127.0.0.1:6443", endpoint: { ip: "127.0.0.1", port: 6443 }, watch, ...options });
  const request = (method: string, path: string, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let body: string | undefined = opts.text;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const caller = opts.as ?? "admin";
    const peerCertificate =
      caller === "anonymous"
        ? undefined
        : caller === "admin"
          ? { commonName: "kubernetes-admin", organizations: ["system:masters"] }
          : { commonName: caller.user, organizations: caller.groups };
    return core.app.fetch(new Request(`https://127.0.0.1:6443${path}`, { method, headers, body }), { remoteAddress: "127.0.0.1", peerCertificate });
  };
  return {
    core,
    request,
    async json(method, path, opts) {
      const res = await request(method, path, opts);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close() {
      await core.close();
      await store.close();
    },
  };
}
