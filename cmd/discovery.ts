// One Discovery per invocation for the commands in this folder that resolve resource names
// (create role, delete, api-resources, completion), honouring --cache-dir.

import type { Discovery } from "../client/discovery.ts";
import type { CommandContext } from "./main.ts";

const memo = new WeakMap<CommandContext, Promise<Discovery>>();

/** The invocation's Discovery (memoised per context). */
export function discoveryFor(ctx: CommandContext): Promise<Discovery> {
  let d = memo.get(ctx);
  if (!d) {
    d = (async () => {
      const [{ Discovery }, client, config] = await Promise.all([import("../client/discovery.ts"), ctx.restClient(), ctx.clientConfig()]);
      return new Discovery(client, config, { cacheDir: ctx.flags.string("cache-dir") });
    })();
    memo.set(ctx, d);
  }
  return d;
}
