// `kapi serve`: flag wiring for the API server; the server itself lives in server/.

import { resolve } from "node:path";
import { settleAfterStartup } from "./startup-policy.ts";
import type { CommandContext, CommandSpec } from "./main.ts";

export const spec: CommandSpec = {
  name: "serve",
  short: "Run a Kubernetes API server backed by an embedded SQLite file",
  restoresJitPolicy: true,
  long: "Run a Kubernetes API server that keeps its state in an SQLite file under --data-dir and serves HTTPS until interrupted.",
  examples: ["  # Serve on https://127.0.0.1:6443 with state in ./.kapi", "  kapi serve", "", "  # Listen on all interfaces, add a name to the certificate", "  kapi serve --address 0.0.0.0 --tls-san kapi.example.com"].join("\n"),
  flags: [
    { name: "data-dir", type: "string", default: process.env.KAPI_DATA_DIR || ".kapi", description: "Directory for the database, certificates and credentials ($KAPI_DATA_DIR when set)." },
    { name: "address", type: "string", default: "127.0.0.1", description: "IP address to listen on." },
    { name: "port", type: "int", default: 6443, description: "Port to serve HTTPS on." },
    { name: "tls-san", type: "stringArray", description: "Extra DNS name or IP for the serving certificate; repeat for several." },
    { name: "runtime", type: "string", default: "process", description: "How the built-in node runs pods." },
    { name: "anonymous-auth", type: "bool", default: true, description: "If true, requests without credentials are served as system:anonymous." },
    { name: "token-auth-file", type: "string", description: "CSV file of static bearer tokens: token,user,uid,\"group1,group2\"." },
    { name: "node-name", type: "string", description: "Name of the built-in node; the host name when empty." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw ctx.usageError(`unexpected arguments: [${ctx.args.join(" ")}]`);
  const f = ctx.flags;
  const options = {
    dataDir: resolve(f.string("data-dir")),
    address: f.string("address"),
    port: f.number("port"),
    tlsSans: f.list("tls-san"),
    runtime: f.string("runtime"),
    anonymousAuth: f.bool("anonymous-auth"),
    tokenAuthFile: f.string("token-auth-file") || undefined,
    nodeName: f.string("node-name") || undefined,
  };
  const { startServer } = await import("../server/index.ts");
  const server = await startServer(options);
  settleAfterStartup();
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await server.close();
  return 0;
}
