// Shared fixtures for the API-machinery tests: object builders, raw requests and a
// small NDJSON watch reader with a safety bound (never a timing assertion).
import type { InProcessServer } from "../support/in-process.ts";

/** A ConfigMap body. */
export function configMap(name: string, extra: { labels?: Record<string, string>; data?: Record<string, string>; finalizers?: string[] } = {}) {
  const metadata: Record<string, unknown> = { name };
  if (extra.labels) metadata.labels = extra.labels;
  if (extra.finalizers) metadata.finalizers = extra.finalizers;
  return { apiVersion: "v1", kind: "ConfigMap", metadata, data: extra.data ?? { k: "v" } };
}

/** A Pod body with one container. */
export function pod(name: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: { containers: [{ name: "c", image: "nginx:1.27" }] },
  };
}

/** A Deployment body selecting app=<name>. */
export function deployment(name: string, replicas = 1) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
    },
  };
}

/** Names of the items a list returns (sorted). */
export async function listNames(s: InProcessServer, path: string): Promise<string[]> {
  const { status, body } = await s.json("GET", path);
  if (status !== 200) throw new Error(`list ${path} answered ${status}: ${JSON.stringify(body)}`);
  return body.items.map((i: any) => i.metadata.name).sort();
}

/** Sends a request whose body carries no Content-Type at all (a byte body, as curl -X PUT -d @f). */
export async function requestWithoutContentType(s: InProcessServer, method: string, path: string, body: unknown) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const req = new Request(`https://127.0.0.1:6443${path}`, { method, body: bytes });
  req.headers.delete("content-type");
  const res = await s.core.app.fetch(req, { remoteAddress: "127.0.0.1", peerCertificate: { commonName: "kubernetes-admin", organizations: ["system:masters"] } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, sentContentType: req.headers.get("content-type") };
}

/** One decoded watch event. */
export interface WatchEvent {
  type: string;
  object: any;
}

/** An open watch stream read line by line. */
export interface WatchStream {
  response: Response;
  /** The next event, or null when the server ended the stream. Fails after `boundMs` without one. */
  next(boundMs?: number): Promise<WatchEvent | null>;
  /** The next `n` events (fails if the stream ends first). */
  take(n: number): Promise<WatchEvent[]>;
  /** Reads until the server closes the stream, returning everything seen. */
  drain(boundMs?: number): Promise<WatchEvent[]>;
  close(): Promise<void>;
}

/** Opens a watch request and wraps its body. */
export async function openWatch(s: InProcessServer, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const response = await s.request("GET", path, { headers });
  if (response.status !== 200 || !response.body) {
    throw new Error(`watch ${path} answered ${response.status}: ${await response.text()}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const pending: WatchEvent[] = [];

  async function fill(boundMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no watch event within ${boundMs} ms on ${path}`)), boundMs);
    });
    try {
      while (!pending.length && !ended) {
        const { done, value } = await Promise.race([reader.read(), bound]);
        if (done) {
          ended = true;
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) pending.push(JSON.parse(line));
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  const stream: WatchStream = {
    response,
    async next(boundMs = 3000) {
      await fill(boundMs);
      return pending.shift() ?? null;
    },
    async take(n) {
      const out: WatchEvent[] = [];
      while (out.length < n) {
        const ev = await stream.next();
        if (!ev) throw new Error(`watch ended after ${out.length} of ${n} events: ${JSON.stringify(out)}`);
        out.push(ev);
      }
      return out;
    },
    async drain(boundMs = 4000) {
      const out: WatchEvent[] = [];
      for (;;) {
        const ev = await stream.next(boundMs);
        if (!ev) return out;
        out.push(ev);
      }
    },
    async close() {
      await reader.cancel().catch(() => {});
    },
  };
  return stream;
}

/** Polls `check` until it returns a truthy value, at most `attempts` times `intervalMs` apart. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, attempts = 100, intervalMs = 50): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value) return value;
    await Bun.sleep(intervalMs);
  }
  throw new Error(`condition not reached after ${attempts} attempts`);
}
