// `kapi api-versions`: every served group/version, sorted.

import type { CommandContext, CommandSpec } from "./main.ts";
import { writeStdout } from "../client/stdio.ts";
import { discoveryFor } from "./discovery.ts";

export const spec: CommandSpec = {
  name: "api-versions",
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  long: 'Print the supported API versions on the server, in the form of "group/version".',
  examples: "  # Print the supported API versions\n  kapi api-versions",
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw ctx.usageError(`unexpected arguments: [${ctx.args.join(" ")}]`);
  const discovery = await discoveryFor(ctx);
  await discovery.invalidate();
  const versions = (await discovery.groups()).flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v)));
  writeStdout([...new Set(versions)].sort().map((v) => `${v}\n`).join(""));
  return 0;
}
