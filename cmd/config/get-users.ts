// `kapi config get-users`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet } from "./common.ts";

export const spec: CommandSpec = {
  name: "get-users",
  short: "Display users defined in the kubeconfig",
  long: "Display users defined in the kubeconfig.",
  usage: "",
  examples: "  # List the users that kapi knows about\n  kapi config get-users",
};

export async function run(ctx: CommandContext): Promise<number> {
  const { merged } = await configSet(ctx);
  writeStdout(["NAME", ...(merged.users ?? []).map((c) => c.name)].map((l) => `${l}\n`).join(""));
  return 0;
}
