// `kapi __complete WORDS… PARTIAL`: the hidden command the shell scripts of `kapi completion`
// call, speaking cobra's protocol (one candidate per line, `value<TAB>description`, then
// `:<directive>`), so kubectl's completion habits carry over: commands, subcommands, flags,
// flag values (namespaces, contexts, output formats), resource types and object names.

import type { CommandContext, CommandEntry, CommandSpec, context as makeContext, flagsOf as flagsOfSpec } from "./main.ts";
import { FlagError, parseFlags, type FlagDef } from "./flags.ts";
import { writeStderr, writeStdout } from "../client/stdio.ts";

/** cobra's ShellCompDirective bits. */
export const Directive = { Error: 1, NoSpace: 2, NoFileComp: 4, FilterFileExt: 8, FilterDirs: 16 } as const;

const DIRECTIVE_NAMES: Record<number, string> = {
  0: "ShellCompDirectiveDefault",
  1: "ShellCompDirectiveError",
  2: "ShellCompDirectiveNoSpace",
  4: "ShellCompDirectiveNoFileComp",
  8: "ShellCompDirectiveFilterFileExt",
  16: "ShellCompDirectiveFilterDirs",
};

/** Commands whose arguments are `TYPE [NAME…]` or `TYPE/NAME`, and the verb a type must support. */
const RESOURCE_COMMANDS: Record<string, string> = { get: "get", delete: "delete", describe: "get", edit: "patch", label: "patch", annotate: "patch", patch: "patch" };

const GET_OUTPUTS = ["json", "yaml", "name", "go-template", "go-template-file", "template", "templatefile", "jsonpath", "jsonpath-as-json", "jsonpath-file", "custom-columns", "custom-columns-file", "wide"];
const OBJECT_OUTPUTS = ["json", "yaml", "name", "go-template", "go-template-file", "template", "templatefile", "jsonpath", "jsonpath-as-json", "jsonpath-file"];

type Candidate = [string, string?];

/** What main lends the completer (main.ts cannot be imported back while it runs). */
export interface CompletionHost {
  commands: CommandEntry[];
  flagsOf: typeof flagsOfSpec;
  context: typeof makeContext;
}

/** Prints the candidates for the last word of `args`; always exits 0, as cobra does. */
export async function complete(args: string[], descriptions: boolean, host: CompletionHost): Promise<number> {
  const partial = args.length ? args[args.length - 1]! : "";
  const words = args.slice(0, -1);
  let result: { candidates: Candidate[]; directive: number };
  try {
    result = await candidatesFor(words, partial, host);
  } catch {
    result = { candidates: [], directive: Directive.NoFileComp };
  }
  const lines = result.candidates.map(([v, d]) => (descriptions && d ? `${v}\t${d}` : v));
  writeStdout(`${lines.map((l) => `${l}\n`).join("")}:${result.directive}\n`);
  writeStderr(`Completion ended with directive: ${directiveName(result.directive)}\n`);
  return 0;
}

function directiveName(d: number): string {
  if (DIRECTIVE_NAMES[d]) return DIRECTIVE_NAMES[d]!;
  return Object.entries(DIRECTIVE_NAMES)
    .filter(([bit]) => Number(bit) && d & Number(bit))
    .map(([, n]) => n)
    .join(", ");
}

async function candidatesFor(words: string[], partial: string, host: CompletionHost): Promise<{ candidates: Candidate[]; directive: number }> {
  const { flagsOf, context, commands } = host;
  // Find the command: leading words naming commands and subcommands, flags skipped.
  const path: string[] = [];
  let spec: CommandSpec | undefined;
  let entries = commands;
  const positionals: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith("-")) {
      if (!w.includes("=") && takesValue(w, spec ? flagsOf(spec) : flagsOf({ name: "", short: "" }))) i++;
      continue;
    }
    const entry = positionals.length === 0 ? entries.find((c) => c.name === w || c.aliases?.includes(w)) : undefined;
    if (entry) {
      spec = (await entry.load()).spec;
      path.push(entry.name);
      entries = spec.subcommands ?? [];
    } else {
      positionals.push(w);
    }
  }
  const defs = flagsOf(spec ?? { name: "", short: "" });
  const prev = words[words.length - 1] ?? "";
  const prevFlag = prev.startsWith("-") && !prev.includes("=") ? findFlag(prev, defs) : undefined;
  // `--flag=partial`: the values alone, as cobra answers (the shells keep the prefix).
  const inline = /^(-[^=]+)=(.*)$/.exec(partial);
  if (inline && findFlag(inline[1]!, defs) && findFlag(inline[1]!, defs)?.type !== "bool") {
    return candidatesFor([...words, inline[1]!], inline[2]!, host);
  }
  const make = async (): Promise<CommandContext> => {
    let flags;
    try {
      flags = parseFlags(words, defs).flags;
    } catch (err) {
      if (!(err instanceof FlagError)) throw err;
      flags = parseFlags([], defs).flags;
    }
    const shadowed = new Set((spec?.flags ?? []).filter((f) => f.shadowsGlobal).map((f) => f.name));
    return context(path, positionals, -1, flags, shadowed).ctx;
  };
  const done = (values: Candidate[], directive: number = Directive.NoFileComp) => ({ candidates: values.filter(([v]) => v.startsWith(partial)), directive });

  if (prevFlag && prevFlag.type !== "bool") return flagValue(prevFlag, path, make, done);
  if (partial.startsWith("-")) return done(flagNames(defs, partial));
  if (entries.length > 0 && positionals.length === 0) {
    const subs = entries.filter((c) => !c.hidden).map((c): Candidate => [c.name, c.short]);
    if (path.length === 0) subs.push(["help", "Help about any command"]);
    return done(subs.sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const command = path.join(" ");
  if (RESOURCE_COMMANDS[command] !== undefined) return resourceArgs(RESOURCE_COMMANDS[command]!, positionals, partial, make, done);
  if (["config use-context", "config delete-context", "config rename-context", "config get-contexts", "config set-context"].includes(command)) {
    if (positionals.length > 0 && command !== "config get-contexts") return done([]);
    return done(await kubeconfigNames(make, "contexts", positionals));
  }
  if (command === "completion") return done(positionals.length ? [] : [["bash"], ["zsh"]]);
  if (command === "create token" && positionals.length === 0) return done(await objectNames(make, "serviceaccounts", []));
  return done([]);
}

function takesValue(word: string, defs: FlagDef[]): boolean {
  const def = findFlag(word, defs);
  return def !== undefined && def.type !== "bool" && def.noOptDefault === undefined;
}

function findFlag(word: string, defs: FlagDef[]): FlagDef | undefined {
  if (word.startsWith("--")) return defs.find((d) => d.name === word.slice(2));
  return word.length === 2 ? defs.find((d) => d.short === word[1]) : undefined;
}

function flagNames(defs: FlagDef[], partial: string): Candidate[] {
  const out: Candidate[] = [];
  for (const d of [...defs].filter((d) => !d.hidden).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const short = d.description.split("\n")[0];
    out.push([`--${d.name}`, short]);
    if (d.short && partial === "-") out.push([`-${d.short}`, short]);
  }
  return out;
}

type Done = (values: Candidate[], directive?: number) => { candidates: Candidate[]; directive: number };

async function flagValue(def: FlagDef, path: string[], make: () => Promise<CommandContext>, done: Done) {
  switch (def.name) {
    case "namespace":
      return done(await objectNames(make, "namespaces", []));
    case "context":
      return done(await kubeconfigNames(make, "contexts", []));
    case "cluster":
      return done(await kubeconfigNames(make, "clusters", []));
    case "user":
      return done(await kubeconfigNames(make, "users", []));
    case "output":
      return done((path[0] === "get" ? GET_OUTPUTS : path[0] === "api-resources" ? ["wide", "name"] : OBJECT_OUTPUTS).map((o): Candidate => [o]));
    case "filename":
      return { candidates: [["json"], ["yaml"], ["yml"]] as Candidate[], directive: Directive.FilterFileExt };
    case "kubeconfig":
    case "certificate-authority":
    case "client-certificate":
    case "client-key":
    case "cache-dir":
      return { candidates: [], directive: 0 };
    default:
      return done([]);
  }
}

// `TYPE` (types the server serves, api-resources -o name order), `TYPE/NAME`, or names of TYPE.
async function resourceArgs(verb: string, positionals: string[], partial: string, make: () => Promise<CommandContext>, done: Done) {
  if (positionals.length === 0) {
    const slash = partial.indexOf("/");
    if (slash >= 0) {
      const type = partial.slice(0, slash);
      return done((await objectNames(make, type, [])).map(([n]): Candidate => [`${type}/${n}`]));
    }
    return done(await resourceTypes(make, verb));
  }
  if (positionals[0]!.includes("/")) return done([]);
  return done(await objectNames(make, positionals[0]!, positionals.slice(1)));
}

async function resourceTypes(make: () => Promise<CommandContext>, verb: string): Promise<Candidate[]> {
  const ctx = await make();
  const { discoveryFor } = await import("./discovery.ts");
  const resources = (await (await discoveryFor(ctx)).preferredResources()).filter((r) => r.verbs.includes(verb));
  const ordered = resources
    .map((r, i) => ({ r, i }))
    .sort((a, b) => cmp(a.r.group, b.r.group) || cmp(a.r.resource, b.r.resource) || a.i - b.i)
    .map(({ r }) => r);
  return ordered.map((r): Candidate => [r.group ? `${r.resource}.${r.group}` : r.resource]);
}

// Names of the objects of a type in the invocation's namespace, minus those already typed.
async function objectNames(make: () => Promise<CommandContext>, type: string, exclude: string[]): Promise<Candidate[]> {
  const ctx = await make();
  const [{ discoveryFor }, { resourcePath }] = await Promise.all([import("./discovery.ts"), import("../client/resources.ts")]);
  const mapping = await (await discoveryFor(ctx)).resolve(type);
  const cfg = await ctx.clientConfig();
  const client = await ctx.restClient();
  const list = await client.requestJson<{ items?: { metadata?: { name?: string } }[] }>({ path: resourcePath(mapping, cfg.namespace), accept: "application/json" });
  return (list.items ?? [])
    .map((i) => i.metadata?.name ?? "")
    .filter((n) => n && !exclude.includes(n))
    .map((n): Candidate => [n]);
}

async function kubeconfigNames(make: () => Promise<CommandContext>, list: "contexts" | "clusters" | "users", exclude: string[]): Promise<Candidate[]> {
  const ctx = await make();
  const { configSet } = await import("./config/common.ts");
  const { merged } = await configSet(ctx);
  return (merged[list] ?? []).map((e) => e.name).filter((n) => !exclude.includes(n)).map((n): Candidate => [n]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
