// `kapi auth`: a parent for the authorization checks in cmd/auth/.

import type { CommandEntry, CommandSpec } from "./main.ts";

const SUBCOMMANDS: CommandEntry[] = [
  { name: "can-i", short: "Check whether an action is allowed", load: () => import("./auth/can-i.ts") },
  { name: "whoami", short: "Experimental: Check self subject attributes", load: () => import("./auth/whoami.ts") },
];

export const spec: CommandSpec = {
  name: "auth",
  short: "Inspect authorization",
  long: "Inspect authorization.",
  subcommands: SUBCOMMANDS,
};
