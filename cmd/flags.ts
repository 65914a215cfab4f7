// A flag parser with pflag's grammar and error wording, so kapi accepts what kubectl users
// type (`-nns`, `-oyaml`, `-o=yaml`, `--v 6`, `-it`, flags after arguments, `--`) and fails
// the way kubectl fails.

import { DurationError, formatGoDuration, parseGoDuration } from "../client/go-duration.ts";

/**
 * Value types. `stringArray` appends each occurrence verbatim; `stringSlice` also splits each
 * occurrence on commas (CSV quoting honoured), like pflag's StringSlice (`-f a.yaml,b.yaml`).
 * `duration` values are milliseconds.
 */
export type FlagType = "bool" | "string" | "int" | "duration" | "stringArray" | "stringSlice";

export type FlagValue = string | number | boolean | string[];

/** One flag a command (or the global set) accepts. */
export interface FlagDef {
  name: string;
  short?: string;
  type: FlagType;
  /** Defaults: false, "", 0, 0 ms, []. Durations are given in milliseconds. */
  default?: FlagValue;
  description: string;
  hidden?: boolean;
  /** pflag's NoOptDefVal: the value `--flag` takes when written without `=value` (`--dry-run`, `--cascade`). */
  noOptDefault?: string;
  /** This command's own flag of a global flag's name, which it then hides (cobra's local-over-persistent rule). */
  shadowsGlobal?: boolean;
}

/** A parse failure; the message is pflag's (`unknown flag: --foo`), without the `error: ` prefix. */
export class FlagError extends Error {}

/** A command-line mistake found by a command (wrong arguments, conflicting flags). */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command line prefix for the hint, e.g. `kapi get`. */
    readonly command: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The values of every flag of a parse, defaults included. */
export class FlagValues {
  private readonly values = new Map<string, FlagValue>();
  private readonly set = new Set<string>();

  constructor(private readonly defs: Map<string, FlagDef>) {}

  /** True when the flag appeared on the command line (pflag's Changed). */
  changed(name: string): boolean {
    return this.set.has(name);
  }

  get(name: string): FlagValue {
    if (this.values.has(name)) return this.values.get(name)!;
    const def = this.defs.get(name);
    if (!def) throw new Error(`flag --${name} is not defined for this command`);
    return defaultValue(def);
  }

  string(name: string): string {
    return String(this.get(name));
  }

  bool(name: string): boolean {
    return this.get(name) === true;
  }

  /** An int flag, or a duration flag in milliseconds. */
  number(name: string): number {
    return Number(this.get(name));
  }

  list(name: string): string[] {
    const v = this.get(name);
    return Array.isArray(v) ? v : [];
  }

  /** Applies one textual occurrence of a flag, with pflag's conversion errors. */
  apply(def: FlagDef, raw: string): void {
    const first = !this.set.has(def.name);
    this.set.add(def.name);
    try {
      this.values.set(def.name, convert(def, raw, first ? [] : this.list(def.name)));
    } catch (err) {
      const why = err instanceof FlagError || err instanceof DurationError ? err.message : String(err);
      throw new FlagError(`invalid argument ${goQuote(raw)} for ${goQuote(flagDisplay(def))} flag: ${why}`);
    }
  }
}

/** The outcome of parsing one command line. */
export interface ParsedArgs {
  flags: FlagValues;
  args: string[];
  /** How many positional arguments came before `--`, or -1 when there was none. */
  argsLenAtDash: number;
}

/** Parses argv against the given flags, pflag-style; throws FlagError. */
export function parseFlags(argv: string[], defs: FlagDef[]): ParsedArgs {
  const { long, short } = indexFlags(defs);
  const flags = new FlagValues(long);
  const args: string[] = [];
  let argsLenAtDash = -1;
  let i = 0;
  while (i < argv.length) {
    const s = argv[i++]!;
    if (s.length < 2 || s[0] !== "-") {
      args.push(s);
    } else if (s === "--") {
      argsLenAtDash = args.length;
      args.push(...argv.slice(i));
      break;
    } else if (s[1] === "-") {
      const name = s.slice(2);
      if (name === "" || name[0] === "-" || name[0] === "=") throw new FlagError(`bad flag syntax: ${s}`);
      const eq = name.indexOf("=");
      const flagName = eq >= 0 ? name.slice(0, eq) : name;
      const def = long.get(flagName);
      if (!def) throw new FlagError(`unknown flag: --${flagName}`);
      if (eq >= 0) flags.apply(def, name.slice(eq + 1));
      else if (def.type === "bool") flags.apply(def, "true");
      else if (def.noOptDefault !== undefined) flags.apply(def, def.noOptDefault);
      else if (i < argv.length) flags.apply(def, argv[i++]!);
      else throw new FlagError(`flag needs an argument: ${s}`);
    } else {
      let shorthands = s.slice(1);
      while (shorthands.length > 0) {
        const c = shorthands[0]!;
        const def = short.get(c);
        if (!def) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorthands}`);
        let value: string;
        if (shorthands.length > 2 && shorthands[1] === "=") {
          value = shorthands.slice(2);
          shorthands = "";
        } else if (def.type === "bool") {
          value = "true";
          shorthands = shorthands.slice(1);
        } else if (def.noOptDefault !== undefined && shorthands.length === 1) {
          value = def.noOptDefault;
          shorthands = "";
        } else if (shorthands.length > 1) {
          value = shorthands.slice(1);
          shorthands = "";
        } else if (i < argv.length) {
          value = argv[i++]!;
          shorthands = "";
        } else {
          throw new FlagError(`flag needs an argument: '${c}' in -${shorthands}`);
        }
        flags.apply(def, value);
      }
    }
  }
  return { flags, args, argsLenAtDash };
}

/**
 * Index of the first positional argument, skipping flags and the values they take, the way
 * cobra looks for a subcommand name: an unknown `--flag` without `=` is assumed to take the
 * next argument, a cluster like `-nfoo` takes none. Returns -1 when there is none.
 */
export function firstPositional(argv: string[], defs: FlagDef[]): number {
  const { long, short } = indexFlags(defs);
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === "--") return -1;
    if (s.startsWith("--") && !s.includes("=")) {
      if (takesValue(long.get(s.slice(2)))) i++;
    } else if (s.startsWith("-") && s.length === 2) {
      if (takesValue(short.get(s[1]!))) i++;
    } else if (s !== "" && !s.startsWith("-")) {
      return i;
    }
  }
  return -1;
}

// Unknown flags are assumed to take a value, as cobra assumes.
function takesValue(def: FlagDef | undefined): boolean {
  return def === undefined || (def.type !== "bool" && def.noOptDefault === undefined);
}

/** `-o, --output` or `--client`: how pflag names a flag in messages. */
export function flagDisplay(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

/** The default rendered as kubectl's help does: `''`, `false`, `0`, `[]`, `5s`. */
export function formatDefault(def: FlagDef): string {
  const v = defaultValue(def);
  switch (def.type) {
    case "string":
      return `'${v}'`;
    case "duration":
      return formatGoDuration(v as number);
    case "stringArray":
    case "stringSlice":
      return `[${(v as string[]).join(",")}]`;
    default:
      return String(v);
  }
}

/** Go's strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw new FlagError(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

/** Go's strconv.ParseInt(s, 0, 64): sign, 0x/0o/0b/leading-0 prefixes, `_` separators. */
export function parseGoInt(s: string): number {
  const fail = (why: string) => new FlagError(`strconv.ParseInt: parsing ${goQuote(s)}: ${why}`);
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m) throw fail("invalid syntax");
  let digits = m[2]!;
  // Go allows `_` only between digits, or right after a 0x/0o/0b prefix.
  if (digits.includes("_") && !/^(0[xXoObB]_?)?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(digits)) throw fail("invalid syntax");
  digits = digits.replaceAll("_", "");
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const value = BigInt(m[1] === "-" ? `-${digits}` : digits);
  if (value > 9223372036854775807n || value < -9223372036854775808n) throw fail("value out of range");
  return Number(value);
}

function convert(def: FlagDef, raw: string, previous: string[]): FlagValue {
  switch (def.type) {
    case "bool":
      return parseGoBool(raw);
    case "int":
      return parseGoInt(raw);
    case "duration":
      return parseGoDuration(raw);
    case "stringArray":
      return [...previous, raw];
    case "stringSlice":
      return [...previous, ...splitCsv(raw)];
    default:
      return raw;
  }
}

function splitCsv(raw: string): string[] {
  if (raw === "") return [];
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quoted) {
      if (c === '"' && raw[i + 1] === '"') field += raw[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (c === ",") {
      out.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  if (quoted) throw new FlagError(`parse error on line 1, column ${raw.length + 1}: extraneous or missing " in quoted-field`);
  out.push(field);
  return out;
}

function defaultValue(def: FlagDef): FlagValue {
  if (def.default !== undefined) return def.default;
  switch (def.type) {
    case "bool":
      return false;
    case "int":
    case "duration":
      return 0;
    case "stringArray":
    case "stringSlice":
      return [];
    default:
      return "";
  }
}

function indexFlags(defs: FlagDef[]): { long: Map<string, FlagDef>; short: Map<string, FlagDef> } {
  const long = new Map<string, FlagDef>();
  const short = new Map<string, FlagDef>();
  for (const def of defs) {
    if (long.has(def.name)) throw new Error(`flag --${def.name} is defined twice`);
    long.set(def.name, def);
    if (def.short) {
      if (short.has(def.short)) throw new Error(`shorthand -${def.short} is defined twice`);
      short.set(def.short, def);
    }
  }
  return { long, short };
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}
