// `get --raw`, `create --raw`, `replace --raw` and `delete --raw`: the flag checks kubectl
// makes for each, then one request whose response body goes to stdout unchanged.

import { writeStdout } from "../client/stdio.ts";
import type { CommandContext } from "./main.ts";

/** The HTTP method behind each `--raw` command. */
export type RawVerb = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Runs `kapi get|create|replace|delete --raw PATH` for a command whose flags include `raw`
 * (and, for POST/PUT/DELETE, `filename`, `recursive`). `get` calls it with "GET".
 */
export async function runRaw(ctx: CommandContext, verb: RawVerb): Promise<number> {
  const { rawRequest, rawRequestPath, readRawBody } = await import("../client/raw.ts");
  const raw = ctx.flags.string("raw");
  const file = verb === "GET" ? undefined : bodyFile(ctx, verb);
  if (verb === "GET") checkGet(ctx);
  rawRequestPath(raw);
  const body = file === undefined ? undefined : readRawBody(file);
  const client = await ctx.restClient();
  writeStdout(await rawRequest(client, verb, raw, body));
  return 0;
}

function checkGet(ctx: CommandContext): void {
  const f = ctx.flags;
  if (ctx.args.length > 0) throw new Error("arguments may not be passed when --raw is specified");
  if (f.changed("watch") || f.changed("watch-only") || f.changed("selector")) {
    throw new Error("--raw may not be specified with other flags that filter the server request or alter the output");
  }
  if (f.changed("output") && f.string("output") !== "") throw new Error("--raw and --output are mutually exclusive");
}

// create/replace need exactly one -f; delete takes at most one and ignores -l and -o.
function bodyFile(ctx: CommandContext, verb: RawVerb): string | undefined {
  const f = ctx.flags;
  const files = f.list("filename");
  if (verb !== "DELETE" && files.length === 0) throw new Error("must specify one of -f and -k");
  if (files.length > 1) throw new Error("--raw can only use a single local file or stdin");
  if (files[0] && /^https?:\/\//.test(files[0])) throw new Error("--raw cannot read from a url");
  if (f.changed("recursive") && f.bool("recursive")) throw new Error("--raw and --recursive are mutually exclusive");
  if (verb !== "DELETE" && f.changed("selector") && f.string("selector") !== "") throw new Error("--raw and --selector (-l) are mutually exclusive");
  if (verb !== "DELETE" && f.changed("output") && f.string("output") !== "") throw new Error("--raw and --output are mutually exclusive");
  return files[0];
}
