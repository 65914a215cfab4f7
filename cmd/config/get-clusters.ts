// `kapi config get-clusters`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet } from "./common.ts";

export const spec: CommandSpec = {
  name: "get-clusters",
  short: "Display clusters defined in the kubeconfig",
  long: "Display clusters defined in the kubeconfig.",
  usage: "",
  examples: "  # List the clusters that kapi knows about\n  kapi config get-clusters",
};

export async function run(ctx: CommandContext): Promise<number> {
  const { merged } = await configSet(ctx);
  writeStdout(["NAME", ...(merged.clusters ?? []).map((c) => c.name)].map((l) => `${l}\n`).join(""));
  return 0;
}
