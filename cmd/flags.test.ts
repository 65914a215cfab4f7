import { describe, expect, test } from "bun:test";
import { FlagError, firstPositional, formatDefault, parseFlags, parseGoBool, parseGoInt, type FlagDef } from "./flags.ts";

const defs: FlagDef[] = [
  { name: "namespace", short: "n", type: "string", description: "" },
  { name: "output", short: "o", type: "string", description: "" },
  { name: "v", short: "v", type: "int", description: "" },
  { name: "selector", short: "l", type: "string", description: "" },
  { name: "all-namespaces", short: "A", type: "bool", description: "" },
  { name: "all", type: "bool", description: "" },
  { name: "stdin", short: "i", type: "bool", description: "" },
  { name: "tty", short: "t", type: "bool", description: "" },
  { name: "port", type: "int", default: 6443, description: "" },
  { name: "tls-san", type: "stringArray", description: "" },
  { name: "filename", short: "f", type: "stringSlice", description: "" },
  { name: "since", type: "duration", description: "" },
  { name: "anonymous-auth", type: "bool", default: true, description: "" },
  { name: "dry-run", type: "string", default: "none", noOptDefault: "unchanged", description: "" },
];

function parse(...argv: string[]) {
  return parseFlags(argv, defs);
}

function error(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (err) {
    if (err instanceof FlagError) return err.message;
    throw err;
  }
  throw new Error(`expected ${argv.join(" ")} to fail`);
}

describe("value forms", () => {
  test.each([
    [["-n", "ns"]],
    [["-nns"]],
    [["-n=ns"]],
    [["--namespace=ns"]],
    [["--namespace", "ns"]],
  ])("namespace from %p", (argv) => {
    const p = parse(...argv);
    expect(p.flags.string("namespace")).toBe("ns");
    expect(p.flags.changed("namespace")).toBe(true);
    expect(p.args).toEqual([]);
  });

  test("short forms of -o and -v", () => {
    expect(parse("-oyaml").flags.string("output")).toBe("yaml");
    expect(parse("-o=yaml").flags.string("output")).toBe("yaml");
    expect(parse("-o", "yaml").flags.string("output")).toBe("yaml");
    expect(parse("-v=6").flags.number("v")).toBe(6);
    expect(parse("-v", "6").flags.number("v")).toBe(6);
    expect(parse("--v=6").flags.number("v")).toBe(6);
    expect(parse("-v6").flags.number("v")).toBe(6);
  });

  test("a value may contain = and start with -", () => {
    expect(parse("-lapp=x").flags.string("selector")).toBe("app=x");
    expect(parse("--selector", "-x").flags.string("selector")).toBe("-x");
    expect(parse("-n", "--all").flags.string("namespace")).toBe("--all");
    expect(parse("-n=").flags.string("namespace")).toBe("=");
    expect(parse("--namespace=").flags.string("namespace")).toBe("");
  });

  test("booleans", () => {
    expect(parse("--all").flags.bool("all")).toBe(true);
    expect(parse("--all=false").flags.bool("all")).toBe(false);
    expect(parse("-A").flags.bool("all-namespaces")).toBe(true);
    expect(parse("-A=false").flags.bool("all-namespaces")).toBe(false);
    expect(parse("--anonymous-auth=false").flags.bool("anonymous-auth")).toBe(false);
    expect(parse().flags.bool("anonymous-auth")).toBe(true);
    // `--all false`: the word is a positional argument, as in pflag.
    const p = parse("--all", "false");
    expect(p.flags.bool("all")).toBe(true);
    expect(p.args).toEqual(["false"]);
  });

  test("combined short booleans, and a value after them", () => {
    const p = parse("-it");
    expect(p.flags.bool("stdin")).toBe(true);
    expect(p.flags.bool("tty")).toBe(true);
    const q = parse("-itnfoo");
    expect(q.flags.string("namespace")).toBe("foo");
    expect(parse("-it=false").flags.bool("tty")).toBe(false);
  });

  test("defaults and changed", () => {
    const p = parse();
    expect(p.flags.number("port")).toBe(6443);
    expect(p.flags.changed("port")).toBe(false);
    expect(p.flags.string("namespace")).toBe("");
    expect(p.flags.list("tls-san")).toEqual([]);
  });

  test("ints use Go's base prefixes", () => {
    expect(parse("--port=0x10").flags.number("port")).toBe(16);
    expect(parse("--port=010").flags.number("port")).toBe(8);
    expect(parse("--port=-5").flags.number("port")).toBe(-5);
    expect(parse("--port=1_000").flags.number("port")).toBe(1000);
  });
});

describe("repeatable flags", () => {
  test("stringArray keeps each occurrence whole", () => {
    expect(parse("--tls-san", "a", "--tls-san=b,c").flags.list("tls-san")).toEqual(["a", "b,c"]);
  });

  test("stringSlice splits on commas, honouring CSV quotes", () => {
    expect(parse("-f", "a.yaml,b.yaml", "-f", "c.yaml").flags.list("filename")).toEqual(["a.yaml", "b.yaml", "c.yaml"]);
    expect(parse('-f="x,y",z').flags.list("filename")).toEqual(["x,y", "z"]);
  });

  test("a string flag given twice keeps the last value", () => {
    expect(parse("-n", "a", "-n", "b").flags.string("namespace")).toBe("b");
  });
});

describe("positional arguments", () => {
  test("flags may follow arguments", () => {
    const p = parse("pods", "-n", "ns", "nginx", "-oyaml");
    expect(p.args).toEqual(["pods", "nginx"]);
    expect(p.flags.string("namespace")).toBe("ns");
    expect(p.argsLenAtDash).toBe(-1);
  });

  test("-- ends flags and is recorded", () => {
    const p = parse("pod", "-n", "x", "--", "ls", "-la", "--all");
    expect(p.args).toEqual(["pod", "ls", "-la", "--all"]);
    expect(p.argsLenAtDash).toBe(1);
    expect(p.flags.bool("all")).toBe(false);
  });

  test("a lone - is an argument", () => {
    expect(parse("-", "x").args).toEqual(["-", "x"]);
  });
});

describe("durations", () => {
  test("Go syntax", () => {
    expect(parse("--since=1m30s").flags.number("since")).toBe(90_000);
    expect(parse("--since=500ms").flags.number("since")).toBe(500);
  });
});

describe("errors worded as pflag", () => {
  test("unknown flags", () => {
    expect(error("--foo")).toBe("unknown flag: --foo");
    expect(error("--foo=bar")).toBe("unknown flag: --foo");
    expect(error("-z")).toBe("unknown shorthand flag: 'z' in -z");
    expect(error("-iz")).toBe("unknown shorthand flag: 'z' in -z");
    expect(error("-zi")).toBe("unknown shorthand flag: 'z' in -zi");
  });

  test("missing values", () => {
    expect(error("--namespace")).toBe("flag needs an argument: --namespace");
    expect(error("-n")).toBe("flag needs an argument: 'n' in -n");
    expect(error("pods", "-v")).toBe("flag needs an argument: 'v' in -v");
  });

  test("bad values", () => {
    expect(error("--port=x")).toBe('invalid argument "x" for "--port" flag: strconv.ParseInt: parsing "x": invalid syntax');
    expect(error("-vx")).toBe('invalid argument "x" for "-v, --v" flag: strconv.ParseInt: parsing "x": invalid syntax');
    expect(error("-A=x")).toBe('invalid argument "x" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "x": invalid syntax');
    expect(error("--port=99999999999999999999")).toBe(
      'invalid argument "99999999999999999999" for "--port" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range',
    );
    expect(error("--since=x")).toBe('invalid argument "x" for "--since" flag: time: invalid duration "x"');
  });

  test("bad syntax", () => {
    expect(error("---x")).toBe("bad flag syntax: ---x");
    expect(error("--=x")).toBe("bad flag syntax: --=x");
  });
});

describe("optional values (pflag's NoOptDefVal)", () => {
  test("a bare flag takes its no-option default and leaves the next argument alone", () => {
    const p = parse("--dry-run", "ns");
    expect(p.flags.string("dry-run")).toBe("unchanged");
    expect(p.args).toEqual(["ns"]);
    expect(parse("--dry-run=client").flags.string("dry-run")).toBe("client");
    expect(parse().flags.string("dry-run")).toBe("none");
  });

  test("subcommand lookup does not skip the word after such a flag", () => {
    expect(firstPositional(["--dry-run", "namespace"], defs)).toBe(1);
  });
});

describe("firstPositional (subcommand lookup)", () => {
  test("skips flags and their values", () => {
    expect(firstPositional(["-n", "ns", "get", "pods"], defs)).toBe(2);
    expect(firstPositional(["--namespace", "ns", "get"], defs)).toBe(2);
    expect(firstPositional(["-nns", "get"], defs)).toBe(1);
    expect(firstPositional(["--all", "get"], defs)).toBe(1);
    expect(firstPositional(["-A", "get"], defs)).toBe(1);
  });

  test("an unknown long flag is assumed to take a value, as cobra assumes", () => {
    expect(firstPositional(["--foo", "get"], defs)).toBe(-1);
    expect(firstPositional(["--foo=1", "get"], defs)).toBe(1);
  });

  test("nothing after --", () => {
    expect(firstPositional(["--", "get"], defs)).toBe(-1);
  });
});

describe("Go value parsing", () => {
  test("ParseBool accepts Go's spellings only", () => {
    for (const t of ["1", "t", "T", "TRUE", "true", "True"]) expect(parseGoBool(t)).toBe(true);
    for (const f of ["0", "f", "F", "FALSE", "false", "False"]) expect(parseGoBool(f)).toBe(false);
    expect(() => parseGoBool("yes")).toThrow('strconv.ParseBool: parsing "yes": invalid syntax');
  });

  test("ParseInt base 0", () => {
    expect(parseGoInt("0b101")).toBe(5);
    expect(parseGoInt("0o17")).toBe(15);
    expect(parseGoInt("+7")).toBe(7);
    expect(() => parseGoInt("08")).toThrow("invalid syntax");
    expect(() => parseGoInt("1_")).toThrow("invalid syntax");
    expect(() => parseGoInt("1__0")).toThrow("invalid syntax");
    expect(parseGoInt("0x_1f")).toBe(31);
    expect(() => parseGoInt("")).toThrow("invalid syntax");
  });

  test("help-style defaults", () => {
    const byName = (n: string) => defs.find((d) => d.name === n)!;
    expect(formatDefault(byName("namespace"))).toBe("''");
    expect(formatDefault(byName("all"))).toBe("false");
    expect(formatDefault(byName("port"))).toBe("6443");
    expect(formatDefault(byName("tls-san"))).toBe("[]");
    expect(formatDefault(byName("since"))).toBe("0s");
  });
});

test("a flag set with a duplicate name is a programming error", () => {
  expect(() => parseFlags([], [defs[0]!, defs[0]!])).toThrow("defined twice");
});
