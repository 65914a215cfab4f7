import { createServer as createH2Server, Http2ServerRequest, Http2ServerResponse, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { getRequestListener } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { HOP_BY_HOP, writeDirect, type NodeResponse as DirectResponse } from "./direct-write.ts";
import { Http1Connection, type RequestBody } from "./http1-connection.ts";
import { HeadError, type RequestHead } from "./http1-head.ts";
import type { Http1Response } from "./http1-response.ts";
import { webRequest, writeWebResponse } from "./http1-web.ts";
import { parseCertificate } from "./cert-info.ts";
import type { CertKeyPair } from "./x509.ts";

/** A verified client certificate: CN is the user name, every O a group. */
export interface PeerCertificate {
  commonName: string;
  organizations: string[];
  fingerprint256: string;
}

/** What the handler learns about the connection a request arrived on. */
export interface ConnectionInfo {
  remoteAddress: string;
  /** Present only when the client presented a certificate that chains to the client CA. */
  peerCertificate?: PeerCertificate;
  /** The TLS layer's verdict on a certificate the client presented that did not verify. */
  peerCertificateError?: string;
  protocol: "http/1.1" | "h2";
}

/** The application's request handler. */
export type ConnectionFetch = (request: Request, conn: ConnectionInfo) => Promise<Response> | Response;

/** Options for {@link startTlsListener}. */
export interface TlsListenerOptions {
  /** Interface to bind; defaults to all interfaces. */
  address?: string;
  /** 0 picks a free port. */
  port: number;
  /** `ca` verifies client certificates (unless `clientCaPem` is given); `serving` is presented to clients. */
  pki: { ca: { certPem: string }; serving: CertKeyPair };
  /** Client CA bundle to trust instead of `pki.ca` (e.g. a separate front-proxy CA). */
  clientCaPem?: string;
  fetch: ConnectionFetch;
  /**
   * Takes over HTTP/1.1 `Upgrade` requests (SPDY/WebSocket for exec, attach, port-forward).
   * Without it they reach `fetch` as ordinary requests.
   */
  onUpgrade?: (request: UpgradeRequest, socket: TLSSocket, head: Buffer, conn: ConnectionInfo) => void;
  /** How long an HTTP/1.1 connection without a request in flight may stay silent (ms, default 90 000, as kube-apiserver). */
  idleTimeoutMs?: number;
  /** How long close() lets in-flight responses finish before cutting them off (ms, default 500). */
  closeGraceMs?: number;
  /** Called for handler exceptions and connection errors; defaults to console.error. */
  onError?: (error: unknown) => void;
}

/** An HTTP/1.1 request asking to switch protocols. */
export interface UpgradeRequest {
  method: string;
  url: string;
  httpVersion: string;
  /** Field names lowercased; repeated fields joined with ", ". */
  headers: Record<string, string>;
}

/** A running listener. */
export interface TlsListener {
  port: number;
  /** `https://host:port` using the bound address (bracketed for IPv6, 127.0.0.1 for a wildcard bind). */
  url: string;
  /** Stops accepting, ends open responses (cancelling their bodies) and resolves once closed. */
  close(): Promise<void>;
}

interface PeerVerdict {
  certificate?: PeerCertificate;
  error?: string;
}

const peerCache = new WeakMap<TLSSocket, PeerVerdict>();

// Clients reconnect with the same certificate (every kubectl run, every watch connection of a
// controller): its parsed identity is kept, keyed by the DER, rather than parsed per connection.
const knownCertificates = new Map<string, PeerCertificate>();
const knownCertificatesMax = 256;

function certificateIdentity(raw: Buffer): PeerCertificate {
  const key = raw.toString("latin1");
  let identity = knownCertificates.get(key);
  if (!identity) {
    const info = parseCertificate(raw);
    identity = { commonName: info.commonName, organizations: info.organizations, fingerprint256: info.fingerprint256 };
    if (knownCertificates.size >= knownCertificatesMax) knownCertificates.clear();
    knownCertificates.set(key, identity);
  }
  return identity;
}

function peerVerdictOf(socket: TLSSocket): PeerVerdict {
  const cached = peerCache.get(socket);
  if (cached) return cached;
  // rejectUnauthorized is off so that anonymous and token clients get in; a certificate only
  // counts when the TLS layer verified it against the client CA, and one that did not verify
  // is reported so that authentication can refuse it.
  let verdict: PeerVerdict = {};
  const raw = socket.getPeerCertificate?.()?.raw;
  if (raw && raw.length > 0) {
    if (socket.authorized === true) {
      verdict = { certificate: certificateIdentity(raw) };
    } else {
      verdict = { error: String(socket.authorizationError ?? "certificate not verified") };
    }
  }
  peerCache.set(socket, verdict);
  return verdict;
}

function peerFields(v: PeerVerdict): Pick<ConnectionInfo, "peerCertificate" | "peerCertificateError"> {
  if (v.certificate) return { peerCertificate: v.certificate };
  return v.error ? { peerCertificateError: v.error } : {};
}

function connectionInfo(socket: TLSSocket, protocol: ConnectionInfo["protocol"]): ConnectionInfo {
  return { remoteAddress: socket.remoteAddress ?? "", ...peerFields(peerVerdictOf(socket)), protocol };
}

// Bodies up to this size with a declared length are read before the request is built, so the
// app gets them whole instead of through a stream adapter, which costs more per request than
// the rest of a small create. Larger or unsized bodies stream.
const PREREAD_LIMIT = 3 * 1024 * 1024;

/** Reads an h2 request's body up front into hono's rawBody when it has a declared length within the limit. */
function preread(incoming: Http2ServerRequest & { rawBody?: Buffer }): Promise<void> {
  const length = Number(incoming.headers["content-length"]);
  if (incoming.method === "GET" || incoming.method === "HEAD" || !Number.isInteger(length) || length <= 0 || length > PREREAD_LIMIT) return Promise.resolve();
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

function withoutHopByHop(response: Response): Response {
  if (!HOP_BY_HOP.some((name) => response.headers.has(name))) return response;
  const headers = new Headers(response.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function formatUrl(address: AddressInfo): string {
  const wildcard = address.address === "::" || address.address === "0.0.0.0";
  const host = wildcard ? "127.0.0.1" : address.address;
  return `https://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

/** The request's fields as one record, repeated fields joined as node joins them. */
function upgradeRequest(head: RequestHead): UpgradeRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of head.headers) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  return { method: head.method, url: head.target, httpVersion: head.httpVersion, headers };
}

/**
 * Serves `fetch` over HTTPS with HTTP/1.1 and h2 (ALPN), asking for (but not requiring) a
 * client certificate. Response bodies are streamed as produced; a client disconnect cancels
 * the body stream. HTTP/1.1 is served by our own connection handler (about half the server
 * CPU per request of node:http2's HTTP/1.1 fallback: bench/listener-bench.ts); h2 by node:http2.
 */
export async function startTlsListener(options: TlsListenerOptions): Promise<TlsListener> {
  const onError = options.onError ?? ((error: unknown) => console.error("tls listener:", error));
  const server = createTlsServer({
    ALPNProtocols: ["h2", "http/1.1"],
    requestCert: true,
    rejectUnauthorized: false,
    ca: options.clientCaPem ?? options.pki.ca.certPem,
    cert: options.pki.serving.certPem,
    key: options.pki.serving.keyPem,
  });
  const h2 = createH2Server();

  const sockets = new Set<TLSSocket>();
  const sessions = new Set<Http2Session>();
  const http1 = new Set<Http1Connection>();
  const inFlight = new Set<DirectResponse>();
  let closing = false;
  let fallbackHost = "localhost";
  let checkDrained = () => {};

  const h2Listener = getRequestListener(
    async (request, env) => {
      const incoming = env.incoming as Http2ServerRequest;
      const response = await options.fetch(request, connectionInfo(incoming.stream.session!.socket as TLSSocket, "h2"));
      if (writeDirect(request, response, env.outgoing as DirectResponse)) return RESPONSE_ALREADY_SENT;
      return withoutHopByHop(response);
    },
    {
      overrideGlobalObjects: false,
      errorHandler: (error) => {
        onError(error);
        return new Response("Internal Server Error", { status: 500 });
      },
    },
  );

  async function serveHttp1(head: RequestHead, body: RequestBody, response: Http1Response, conn: ConnectionInfo): Promise<void> {
    inFlight.add(response);
    response.once("close", () => inFlight.delete(response));
    let request: Request;
    try {
      request = webRequest(head, body, fallbackHost);
    } catch (error) {
      response.endText(400, `400 Bad Request: ${error instanceof HeadError ? error.message : String(error)}`, true);
      return;
    }
    try {
      const result = await options.fetch(request, conn);
      if (!writeDirect(request, result, response)) await writeWebResponse(result, response);
    } catch (error) {
      onError(error);
      if (response.headersSent) {
        // Part of the body is out: cut the connection so that the client cannot take it for a whole one.
        response.destroy();
        return;
      }
      response.endText(500, "Internal Server Error");
    }
  }

  server.on("secureConnection", (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      checkDrained();
    });
    socket.on("error", () => {}); // resets by clients are routine; the request side reports what matters
    if (closing) {
      socket.destroy();
      return;
    }
    if (socket.alpnProtocol === "h2") {
      h2.emit("connection", socket);
      return;
    }
    const conn = connectionInfo(socket, "http/1.1");
    const onUpgrade = options.onUpgrade;
    const connection = new Http1Connection(
      socket,
      {
        request: (head, body, response) => void serveHttp1(head, body, response, conn),
        upgrade: onUpgrade && ((head, upgraded, rest) => onUpgrade(upgradeRequest(head), upgraded, rest, conn)),
      },
      { wholeBodyLimit: PREREAD_LIMIT, idleTimeoutMs: options.idleTimeoutMs ?? 90_000 },
    );
    http1.add(connection);
    socket.on("close", () => http1.delete(connection));
  });
  server.on("tlsClientError", () => {});
  h2.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.on("close", () => {
      sessions.delete(session);
      checkDrained();
    });
    session.on("error", () => {});
  });
  h2.on("request", (incoming: Http2ServerRequest, outgoing: Http2ServerResponse) => {
    const response = outgoing as unknown as DirectResponse;
    inFlight.add(response);
    outgoing.on("close", () => inFlight.delete(response));
    preread(incoming).then(
      () => h2Listener(incoming, outgoing).catch(onError),
      () => outgoing.destroy(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", onError);
  const address = server.address() as AddressInfo;
  const url = formatUrl(address);
  fallbackHost = url.slice("https://".length);

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      let serverClosed = false;
      const timer = setTimeout(() => {
        for (const outgoing of inFlight) outgoing.destroy();
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }, options.closeGraceMs ?? 500);
      checkDrained = () => {
        if (!serverClosed || sockets.size > 0 || sessions.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      server.close(() => {
        serverClosed = true;
        checkDrained();
      });
      for (const session of sessions) session.close();
      for (const connection of http1) connection.shutdown();
    });
    return closed;
  }

  return { port: address.port, url, close };
}
