// `kapi proxy`: a local HTTP endpoint that forwards to the API server with the kubeconfig's
// credentials, so curl and browsers can explore the API (client/proxy/).

import type { CommandContext, CommandSpec } from "./main.ts";

export const spec: CommandSpec = {
  name: "proxy",
  short: "Run a proxy to the Kubernetes API server",
  long: [
    "Serve the Kubernetes API on a local address (or Unix socket) without credentials: each request is forwarded with the kubeconfig's credentials.",
    "",
    "Requests are filtered against DNS rebinding and cross-site request forgery (Host must be localhost by default, exec and attach are refused). Only turn the filter off with --disable-filter on a machine nobody else can reach.",
  ].join("\n"),
  usage: "[--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix]",
  examples: [
    "  # The whole API on port 8001, then a request with curl",
    "  kapi proxy",
    "  curl http://localhost:8001/api/v1/namespaces/default/pods",
    "",
    "  # The API under /custom/ and static files from ./www under /static/",
    "  kapi proxy --www=./www --www-prefix=/static/ --api-prefix=/custom/",
    "",
    "  # A random free port, printed on start",
    "  kapi proxy --port=0",
  ].join("\n"),
  flags: [
    { name: "accept-hosts", type: "string", default: "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$", description: "Regular expressions for the Host headers the proxy accepts." },
    { name: "accept-paths", type: "string", default: "^.*", description: "Regular expressions for the paths the proxy accepts." },
    { name: "address", type: "string", default: "127.0.0.1", description: "The IP address to listen on." },
    { name: "api-prefix", type: "string", default: "/", description: "Prefix under which the API is served." },
    { name: "append-server-path", type: "bool", description: "Keep the path of the kubeconfig's server URL in front of every forwarded path." },
    { name: "disable-filter", type: "bool", description: "Accept every request. Dangerous: the proxy becomes open to cross-site request forgery." },
    { name: "keepalive", type: "duration", description: "Keep-alive period for connections to the API server; 0 keeps the default." },
    { name: "port", short: "p", type: "int", default: 8001, description: "The port to listen on; 0 picks a free port." },
    { name: "reject-methods", type: "string", default: "^$", description: "Regular expressions for the HTTP methods the proxy refuses." },
    { name: "reject-paths", type: "string", default: "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach", description: "Regular expressions for the paths the proxy refuses." },
    { name: "unix-socket", short: "u", type: "string", description: "Listen on this Unix socket instead of a TCP port." },
    { name: "www", short: "w", type: "string", description: "Also serve the files of this directory under --www-prefix." },
    { name: "www-prefix", short: "P", type: "string", default: "/static/", description: "Prefix under which the --www files are served." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw ctx.usageError(`unknown command "${ctx.args[0]}" for "kapi proxy"`);
  const f = ctx.flags;
  const [{ compileFilter }, { createProxyServer }, { writeStderr, writeStdout }] = await Promise.all([
    import("../client/proxy/filter.ts"),
    import("../client/proxy/server.ts"),
    import("../client/stdio.ts"),
  ]);
  const disableFilter = f.bool("disable-filter");
  if (disableFilter) writeStderr("W Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious\n");
  const filter = disableFilter
    ? null
    : compileFilter({
        acceptPaths: f.string("accept-paths"),
        rejectPaths: f.string("reject-paths"),
        acceptHosts: f.string("accept-hosts"),
        rejectMethods: f.string("reject-methods"),
      });
  const withSlash = (p: string) => (p.endsWith("/") ? p : `${p}/`);
  const server = createProxyServer({
    client: await ctx.restClient(),
    filter,
    apiPrefix: withSlash(f.string("api-prefix") || "/"),
    staticDir: f.string("www"),
    staticPrefix: withSlash(f.string("www-prefix") || "/static/"),
    appendServerPath: f.bool("append-server-path"),
    log: (line) => {
      if (ctx.verbosity >= 3 || line.startsWith("Error")) writeStderr(`${line}\n`);
    },
  });

  const socketPath = f.string("unix-socket");
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (socketPath) server.listen(socketPath, resolve);
    else server.listen(f.number("port"), f.string("address"), resolve);
  }).catch((err: NodeJS.ErrnoException) => {
    const where = socketPath || `${f.string("address")}:${f.number("port")}`;
    throw new Error(`listen tcp ${where}: ${err.code === "EADDRINUSE" ? "bind: address already in use" : err.message}`);
  });
  const address = server.address();
  const shown = typeof address === "string" ? address : address ? `${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}` : socketPath;
  writeStdout(`Starting to serve on ${shown}\n`);

  await new Promise<void>((resolve) => {
    // As kubectl proxy, a signal ends it at once, open watches and streams included.
    const stop = () => {
      server.closeNow();
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
