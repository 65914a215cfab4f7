// A node:http(s) request returning a web Response. Used only when a header must go out as
// several lines (Impersonate-Group, Impersonate-Extra-*): Bun's fetch joins repeated headers
// into one comma-separated line, which kube-apiserver would read as a single group "a, b".

import type { IncomingMessage } from "node:http";
import type { PeerNames } from "./tls-identity.ts";

/** TLS settings in node:tls terms. */
export interface NodeTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized: boolean;
  checkServerIdentity?: (host: string, cert: PeerNames) => Error | undefined;
}

/** Sends one request; header pairs with the same name become separate header lines. */
export async function nodeRequest(
  url: URL,
  method: string,
  headerPairs: [string, string][],
  body: string | Uint8Array | undefined,
  tls: NodeTlsOptions,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of headerPairs) {
    const prev = headers[k];
    headers[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  if (body !== undefined) headers["Content-Length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  // Imported here: node:http(s) and node:stream cost start-up time every other command would pay.
  const [{ request: httpRequest }, { request: httpsRequest }, { Readable }] = await Promise.all([
    import("node:http"),
    import("node:https"),
    import("node:stream"),
  ]);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, signal, ...(url.protocol === "https:" ? tls : {}) } as never, (res: IncomingMessage) => {
      const out = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      const nullBody = method === "HEAD" || res.statusCode === 204 || res.statusCode === 304;
      const stream = nullBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
      resolve(new Response(stream, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: out }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
