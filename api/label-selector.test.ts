import { describe, expect, test } from "bun:test";
import {
  formatLabelSelector,
  isEverything,
  labelSelectorFromObject,
  labelSelectorRequires,
  matchLabels,
  parseLabelSelector,
} from "./label-selector.ts";
import { StatusError } from "./status.ts";

const QNAME =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function parseError(text: string): StatusError {
  try {
    parseLabelSelector(text);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

function roundTrip(text: string): string {
  return formatLabelSelector(parseLabelSelector(text));
}

describe("parseLabelSelector grammar", () => {
  test("every operator parses and formats canonically", () => {
    expect(roundTrip("a=b")).toBe("a=b");
    expect(roundTrip("a==b")).toBe("a==b");
    expect(roundTrip("a!=b")).toBe("a!=b");
    expect(roundTrip("a in (z,y,x)")).toBe("a in (x,y,z)");
    expect(roundTrip("a notin (b)")).toBe("a notin (b)");
    expect(roundTrip("a")).toBe("a");
    expect(roundTrip("!a")).toBe("!a");
    expect(roundTrip("a>1")).toBe("a>1");
    expect(roundTrip("a<10")).toBe("a<10");
  });

  test("requirements are sorted by key and whitespace is insignificant", () => {
    const sel = parseLabelSelector("  z = 1 ,\tb  in ( x , y ),\n!c , a");
    expect(sel.requirements.map((r) => r.key)).toEqual(["a", "b", "c", "z"]);
    expect(formatLabelSelector(sel)).toBe("a,b in (x,y),!c,z=1");
  });

  test("operators", () => {
    expect(parseLabelSelector("x in (a)").requirements[0]).toEqual({ key: "x", operator: "in", values: ["a"] });
    expect(parseLabelSelector("x notin (a)").requirements[0]!.operator).toBe("notin");
    expect(parseLabelSelector("x>5").requirements[0]).toEqual({ key: "x", operator: "gt", values: ["5"] });
    expect(parseLabelSelector("x<5").requirements[0]!.operator).toBe("lt");
    expect(parseLabelSelector("x").requirements[0]).toEqual({ key: "x", operator: "exists", values: [] });
    expect(parseLabelSelector("!x").requirements[0]).toEqual({ key: "x", operator: "!", values: [] });
  });

  test("empty values", () => {
    expect(parseLabelSelector("a=").requirements[0]!.values).toEqual([""]);
    expect(parseLabelSelector("a=,b").requirements[0]!.values).toEqual([""]);
    expect(parseLabelSelector("x in ()").requirements[0]!.values).toEqual([""]);
    expect(parseLabelSelector("x in (,a)").requirements[0]!.values).toEqual(["", "a"]);
    expect(parseLabelSelector("x in (a,)").requirements[0]!.values).toEqual(["", "a"]);
    expect(parseLabelSelector("x in (foo,,baz)").requirements[0]!.values).toEqual(["", "baz", "foo"]);
    expect(parseLabelSelector("x in (a,a)").requirements[0]!.values).toEqual(["a"]);
  });

  test("in and notin are identifiers in key and value position", () => {
    expect(roundTrip("in=notin")).toBe("in=notin");
    expect(roundTrip("x in (in,notin)")).toBe("x in (in,notin)");
  });

  test("prefixed keys", () => {
    expect(roundTrip("example.com/app=web")).toBe("example.com/app=web");
  });

  test("empty and blank selectors select everything", () => {
    expect(isEverything(parseLabelSelector(""))).toBe(true);
    expect(isEverything(parseLabelSelector("  \t"))).toBe(true);
    expect(isEverything(parseLabelSelector("a"))).toBe(false);
  });

  test("a NUL after whitespace ends the input, as upstream's byte lexer does", () => {
    expect(roundTrip("a \0 b c")).toBe("a");
  });
});

describe("parseLabelSelector errors", () => {
  const cases: [string, string][] = [
    ["a===b", "unable to parse requirement: found '=', expected: identifier"],
    ["a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a,", "found '', expected: identifier after ','"],
    ["a,,b", "found ',', expected: identifier after ','"],
    [",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["!", "unable to parse requirement: found '', expected: identifier"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    ["x in a", "unable to parse requirement: found 'a' expected: '('"],
    ["x in", "unable to parse requirement: found '' expected: '('"],
    ["x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ["x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ["x in (a", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    ["a<=1", "unable to parse requirement: found '=', expected: identifier"],
    ["a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ["a>", "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      "a>99999999999999999999",
      "unable to parse requirement: values[0]: Invalid value: \"99999999999999999999\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    ["app:monolith", `unable to parse requirement: <nil>: Invalid value: "app:monolith": name part ${QNAME}`],
    ["a<-1", `unable to parse requirement: values[0][a]: Invalid value: "-1": ${LABEL_VALUE}`],
    ["a=-x", `unable to parse requirement: values[0][a]: Invalid value: "-x": ${LABEL_VALUE}`],
    [
      "a>b-",
      `unable to parse requirement: [values[0]: Invalid value: "b-": for 'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: "b-": ${LABEL_VALUE}]`,
    ],
    [
      "a/b/c",
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${QNAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      "Example.com/a",
      "unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
    [`a=${"v".repeat(64)}`, `unable to parse requirement: values[0][a]: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`],
    [`${"k".repeat(64)}`, `unable to parse requirement: <nil>: Invalid value: "${"k".repeat(64)}": name part must be no more than 63 characters`],
    ["/a", 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
    ["a/", `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part ${QNAME}`],
  ];
  for (const [input, message] of cases) {
    test(JSON.stringify(input), () => {
      const err = parseError(input);
      expect(err.code).toBe(400);
      expect(err.reason).toBe("BadRequest");
      expect(err.message).toBe(message);
      expect(err.status.message).toBe(message);
    });
  }
});

describe("matchLabels", () => {
  const m = (sel: string, labels?: Record<string, string>) => matchLabels(parseLabelSelector(sel), labels);

  test("equality", () => {
    expect(m("a=b", { a: "b" })).toBe(true);
    expect(m("a==b", { a: "c" })).toBe(false);
    expect(m("a=b", {})).toBe(false);
    expect(m("a=", { a: "" })).toBe(true);
    expect(m("a=", {})).toBe(false);
    expect(m("a!=b", { a: "c" })).toBe(true);
    expect(m("a!=b", { a: "b" })).toBe(false);
    expect(m("a!=b", {})).toBe(true);
  });

  test("sets", () => {
    expect(m("a in (x,y)", { a: "y" })).toBe(true);
    expect(m("a in (x,y)", { a: "z" })).toBe(false);
    expect(m("a in (x,y)", undefined)).toBe(false);
    expect(m("a in ()", { a: "" })).toBe(true);
    expect(m("a notin (x,y)", { a: "z" })).toBe(true);
    expect(m("a notin (x,y)", { a: "x" })).toBe(false);
    expect(m("a notin (x,y)", {})).toBe(true);
  });

  test("existence", () => {
    expect(m("a", { a: "" })).toBe(true);
    expect(m("a", { b: "" })).toBe(false);
    expect(m("!a", { b: "" })).toBe(true);
    expect(m("!a", { a: "x" })).toBe(false);
    expect(m("toString", {})).toBe(false);
  });

  test("numeric comparisons", () => {
    expect(m("a>1", { a: "2" })).toBe(true);
    expect(m("a>1", { a: "1" })).toBe(false);
    expect(m("a<1", { a: "-5" })).toBe(true);
    expect(m("a>1", { a: "x" })).toBe(false);
    expect(m("a>1", {})).toBe(false);
    expect(m("a>9007199254740992", { a: "9007199254740993" })).toBe(true);
  });

  test("requirements are ANDed; empty matches all", () => {
    expect(m("a=b,c", { a: "b", c: "" })).toBe(true);
    expect(m("a=b,c", { a: "b" })).toBe(false);
    expect(m("", undefined)).toBe(true);
  });
});

describe("labelSelectorFromObject", () => {
  test("null and undefined select nothing; {} selects everything", () => {
    for (const sel of [null, undefined]) {
      const s = labelSelectorFromObject(sel);
      expect(isEverything(s)).toBe(false);
      expect(matchLabels(s, {})).toBe(false);
      expect(formatLabelSelector(s)).toBe("");
    }
    const all = labelSelectorFromObject({});
    expect(isEverything(all)).toBe(true);
    expect(matchLabels(all, { any: "x" })).toBe(true);
    expect(isEverything(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }))).toBe(true);
  });

  test("matchLabels and matchExpressions become sorted requirements", () => {
    const s = labelSelectorFromObject({
      matchLabels: { tier: "web", app: "shop" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod", "dev"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "zone", operator: "NotIn", values: ["a"] },
        { key: "owner", operator: "Exists", values: [] },
      ],
    });
    expect(formatLabelSelector(s)).toBe("app=shop,!canary,env in (dev,prod),owner,tier=web,zone notin (a)");
    expect(matchLabels(s, { app: "shop", tier: "web", env: "dev", owner: "me" })).toBe(true);
    expect(matchLabels(s, { app: "shop", tier: "web", env: "dev", owner: "me", canary: "1" })).toBe(false);
  });

  test("errors carry upstream's messages", () => {
    const fail = (sel: Parameters<typeof labelSelectorFromObject>[0]) => {
      try {
        labelSelectorFromObject(sel);
      } catch (e) {
        expect(e).toBeInstanceOf(StatusError);
        expect((e as StatusError).code).toBe(400);
        return (e as StatusError).message;
      }
      throw new Error("expected failure");
    };
    expect(fail({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] })).toBe('"Gt" is not a valid label selector operator');
    expect(fail({ matchExpressions: [{ key: "a", operator: "In", values: [] }] })).toBe(
      "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(fail({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] })).toBe(
      'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    );
    expect(fail({ matchLabels: { "a b": "c" } })).toBe(`key: Invalid value: "a b": name part ${QNAME}`);
    expect(fail({ matchLabels: { "a/b/c": "-" } })).toBe(
      `[key: Invalid value: "a/b/c": a qualified name ${QNAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), values[0][a/b/c]: Invalid value: "-": ${LABEL_VALUE}]`,
    );
  });
});

describe("labelSelectorRequires", () => {
  test("reports the value an exact requirement demands", () => {
    expect(labelSelectorRequires(parseLabelSelector("a=x,b"), "a")).toBe("x");
    expect(labelSelectorRequires(parseLabelSelector("a==x"), "a")).toBe("x");
    expect(labelSelectorRequires(parseLabelSelector("a in (x)"), "a")).toBe("x");
    expect(labelSelectorRequires(parseLabelSelector("a in (x,y)"), "a")).toBeUndefined();
    expect(labelSelectorRequires(parseLabelSelector("a!=x"), "a")).toBeUndefined();
    expect(labelSelectorRequires(parseLabelSelector("b=x"), "a")).toBeUndefined();
  });
});
