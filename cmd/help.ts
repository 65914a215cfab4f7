// Help text in kubectl's layout: the grouped command overview, per-command help, and
// `kapi options` for the global flags.

import { writeStderr, writeStdout } from "../client/stdio.ts";
import { flagDisplay, formatDefault, type FlagDef } from "./flags.ts";
import { GLOBAL_FLAGS } from "./global-flags.ts";
import type { CommandEntry, CommandModule, CommandSpec } from "./main.ts";

/** Overview sections, in kubectl's order; a command's `group` must be one of these. */
export const GROUPS = [
  "Basic Commands (Beginner)",
  "Basic Commands (Intermediate)",
  "Deploy Commands",
  "Cluster Management Commands",
  "Troubleshooting and Debugging Commands",
  "Advanced Commands",
  "Settings Commands",
  "Server Commands",
  "Other Commands",
] as const;

const FOOTER_OPTIONS = `Use "kapi options" for a list of global command-line options (applies to all commands).`;

/** `kapi`, `kapi --help`: what kapi is and the commands it has, grouped. */
export function renderOverview(commands: CommandEntry[], withIntro = true): string {
  const visible = commands.filter((c) => !c.hidden);
  const width = Math.max(11, ...visible.map((c) => c.name.length)) + 2;
  const sections = GROUPS.map((group) => {
    const rows = visible.filter((c) => (c.group ?? "Other Commands") === group);
    if (rows.length === 0) return "";
    return `${group}:\n${rows.map((c) => `  ${c.name.padEnd(width)} ${c.short}`.trimEnd()).join("\n")}\n\n`;
  }).join("");
  const intro = withIntro ? "kapi is a Kubernetes API server and a kubectl-style client in one binary.\n\n" : "";
  return (
    `${intro}${sections}Usage:\n  kapi [flags] [options]\n\n` +
    `Use "kapi <command> --help" for more information about a given command.\n${FOOTER_OPTIONS}\n`
  );
}

/** Like kubectl, a command that needs a subcommand and got none prints its help to stderr and fails. */
export function missingSubcommand(path: string[], spec: CommandSpec, aliases: string[] = []): number {
  writeStderr(renderCommandHelp(path, spec, aliases));
  return 1;
}

/** `kapi CMD --help`. */
export function renderCommandHelp(path: string[], spec: CommandSpec, aliases: string[] = []): string {
  const parts: string[] = [`${(spec.long ?? spec.short).trimEnd()}\n`];
  if (aliases.length > 0) parts.push(`Aliases:\n${[spec.name, ...aliases].join(", ")}\n`);
  // kubectl indents every example line, the blank ones included.
  if (spec.examples) parts.push(`Examples:\n${spec.examples.trimEnd().replace(/^$/gm, "  ")}\n`);
  const subs = (spec.subcommands ?? []).filter((c) => !c.hidden);
  if (subs.length > 0) {
    const width = Math.max(11, ...subs.map((c) => c.name.length)) + 2;
    parts.push(`Available Commands:\n${subs.map((c) => `  ${c.name.padEnd(width)} ${c.short}`).join("\n")}\n`);
  }
  const flags = (spec.flags ?? []).filter((f) => !f.hidden);
  if (flags.length > 0) parts.push(`Options:\n${renderFlags(flags)}`);
  const p = path.join(" ");
  const more = subs.length > 0 ? `Use "kapi ${p} <command> --help" for more information about a given command.\n` : "";
  parts.push(`Usage:\n  kapi ${p} ${spec.usage ?? "[flags]"} [options]\n\n${more}${FOOTER_OPTIONS}\n`);
  return parts.join("\n");
}

/** Flags as kubectl lists them: sorted, `    -o, --output='':` then the description. */
export function renderFlags(flags: FlagDef[]): string {
  return [...flags]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f) => `    ${flagDisplay(f)}=${formatDefault(f)}:\n\t${f.description}\n`)
    .join("\n");
}

/** `kapi options`: the global flags. */
export const optionsCommand: CommandModule = {
  spec: {
    name: "options",
    short: "Print the list of flags inherited by all commands",
    long: "Print the list of flags inherited by all commands.",
    examples: "  # Print flags inherited by all commands\n  kapi options",
  },
  async run(ctx) {
    if (ctx.args.length > 0) throw ctx.usageError(`unexpected arguments: [${ctx.args.join(" ")}]`);
    writeStdout(`The following options can be passed to any command:\n\n${renderFlags(GLOBAL_FLAGS.filter((f) => !f.hidden))}`);
  },
};
