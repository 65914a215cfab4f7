// h2 connections, served by node:http2 with @hono/node-server adapting requests to Fetch.
// Both modules are imported by the first h2 connection rather than at start: together they
// hold ~5 MiB of resident memory once loaded (Bun 1.4.5), which an idle server should not.
import type { Http2ServerRequest, Http2ServerResponse, Http2Session } from "node:http2";
import type { TLSSocket } from "node:tls";
import { HOP_BY_HOP, writeDirect, type NodeResponse } from "./direct-write.ts";
import type { ConnectionFetch, ConnectionInfo } from "./listener.ts";

/** What h2 serving shares with the listener. */
export interface H2Context {
  fetch: ConnectionFetch;
  connectionInfo(socket: TLSSocket): ConnectionInfo;
  onError(error: unknown): void;
  /** Open sessions and responses, for the listener's close(). */
  sessions: Set<Http2Session>;
  inFlight: Set<NodeResponse>;
  sessionClosed(): void;
  /** Bodies with a declared length up to this size are read whole before the request is built. */
  prereadLimit: number;
}

/** Reads an h2 request's body up front into hono's rawBody when it has a declared length within the limit. */
function preread(incoming: Http2ServerRequest & { rawBody?: Buffer }, limit: number): Promise<void> {
  const length = Number(incoming.headers["content-length"]);
  if (incoming.method === "GET" || incoming.method === "HEAD" || !Number.isInteger(length) || length <= 0 || length > limit) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => {
      incoming.rawBody = Buffer.concat(chunks);
      resolve();
    });
    incoming.once("error", reject);
    incoming.once("close", () => {
      if (!incoming.readableEnded) reject(new Error("client went away before sending the body"));
    });
  });
}

/** Connection-level headers are illegal in h2. */
function withoutHopByHop(response: Response): Response {
  if (!HOP_BY_HOP.some((name) => response.headers.has(name))) return response;
  const headers = new Headers(response.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Loads the h2 stack; resolves to the function that takes over a TLS socket that chose h2. */
export async function startH2Serving(ctx: H2Context): Promise<(socket: TLSSocket) => void> {
  const [{ createServer }, { getRequestListener }, { RESPONSE_ALREADY_SENT }] = await Promise.all([
    import("node:http2"),
    import("@hono/node-server"),
    import("@hono/node-server/utils/response"),
  ]);
  const server = createServer();
  const listener = getRequestListener(
    async (request, env) => {
      const incoming = env.incoming as Http2ServerRequest;
      const response = await ctx.fetch(request, ctx.connectionInfo(incoming.stream.session!.socket as TLSSocket));
      if (writeDirect(request, response, env.outgoing as NodeResponse)) return RESPONSE_ALREADY_SENT;
      return withoutHopByHop(response);
    },
    {
      overrideGlobalObjects: false,
      errorHandler: (error) => {
        ctx.onError(error);
        return new Response("Internal Server Error", { status: 500 });
      },
    },
  );
  server.on("session", (session: Http2Session) => {
    ctx.sessions.add(session);
    session.on("close", () => {
      ctx.sessions.delete(session);
      ctx.sessionClosed();
    });
    session.on("error", () => {});
  });
  server.on("request", (incoming: Http2ServerRequest, outgoing: Http2ServerResponse) => {
    const response = outgoing as unknown as NodeResponse;
    ctx.inFlight.add(response);
    outgoing.on("close", () => ctx.inFlight.delete(response));
    preread(incoming, ctx.prereadLimit).then(
      () => listener(incoming, outgoing).catch(ctx.onError),
      () => outgoing.destroy(),
    );
  });
  return (socket) => server.emit("connection", socket);
}
