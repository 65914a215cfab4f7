import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseFlags } from "./flags.ts";
import { GROUPS, renderCommandHelp, renderOverview } from "./help.ts";
import { COMMANDS, flagsOf, unknownCommand, type CommandEntry } from "./main.ts";

async function allEntries(entries: CommandEntry[], prefix: string[] = []): Promise<{ path: string[]; entry: CommandEntry }[]> {
  const out: { path: string[]; entry: CommandEntry }[] = [];
  for (const entry of entries) {
    out.push({ path: [...prefix, entry.name], entry });
    const mod = await entry.load();
    out.push(...(await allEntries(mod.spec.subcommands ?? [], [...prefix, entry.name])));
  }
  return out;
}

describe("the command table", () => {
  test("every row loads a module whose spec agrees with it", async () => {
    for (const { path, entry } of await allEntries(COMMANDS)) {
      const mod = await entry.load();
      expect(mod.spec.name).toBe(entry.name);
      expect(mod.spec.short).toBe(entry.short);
      expect(entry.group === undefined || (GROUPS as readonly string[]).includes(entry.group)).toBe(true);
      // Flags must not clash with the global ones (parseFlags throws on duplicates).
      expect(() => parseFlags([], flagsOf(mod.spec))).not.toThrow();
      expect(renderCommandHelp(path, mod.spec)).toContain(`Usage:\n  kapi ${path.join(" ")} `);
    }
  });

  test("names are unique", () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("help text", () => {
  test("the overview lists visible commands under their groups", () => {
    const text = renderOverview(COMMANDS);
    expect(text).toMatch(/\nOther Commands:\n(  .*\n)*  version +Print the client and server version information\n/);
    expect(text).toContain("Server Commands:\n  serve ");
    expect(text).not.toContain("  options ");
    expect(text).toEndWith(`Use "kapi options" for a list of global command-line options (applies to all commands).\n`);
  });

  test("a command's help shows its flags in kubectl's layout", async () => {
    const version = await COMMANDS.find((c) => c.name === "version")!.load();
    const text = renderCommandHelp(["version"], version.spec);
    expect(text).toContain("Options:\n    --client=false:\n\tIf true, print the client version only; no server is contacted.\n\n    -o, --output='':\n\tOne of 'yaml' or 'json'.\n\nUsage:\n  kapi version [flags] [options]\n");
  });
});

test("unknown commands get cobra's wording and suggestions", () => {
  expect(unknownCommand("foo", "kapi", COMMANDS)).toBe('error: unknown command "foo" for "kapi"');
  expect(unknownCommand("vresion", "kapi", COMMANDS)).toBe('error: unknown command "vresion" for "kapi"\n\nDid you mean this?\n\tversion');
  expect(unknownCommand("ser", "kapi", COMMANDS)).toBe('error: unknown command "ser" for "kapi"\n\nDid you mean this?\n\tserve\n\tget');
});

// `kapi version --client` must start fast: nothing it imports statically may pull in YAML,
// the server, HTTP/TLS machinery or the transport. Follows static imports from main.ts and
// version.ts (dynamic `import()` and `import type` are fine).
test("the version --client path imports nothing heavy", () => {
  const root = resolve(import.meta.dir, "..");
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"|^import\s+"([^"]+)"/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith(".")) visit(join(dirname(file), spec));
      else external.add(spec);
    }
  };
  visit(join(root, "cmd/main.ts"));
  visit(join(root, "cmd/version.ts"));
  const local = [...seen].map((f) => f.slice(root.length + 1)).sort();
  // The version facts are shared with the server and are light.
  const shared = ["api/build-info.ts", "api/build-stamp.ts"];
  expect(local.filter((f) => !f.startsWith("cmd/") && !f.startsWith("client/") && !shared.includes(f))).toEqual([]);
  expect(local).toContain("cmd/flags.ts");
  expect(local).toContain("client/stdio.ts");
  expect(local).not.toContain("client/transport.ts");
  expect(local).not.toContain("client/kubeconfig.ts");
  for (const heavy of ["yaml", "hono", "node:http", "node:https", "node:http2", "node:tls", "node:crypto", "bun:sqlite"]) {
    expect(external.has(heavy)).toBe(false);
  }
});
