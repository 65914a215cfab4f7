// A TLS server for bench/listener-bench.ts with a trivial handler (reads the body, answers a
// 2 KB JSON document), run as its own process so that its CPU time can be read:
//   bun bench/support/listener-server.ts kapi|http2-allowHTTP1 PKI_DIR
// prints the port once listening.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createSecureServer } from "node:http2";
import { getRequestListener } from "@hono/node-server";
import { startTlsListener } from "../../server/tls/listener.ts";

const [variant, pkiDir] = process.argv.slice(2);
process.on("SIGINT", () => process.exit(0)); // exit cleanly (a --cpu-prof run writes its profile)
const pem = (name: string) => readFileSync(join(pkiDir!, name), "utf8");
const ca = pem("ca.crt");
const serving = { certPem: pem("serving.crt"), keyPem: pem("serving.key") };
const reply = JSON.stringify({ kind: "Pod", apiVersion: "v1", metadata: { name: "bench" }, status: { padding: "p".repeat(2000) } });

async function handler(request: Request): Promise<Response> {
  await request.text();
  return new Response(reply, { status: 201, headers: { "content-type": "application/json" } });
}

if (variant === "kapi") {
  const listener = await startTlsListener({ address: "127.0.0.1", port: 0, pki: { ca: { certPem: ca }, serving }, fetch: handler });
  console.log(listener.port);
} else if (variant === "http2-allowHTTP1") {
  // The listener kapi used before its own HTTP/1.1 and h2 handlers: node:http2 with the HTTP/1.1
  // fallback, requests adapted to Fetch by @hono/node-server.
  const server = createSecureServer({ allowHTTP1: true, requestCert: true, rejectUnauthorized: false, ca, cert: serving.certPem, key: serving.keyPem });
  server.on("request", getRequestListener(handler, { overrideGlobalObjects: false }));
  server.listen(0, "127.0.0.1", () => console.log((server.address() as { port: number }).port));
} else {
  throw new Error(`unknown variant ${variant}`);
}
