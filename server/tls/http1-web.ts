// Between an HTTP/1.1 exchange on the socket and the app's Fetch Request and Response.
import { HeadError, type RequestHead } from "./http1-head.ts";
import type { RequestBody } from "./http1-connection.ts";
import { drained, nodeHeaders, type NodeResponse } from "./direct-write.ts";

// A host name, IPv4 address or bracketed IPv6 address, with an optional port.
const hostField = /^(?:[A-Za-z0-9._~%!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::\d*)?$/;

/** The Fetch Request for `head` (HTTP/1.1, or h2 with `host` from `:authority`); `fallbackHost` names the server when the client sent no Host. */
export function webRequest(head: Pick<RequestHead, "method" | "target" | "headers">, body: RequestBody, fallbackHost: string): Request {
  let url: string;
  if (head.target.charCodeAt(0) === 47 /* "/" */) {
    let host = fallbackHost;
    for (const [name, value] of head.headers) {
      if (name !== "host") continue;
      if (!hostField.test(value)) throw new HeadError(400, "malformed Host header");
      host = value;
      break;
    }
    url = `https://${host}${head.target}`;
  } else if (/^https?:\/\//i.test(head.target)) {
    url = head.target;
  } else {
    throw new HeadError(400, "malformed HTTP request target");
  }
  const init: RequestInit & { duplex?: "half" } = { method: head.method, headers: head.headers };
  if (body && head.method !== "GET" && head.method !== "HEAD") {
    init.body = body;
    if (body instanceof ReadableStream) init.duplex = "half";
  }
  try {
    return new Request(url, init);
  } catch (error) {
    throw new HeadError(400, error instanceof Error ? error.message : String(error));
  }
}

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

const stillStreaming = Symbol("still streaming");

/** Resolves to `stillStreaming` once the event loop has turned, unless `read` settles first. */
function settledThisTurn<T>(read: Promise<T>): Promise<T | typeof stillStreaming> {
  return Promise.race([read, new Promise<typeof stillStreaming>((resolve) => setImmediate(() => resolve(stillStreaming)))]);
}

/**
 * Writes a Response that the direct writers do not handle. A body that is complete at once
 * (an in-memory string or bytes) goes out with a Content-Length, as kube-apiserver sends
 * them; one that is still being produced (a followed log, a proxied stream) goes out in
 * chunks as it comes, and the client leaving cancels it.
 */
export async function writeWebResponse(response: Response, out: NodeResponse): Promise<void> {
  const headers = nodeHeaders(response);
  const endWhole = (bytes?: Uint8Array) => {
    headers["content-length"] ??= bytes?.byteLength ?? 0;
    out.writeHead(response.status, headers);
    out.end(bytes);
  };
  if (!response.body) return endWhole();
  const reader = response.body.getReader();
  out.once("close", () => void reader.cancel().catch(() => {}));
  const first = await reader.read();
  if (first.done) return endWhole();
  const secondRead = reader.read();
  const second = await settledThisTurn(secondRead);
  if (second !== stillStreaming && second.done) return endWhole(first.value);
  out.writeHead(response.status, headers);
  let next: ReadResult = first;
  let following: Promise<ReadResult> | undefined = secondRead;
  while (!next.done) {
    if (!out.write(next.value)) await drained(out);
    if (out.destroyed) return;
    next = await (following ?? reader.read());
    following = undefined;
  }
  out.end();
}
