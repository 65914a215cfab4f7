// kapi's entry point: finds the command, parses flags pflag-style, runs it, maps errors to
// kubectl's output and exit codes.
//
// ── Adding a command ────────────────────────────────────────────────────────────────────────
// 1. Create cmd/<name>.ts exporting
//      export const spec: CommandSpec = { name, short, long?, usage?, examples?, flags?, subcommands? };
//      export async function run(ctx: CommandContext): Promise<number | void> { … }
//    (`import type { CommandContext, CommandSpec } from "./main.ts"`: type-only, no cycle.)
//    Import heavy modules (yaml, printers, server code) inside `run` with `await import()`.
// 2. Add one row to COMMANDS below: { name, group, short, load: () => import("./<name>.ts") }.
//    `short` is repeated here so `kapi --help` lists commands without loading them; a test
//    checks it matches the module's spec.
// 3. In `run`: positional args are ctx.args, flags ctx.flags (the command's own plus the
//    global ones; `ctx.flags.changed(name)` tells set from default). ctx.clientConfig() and
//    ctx.restClient() resolve the kubeconfig and build the transport on first use. Write
//    results to stdout. Throw instead of printing errors: StatusError, ConnectionError,
//    ConfigError print as kubectl prints them, ctx.usageError(msg) prints
//    `error: msg` + `See 'kapi <cmd> -h' for help and examples`, anything else `error: msg`.
//    All of them exit 1. Return a number to choose another exit code.
// 4. Subcommands (`auth can-i`, `create namespace`): list CommandEntry rows in
//    spec.subcommands; the first positional argument naming one selects it. A parent without
//    `run` prints its help.

import { writeStderr, writeStdout } from "../client/stdio.ts";
import type { ClientConfig } from "../client/client-config.ts";
import type { RestClient } from "../client/transport.ts";
import { FlagError, UsageError, firstPositional, parseFlags, type FlagDef, type FlagValues } from "./flags.ts";
import { GLOBAL_FLAGS, HELP_FLAG, configOverrides } from "./global-flags.ts";
import { normalJitPolicy } from "./startup-policy.ts";

/** What a command module declares about itself. */
export interface CommandSpec {
  name: string;
  /** One line for the overview; start with a capital, no final period. */
  short: string;
  /** The help text's first paragraph; `short` when absent. */
  long?: string;
  /** What follows `kapi <path>` in the Usage line; `[flags]` when absent. */
  usage?: string;
  /** Indented example lines (`  # comment` / `  kapi …`). */
  examples?: string;
  /** The command's own flags; global flags are added by main. */
  flags?: FlagDef[];
  subcommands?: CommandEntry[];
  /** The command restores the normal JIT policy itself once it is ready (see startup-policy.ts); others get it before run. */
  restoresJitPolicy?: boolean;
}

/** A loaded command module. */
export interface CommandModule {
  spec: CommandSpec;
  run?(ctx: CommandContext): Promise<number | void>;
}

/** A row of a command table: enough to list and dispatch without loading the module. */
export interface CommandEntry {
  name: string;
  /** Other words that select this entry (`cm` for `configmap`); the path keeps `name`. */
  aliases?: string[];
  short: string;
  /** Overview section (see help.ts GROUPS); "Other Commands" when absent. */
  group?: string;
  hidden?: boolean;
  load(): Promise<CommandModule>;
}

/** What a command's `run` receives. */
export interface CommandContext {
  /** The command path, e.g. ["auth", "can-i"]. */
  path: string[];
  args: string[];
  /** Positional args before `--` (-1 when there was no `--`), as in `kapi exec pod -- cmd`. */
  argsLenAtDash: number;
  flags: FlagValues;
  verbosity: number;
  /** The resolved kubeconfig + flag overrides (memoised). */
  clientConfig(): Promise<ClientConfig>;
  /** A RestClient for clientConfig() with kapi's User-Agent and command headers (memoised). */
  restClient(): Promise<RestClient>;
  /** An error printed as kubectl's usage errors are. */
  usageError(message: string): UsageError;
}

/** Every top-level command. Keep `short` in sync with the module's spec (tested). */
export const COMMANDS: CommandEntry[] = [
  { name: "serve", group: "Server Commands", short: "Run a Kubernetes API server backed by an embedded SQLite file", load: () => import("./serve.ts") },
  { name: "create", group: "Basic Commands (Beginner)", short: "Create a resource from a file or from stdin", load: () => import("./create.ts") },
  { name: "get", group: "Basic Commands (Beginner)", short: "Display one or many resources", load: () => import("./get.ts") },
  { name: "delete", group: "Basic Commands (Intermediate)", short: "Delete resources by file names, stdin, resources and names, or by resources and label selector", load: () => import("./delete.ts") },
  { name: "config", group: "Settings Commands", short: "Modify kubeconfig files", load: () => import("./config.ts") },
  { name: "api-resources", group: "Other Commands", short: "Print the supported API resources on the server", load: () => import("./api-resources.ts") },
  { name: "api-versions", group: "Other Commands", short: 'Print the supported API versions on the server, in the form of "group/version"', load: () => import("./api-versions.ts") },
  { name: "replace", group: "Advanced Commands", short: "Replace a resource by file name or stdin", load: () => import("./replace.ts") },
  { name: "completion", group: "Settings Commands", short: "Output shell completion code for the specified shell (bash or zsh)", load: () => import("./completion.ts") },
  { name: "logs", group: "Troubleshooting and Debugging Commands", short: "Print the logs for a container in a pod", load: () => import("./logs.ts") },
  { name: "proxy", group: "Troubleshooting and Debugging Commands", short: "Run a proxy to the Kubernetes API server", load: () => import("./proxy.ts") },
  { name: "auth", group: "Troubleshooting and Debugging Commands", short: "Inspect authorization", load: () => import("./auth.ts") },
  { name: "version", group: "Other Commands", short: "Print the client and server version information", load: () => import("./version.ts") },
  {
    name: "options",
    hidden: true,
    short: "Print the list of flags inherited by all commands",
    load: async () => (await import("./help.ts")).optionsCommand,
  },
];

const ROOT_FLAGS = [...GLOBAL_FLAGS, HELP_FLAG];

/** Runs one invocation and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // Shell completion (cobra's protocol): raw words, no flag parsing or errors.
  if (argv[0] === "__complete" || argv[0] === "__completeNoDesc") {
    const { complete } = await import("./complete.ts");
    return complete(argv.slice(1), argv[0] === "__complete", { commands: COMMANDS, flagsOf, context });
  }
  const at = firstPositional(argv, ROOT_FLAGS);
  if (at < 0) return root(argv);
  const name = argv[at]!;
  if (name === "help") return help(argv.slice(at + 1));
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) return fail(unknownCommand(name, "kapi", COMMANDS));

  let rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  const path = [name];
  let aliases = entry.aliases ?? [];
  let mod = await entry.load();
  for (;;) {
    const subs = mod.spec.subcommands;
    if (!subs) break;
    const i = firstPositional(rest, flagsOf(mod.spec));
    const sub = i >= 0 ? subs.find((c) => c.name === rest[i] || c.aliases?.includes(rest[i]!)) : undefined;
    if (!sub) break;
    path.push(sub.name);
    aliases = sub.aliases ?? [];
    rest = [...rest.slice(0, i), ...rest.slice(i + 1)];
    mod = await sub.load();
  }

  let parsed;
  try {
    parsed = parseFlags(rest, flagsOf(mod.spec));
  } catch (err) {
    if (err instanceof FlagError) return fail(`error: ${err.message}\nSee 'kapi ${path.join(" ")} --help' for usage.`);
    throw err;
  }
  if (parsed.flags.bool("help") || !mod.run) {
    const { renderCommandHelp } = await import("./help.ts");
    writeStdout(renderCommandHelp(path, mod.spec, aliases));
    return 0;
  }
  const shadowed = new Set((mod.spec.flags ?? []).filter((f) => f.shadowsGlobal).map((f) => f.name));
  const { ctx, warningCount } = context(path, parsed.args, parsed.argsLenAtDash, parsed.flags, shadowed);
  if (!mod.spec.restoresJitPolicy) normalJitPolicy();
  try {
    const code = (await mod.run(ctx)) ?? 0;
    const warnings = warningCount();
    if (code === 0 && warnings > 0 && parsed.flags.bool("warnings-as-errors")) {
      return fail(`error: ${warnings} warning${warnings > 1 ? "s" : ""} received`);
    }
    return code;
  } catch (err) {
    return fail(await describe(err, ctx.verbosity));
  }
}

/** A command's flags plus the global ones, minus globals it shadows (`create rolebinding --user`). */
export function flagsOf(spec: CommandSpec): FlagDef[] {
  const own = spec.flags ?? [];
  const shadowed = new Set(own.filter((f) => f.shadowsGlobal).map((f) => f.name));
  return [...own, ...ROOT_FLAGS.filter((f) => !shadowed.has(f.name))];
}

async function root(argv: string[]): Promise<number> {
  try {
    parseFlags(argv, ROOT_FLAGS);
  } catch (err) {
    if (err instanceof FlagError) return fail(`error: ${err.message}\nSee 'kapi --help' for usage.`);
    throw err;
  }
  const { renderOverview } = await import("./help.ts");
  writeStdout(renderOverview(COMMANDS));
  return 0;
}

async function help(args: string[]): Promise<number> {
  const { renderOverview, renderCommandHelp } = await import("./help.ts");
  if (args.length === 0) {
    writeStdout(renderOverview(COMMANDS));
    return 0;
  }
  let entries = COMMANDS;
  let spec: CommandSpec | undefined;
  const path: string[] = [];
  for (const word of args) {
    const entry = entries.find((c) => c.name === word);
    if (!entry) break;
    spec = (await entry.load()).spec;
    path.push(word);
    entries = spec.subcommands ?? [];
  }
  if (!spec) {
    writeStdout(`Unknown help topic [\`${args.join(" ")}\`]\n\n${renderOverview(COMMANDS, false)}`);
    return 0;
  }
  writeStdout(renderCommandHelp(path, spec));
  return 0;
}

/** The context a command's `run` receives (exported for the completion command). */
export function context(
  path: string[],
  args: string[],
  argsLenAtDash: number,
  flags: FlagValues,
  shadowed: Set<string>,
): { ctx: CommandContext; warningCount(): number } {
  const verbosity = flags.number("v");
  let config: Promise<ClientConfig> | undefined;
  let client: Promise<RestClient> | undefined;
  let created: RestClient | undefined;
  const clientConfig = () =>
    (config ??= (async () => {
      const { resolveClientConfig } = await import("../client/client-config.ts");
      const resolved = await resolveClientConfig(configOverrides(flags, shadowed));
      if (verbosity >= 6) {
        const { klogLine } = await import("../client/trace.ts");
        for (const f of resolved.files) writeStderr(`${klogLine("loader.ts:1", `Config loaded from file:  ${f}`)}\n`);
      }
      return resolved;
    })());
  const restClient = () =>
    (client ??= (async () => {
      const [{ RestClient, userAgent }, info, cfg] = await Promise.all([import("../client/transport.ts"), import("../api/build-info.ts"), clientConfig()]);
      const rc = new RestClient(cfg, {
        userAgent: userAgent(info.programName(), info.GIT_VERSION, info.versionInfo().gitCommit),
        command: `kapi ${path.join(" ")}`,
        verbosity,
      });
      if (flags.bool("match-server-version")) {
        const server = await rc.requestJson<{ gitVersion?: string }>({ path: "/version", discovery: true });
        if (server.gitVersion !== info.GIT_VERSION) {
          throw new Error(`server version (${server.gitVersion}) differs from client version (${info.GIT_VERSION})`);
        }
      }
      return (created = rc);
    })());
  const ctx: CommandContext = {
    path,
    args,
    argsLenAtDash,
    flags,
    verbosity,
    clientConfig,
    restClient,
    usageError: (message) => new UsageError(message, `kapi ${path.join(" ")}`),
  };
  return { ctx, warningCount: () => created?.warnings.size ?? 0 };
}

async function describe(err: unknown, verbosity: number): Promise<string> {
  if (err instanceof UsageError) return `error: ${err.message}\nSee '${err.command} -h' for help and examples`;
  const { describeError } = await import("../client/errors.ts");
  const known = ["StatusError", "ConnectionError", "ConfigError"].includes((err as Error)?.name);
  const stack = !known && verbosity > 0 && err instanceof Error && err.stack ? `\n${err.stack}` : "";
  return describeError(err) + stack;
}

/** cobra's wording, with "Did you mean this?" for names within edit distance 2 or sharing a prefix. */
export function unknownCommand(name: string, parent: string, commands: CommandEntry[]): string {
  const similar = commands
    .filter((c) => !c.hidden && (levenshtein(name.toLowerCase(), c.name) <= 2 || c.name.startsWith(name.toLowerCase())))
    .map((c) => `\t${c.name}\n`);
  const hint = similar.length > 0 ? `\n\nDid you mean this?\n${similar.join("")}` : "\n";
  return `error: unknown command "${name}" for "${parent}"${hint}`.replace(/\n$/, "");
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function fail(message: string): number {
  writeStderr(`${message}\n`);
  return 1;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
