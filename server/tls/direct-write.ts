// Writes Responses whose bodies the app made with server/http/direct-body.ts straight to the
// Node response: complete bodies in one write (gzipped as kube-apiserver does when large and
// accepted), pushed streams (watch) chunk by chunk without a ReadableStream in between.
import { completeBodyOf, pushBodyOf, type PushBody } from "../http/direct-body.ts";
import { encodeBody, type BodyParts } from "../http/compression.ts";

/** Connection-level headers are illegal in h2 and the HTTP/1.1 layer writes its own. */
export const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

/** What is used of node's ServerResponse and Http2ServerResponse. */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  write(chunk: Uint8Array, callback: () => void): unknown;
  end(chunk?: Uint8Array): unknown;
  /** HTTP/1.1 only; h2 sends the headers on writeHead. */
  flushHeaders?(): void;
  on(event: "close", listener: () => void): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
}

/** Writes `response` to `outgoing` when its body is direct; false leaves it to the generic path. */
export function writeDirect(request: Request, response: Response, outgoing: NodeResponse): boolean {
  const complete = completeBodyOf(response);
  if (complete !== undefined) {
    writeComplete(request, response, complete, outgoing);
    return true;
  }
  const push = pushBodyOf(response);
  if (push) {
    writePushed(response, push, outgoing);
    return true;
  }
  return false;
}

function nodeHeaders(response: Response): Record<string, string | number> {
  const headers: Record<string, string | number> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.includes(name)) headers[name] = value;
  });
  return headers;
}

function writeComplete(request: Request, response: Response, body: BodyParts, outgoing: NodeResponse): void {
  const headers = nodeHeaders(response);
  const encoded = encodeBody(body, headers["content-encoding"] === undefined ? request.headers.get("accept-encoding") : null);
  const bytes = encoded.bytes;
  if (encoded.gzipped) {
    headers["content-encoding"] = "gzip";
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : "Accept-Encoding";
  }
  headers["content-length"] = bytes.byteLength;
  outgoing.writeHead(response.status, headers);
  outgoing.end(bytes);
}

function writePushed(response: Response, body: PushBody, outgoing: NodeResponse): void {
  outgoing.writeHead(response.status, nodeHeaders(response));
  outgoing.flushHeaders?.();
  let unsent = 0;
  const sent = () => void unsent--;
  outgoing.on("close", () => body.cancel());
  body.attach({
    write(chunk) {
      if (outgoing.destroyed || outgoing.writableEnded) return;
      unsent++;
      outgoing.write(chunk, sent);
    },
    backlog: () => unsent,
    end() {
      if (!outgoing.writableEnded) outgoing.end();
    },
  });
}
