import { expect, test } from "bun:test";
import { toYaml } from "./yaml.ts";

// Expected lines are what kubectl 1.33 printed for `create configmap x --from-literal=…
// --dry-run=client -o yaml` with these values.
test("strings are quoted as Go's YAML emitter quotes them", () => {
  const cases: [string, string][] = [
    ["*", "'*'"],
    ["", '""'],
    ["16", '"16"'],
    ["true", '"true"'],
    ["yes", '"yes"'],
    ["on", '"on"'],
    ["null", '"null"'],
    ["~", '"~"'],
    ["1.5", '"1.5"'],
    ["0x1F", '"0x1F"'],
    ["1e3", '"1e3"'],
    ["0777", '"0777"'],
    [".inf", '".inf"'],
    ["2001-12-14", '"2001-12-14"'],
    ["1_000", '"1_000"'],
    ["1:20", '"1:20"'],
    ["Y", '"Y"'],
    ["tab\there", '"tab\\there"'],
    ["-x", "-x"],
    [": x", "': x'"],
    ["a: b", "'a: b'"],
    ["#x", "'#x'"],
    ["@x", "'@x'"],
    ["x #y", "'x #y'"],
    ["v 2 ", "'v 2 '"],
    [" lead", "' lead'"],
    ["it's", "it's"],
    ['say "hi"', 'say "hi"'],
    ["- a", "'- a'"],
    ["{a}", "'{a}'"],
    ["%x", "'%x'"],
    ["!x", "'!x'"],
    ["&a", "'&a'"],
    ["|", "'|'"],
    ["x:y", "x:y"],
    ["=", "="],
    ["<<", "<<"],
  ];
  for (const [value, written] of cases) expect(toYaml({ v: value })).toBe(`v: ${written}\n`);
  expect(toYaml({ n: "a", y: "b" })).toBe('"n": a\n"y": b\n');
  expect(toYaml({ v: "l1\nl2" })).toBe("v: |-\n  l1\n  l2\n");
});
