// The HTTP server behind `kapi proxy`: requests that pass the filter are forwarded to the
// API server with the kubeconfig's credentials; response bodies are streamed chunk by chunk
// (watch, `logs -f`), Upgrade requests are spliced through as raw bytes, and files under the
// static prefix are served from --www.

import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { createReadStream, statSync } from "node:fs";
import { join, normalize } from "node:path";
import type { RestClient } from "../transport.ts";
import type { RequestFilter } from "./filter.ts";

export interface ProxyOptions {
  client: RestClient;
  /** Null when --disable-filter is given. */
  filter: RequestFilter | null;
  /** Where API requests are expected, `/` by default; stripped before forwarding. */
  apiPrefix: string;
  /** --www directory, or "" for none. */
  staticDir: string;
  staticPrefix: string;
  /** Keep the server URL's own path in front of forwarded paths (--append-server-path). */
  appendServerPath: boolean;
  /** Reported as kubectl reports it: `Filter rejecting …`, `Error while proxying request: …`. */
  log: (line: string) => void;
}

// Headers that describe one connection, not the request (RFC 9110 §7.6.1); never forwarded.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);

/** The proxy's HTTP server; `closeNow` stops it and cuts open connections (watches, upgraded streams). */
export type ProxyServer = Server & { closeNow(): void };

/** Builds the proxy's HTTP server (not yet listening). */
export function createProxyServer(o: ProxyOptions): ProxyServer {
  const target = new URL(o.client.config.server);
  const basePath = o.appendServerPath ? target.pathname.replace(/\/$/, "") : "";
  const apiPrefix = o.apiPrefix.endsWith("/") ? o.apiPrefix : `${o.apiPrefix}/`;

  const upstreamPath = (rawUrl: string): string | null => {
    const path = rawUrl.split("?")[0]!;
    if (!path.startsWith(apiPrefix) && path !== apiPrefix.slice(0, -1)) return null;
    const rest = rawUrl.slice(apiPrefix.length - 1) || "/";
    return basePath + (rest.startsWith("/") ? rest : `/${rest}`);
  };

  const allowed = (req: IncomingMessage, path: string): boolean => {
    if (!o.filter) return true;
    if (o.filter.accept(req.method ?? "GET", path, req.headers.host ?? "")) return true;
    o.log(`Filter rejecting ${req.method} ${path} ${req.headers.host ?? ""}`);
    return false;
  };

  const forwardHeaders = (req: IncomingMessage, keepUpgrade: boolean): Record<string, string | string[]> => {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === "host" || name === "authorization" || name.startsWith("impersonate-")) continue;
      if (HOP_BY_HOP.has(name) && !(keepUpgrade && (name === "upgrade" || name === "connection"))) continue;
      out[name] = value;
    }
    out.host = target.host;
    for (const [name, value] of o.client.credentialHeaders(target)) {
      const key = name.toLowerCase();
      const prev = out[key];
      out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    }
    return out;
  };

  // SNI carries names only; an IP server is verified against the certificate's IP SANs.
  const serverName = o.client.config.tlsServerName ?? (isIP(hostnameOf(target)) ? undefined : hostnameOf(target));
  const tlsOptions = () => ({
    ca: o.client.config.caData,
    ...o.client.clientCertificate(),
    rejectUnauthorized: !o.client.config.insecureSkipTlsVerify,
    ...(serverName ? { servername: serverName } : {}),
  });

  const server = createServer(async (req, res) => {
    try {
      await o.client.refreshCredentials();
    } catch (err) {
      o.log(`Error while proxying request: ${(err as Error).message}`);
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
      return void res.end(`${(err as Error).message}\n`);
    }
    const rawUrl = req.url ?? "/";
    const path = rawUrl.split("?")[0]!;
    if (o.staticDir && path.startsWith(o.staticPrefix)) {
      if (!allowed(req, path)) return forbidden(res);
      return serveStatic(o.staticDir, path.slice(o.staticPrefix.length), res);
    }
    const forwardPath = upstreamPath(rawUrl);
    if (forwardPath === null) return notFound(res);
    if (!allowed(req, path)) return forbidden(res);

    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const upstream = send(
      {
        protocol: target.protocol,
        hostname: hostnameOf(target),
        port: target.port || (target.protocol === "https:" ? 443 : 80),
        method: req.method,
        path: forwardPath,
        headers: forwardHeaders(req, false),
        ...(target.protocol === "https:" ? tlsOptions() : {}),
      },
      (answer) => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        res.flushHeaders();
        answer.on("data", (chunk: Buffer) => res.write(chunk));
        answer.on("end", () => res.end());
        answer.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (err: NodeJS.ErrnoException) => {
      const message = dialError(err, target);
      o.log(`Error while proxying request: ${message}`);
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
      res.end(`${message}\n`);
    });
    // A client that goes away ends a watch or `logs -f` upstream too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });

  // Upgraded connections leave the HTTP server's bookkeeping; they are tracked for closeNow.
  const tunnels = new Set<Socket>();
  server.on("upgrade", async (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.on("close", () => tunnels.delete(socket));
    await o.client.refreshCredentials().catch(() => socket.destroy());
    if (socket.destroyed) return;
    const rawUrl = req.url ?? "/";
    const path = rawUrl.split("?")[0]!;
    const forwardPath = upstreamPath(rawUrl);
    if (forwardPath === null || !allowed(req, path)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nForbidden\n");
      return;
    }
    const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
    const upstream =
      target.protocol === "https:" ? tlsConnect({ host: hostnameOf(target), port, ...tlsOptions(), ALPNProtocols: ["http/1.1"] }) : netConnect(port, hostnameOf(target));
    upstream.once(target.protocol === "https:" ? "secureConnect" : "connect", () => {
      const lines = [`${req.method} ${forwardPath} HTTP/1.1`];
      for (const [name, value] of Object.entries(forwardHeaders(req, true))) {
        for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
      }
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", (err) => {
      o.log(`Error while proxying request: ${err.message}`);
      socket.destroy();
    });
    socket.on("error", () => upstream.destroy());
    socket.on("close", () => upstream.destroy());
  });
  return Object.assign(server, {
    closeNow() {
      server.close();
      server.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
    },
  });
}

// Connection failures worded as Go's net package words them, as kubectl proxy reports them.
function dialError(err: NodeJS.ErrnoException, target: URL): string {
  const address = `${target.hostname}:${target.port || (target.protocol === "https:" ? 443 : 80)}`;
  if (err.code === "ECONNREFUSED") return `dial tcp ${address}: connect: connection refused`;
  if (err.code === "ENOTFOUND") return `dial tcp: lookup ${target.hostname}: no such host`;
  return err.message;
}

function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

function forbidden(res: ServerResponse): void {
  res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "content-length": "10" });
  res.end("Forbidden\n");
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
  res.end("404 page not found\n");
}

/** Go's http.FileServer, reduced to what --www needs: files, and index.html for directories. */
function serveStatic(root: string, relative: string, res: ServerResponse): void {
  const clean = normalize(`/${decodeURIComponent(relative)}`);
  let file = join(root, clean);
  try {
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    const size = statSync(file).size;
    res.writeHead(200, { "content-type": contentTypeOf(file), "content-length": String(size) });
    createReadStream(file).pipe(res);
  } catch {
    notFound(res);
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf(".");
  return TYPES[dot >= 0 ? file.slice(dot).toLowerCase() : ""] ?? "application/octet-stream";
}
