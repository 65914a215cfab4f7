// Fixtures for client tests: a throw-away CA with server and client certificates (openssl),
// and an HTTP(S) server that records each request's raw header lines.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createSecureServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";

/** PEM files of a test PKI, and their directory. */
export interface TestPki {
  dir: string;
  caFile: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A second CA that signed nothing here: for "unknown authority". */
  otherCaFile: string;
  cleanup(): void;
}

/** Creates a CA, a server certificate for 127.0.0.1/localhost and a client certificate (CN=alice, O=devs). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "kapi-client-pki-"));
  const run = (...args: string[]) => {
    const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe" });
    if (!r.success) throw new Error(`openssl ${args.join(" ")}: ${r.stderr.toString()}`);
  };
  const ca = (name: string) =>
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.crt`);
  const leaf = (name: string, subject: string, ext: string) => {
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject, "-keyout", `${name}.key`, "-out", `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    run("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
  };
  ca("ca");
  ca("other-ca");
  leaf("server", "/CN=kapi-test-server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  leaf("client", "/CN=alice/O=devs", "extendedKeyUsage=clientAuth\n");
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return {
    dir,
    caFile: join(dir, "ca.crt"),
    ca: read("ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCertFile: join(dir, "client.crt"),
    clientKeyFile: join(dir, "client.key"),
    otherCaFile: join(dir, "other-ca.crt"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  /** Header lines exactly as received (name, value), repeats kept. */
  rawHeaders: [string, string][];
  /** The client certificate's CN, when one was presented. */
  clientCN?: string;
  body: string;
}

/** A recording server; `reply` decides each answer (default: 200 `{"ok":true}`). */
export interface RecordingServer {
  url: string;
  seen: SeenRequest[];
  reply: (req: SeenRequest, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** Starts an HTTP server, or HTTPS with `pki` (client certificates requested, not required). */
export async function startRecordingServer(pki?: TestPki): Promise<RecordingServer> {
  const state: RecordingServer = {
    url: "",
    seen: [],
    reply: (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"ok":true}');
    },
    close: async () => {},
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const rawHeaders: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const peer = pki ? (req.socket as TLSSocket).getPeerCertificate?.() : undefined;
      const cn = peer?.subject?.CN;
      const seen: SeenRequest = { method: req.method ?? "", url: req.url ?? "", rawHeaders, clientCN: typeof cn === "string" && cn ? cn : undefined, body };
      state.seen.push(seen);
      state.reply(seen, res);
    });
  };
  const server = pki
    ? // node:https under Bun does not expose client certificates; http2's secure server (HTTP/1.1 allowed) does.
      createSecureServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: false, allowHTTP1: true }, handler as never)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `${pki ? "https" : "http"}://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    });
  return state;
}

/** The values of one header across all its lines, case-insensitively. */
export function headerValues(req: SeenRequest, name: string): string[] {
  return req.rawHeaders.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}
