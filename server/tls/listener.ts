import type { AddressInfo } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { writeDirect, type NodeResponse } from "./direct-write.ts";
import { H2Connection } from "./h2-connection.ts";
import type { H2RequestHead } from "./h2-request.ts";
import type { H2Stream } from "./h2-stream.ts";
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
 * the body stream. Both protocols are served by our own connection handlers: about half the
 * server CPU per request of node:http2 (bench/listener-bench.ts), and on h2 a stream whose
 * client stops reading holds up none of the others.
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
  const sockets = new Set<TLSSocket>();
  const h2 = new Set<H2Connection>();
  const http1 = new Set<Http1Connection>();
  const inFlight = new Set<NodeResponse>();
  let closing = false;
  let fallbackHost = "localhost";
  let checkDrained = () => {};

  async function serve(head: RequestHead | H2RequestHead, body: RequestBody, response: Http1Response | H2Stream, conn: ConnectionInfo): Promise<void> {
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
    const limits = { wholeBodyLimit: PREREAD_LIMIT, idleTimeoutMs: options.idleTimeoutMs ?? 90_000 };
    if (socket.alpnProtocol === "h2") {
      const conn = connectionInfo(socket, "h2");
      const connection = new H2Connection(socket, { request: (head, body, stream) => serve(head, body, stream, conn), error: onError }, limits);
      h2.add(connection);
      socket.on("close", () => h2.delete(connection));
      return;
    }
    const conn = connectionInfo(socket, "http/1.1");
    const onUpgrade = options.onUpgrade;
    const connection = new Http1Connection(
      socket,
      {
        request: (head, body, response) => void serve(head, body, response, conn),
        upgrade: onUpgrade && ((head, upgraded, rest) => onUpgrade(upgradeRequest(head), upgraded, rest, conn)),
      },
      limits,
    );
    http1.add(connection);
    socket.on("close", () => http1.delete(connection));
  });
  server.on("tlsClientError", () => {});

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
        for (const socket of sockets) socket.destroy();
      }, options.closeGraceMs ?? 500);
      checkDrained = () => {
        if (!serverClosed || sockets.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      server.close(() => {
        serverClosed = true;
        checkDrained();
      });
      for (const connection of h2) connection.shutdown();
      for (const connection of http1) connection.shutdown();
    });
    return closed;
  }

  return { port: address.port, url, close };
}
