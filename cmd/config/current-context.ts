// `kapi config current-context`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet } from "./common.ts";

export const spec: CommandSpec = {
  name: "current-context",
  short: "Display the current-context",
  long: "Display the current-context.",
  usage: "",
  examples: "  # Display the current-context\n  kapi config current-context",
};

export async function run(ctx: CommandContext): Promise<number> {
  const { merged } = await configSet(ctx);
  if (!merged.currentContext) throw new Error("current-context is not set");
  writeStdout(`${merged.currentContext}\n`);
  return 0;
}
