import { describe, expect, test } from "bun:test";
import {
  escapeFieldSelectorValue,
  fieldSelectorRequires,
  formatFieldSelector,
  isEmptyFieldSelector,
  matchFields,
  parseFieldSelector,
} from "./field-selector.ts";
import { StatusError } from "./status.ts";

function parseError(text: string): StatusError {
  try {
    parseFieldSelector(text);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe("parseFieldSelector", () => {
  test("=, == and != terms", () => {
    expect(parseFieldSelector("a=b").terms).toEqual([{ field: "a", op: "=", value: "b" }]);
    expect(parseFieldSelector("a==b").terms).toEqual([{ field: "a", op: "=", value: "b" }]);
    expect(parseFieldSelector("a!=b").terms).toEqual([{ field: "a", op: "!=", value: "b" }]);
  });

  test("terms are sorted by their raw text; empty terms are skipped", () => {
    const sel = parseFieldSelector("status.phase!=Failed,,metadata.name=x,");
    expect(sel.terms.map((t) => t.field)).toEqual(["metadata.name", "status.phase"]);
    expect(formatFieldSelector(sel)).toBe("metadata.name=x,status.phase!=Failed");
  });

  test("whitespace is part of the field and value", () => {
    expect(parseFieldSelector(" a = b ").terms).toEqual([{ field: " a ", op: "=", value: " b " }]);
  });

  test("empty values and the everything selector", () => {
    expect(parseFieldSelector("spec.nodeName=").terms).toEqual([{ field: "spec.nodeName", op: "=", value: "" }]);
    expect(isEmptyFieldSelector(parseFieldSelector(""))).toBe(true);
    expect(isEmptyFieldSelector(parseFieldSelector(",,"))).toBe(true);
    expect(isEmptyFieldSelector(parseFieldSelector("="))).toBe(true);
    expect(isEmptyFieldSelector(parseFieldSelector("!="))).toBe(true);
    expect(isEmptyFieldSelector(parseFieldSelector("a="))).toBe(false);
  });

  test("the first operator splits the term", () => {
    expect(parseFieldSelector("a!b=c").terms).toEqual([{ field: "a!b", op: "=", value: "c" }]);
    expect(parseFieldSelector("a=!b").terms).toEqual([{ field: "a", op: "=", value: "!b" }]);
  });

  test("backslash escapes in values", () => {
    expect(parseFieldSelector("a=x\\,y").terms[0]!.value).toBe("x,y");
    expect(parseFieldSelector("a=x\\=y").terms[0]!.value).toBe("x=y");
    expect(parseFieldSelector("a=x\\\\y").terms[0]!.value).toBe("x\\y");
    expect(parseFieldSelector("a=x\\\\,b=y").terms).toEqual([
      { field: "a", op: "=", value: "x\\" },
      { field: "b", op: "=", value: "y" },
    ]);
  });

  test("errors carry upstream's messages as 400 BadRequest", () => {
    const cases: [string, string][] = [
      ["foo", "invalid selector: 'foo'; can't understand 'foo'"],
      ["a=b,foo", "invalid selector: 'a=b,foo'; can't understand 'foo'"],
      ["a=b=c", "invalid field selector: unescaped character in value: 61"],
      ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
      ["a=b\\!", "invalid field selector: invalid escape sequence: \\!"],
      ["a=\\n", "invalid field selector: invalid escape sequence: \\n"],
    ];
    for (const [input, message] of cases) {
      const err = parseError(input);
      expect(err.code).toBe(400);
      expect(err.reason).toBe("BadRequest");
      expect(err.message).toBe(message);
    }
  });
});

describe("matchFields", () => {
  const fields = { "metadata.name": "web", "status.phase": "Running", "spec.nodeName": "" };

  test("= and != with missing fields reading as empty", () => {
    expect(matchFields(parseFieldSelector("metadata.name=web"), fields)).toBe(true);
    expect(matchFields(parseFieldSelector("metadata.name==db"), fields)).toBe(false);
    expect(matchFields(parseFieldSelector("status.phase!=Failed"), fields)).toBe(true);
    expect(matchFields(parseFieldSelector("status.phase!=Running"), fields)).toBe(false);
    expect(matchFields(parseFieldSelector("spec.nodeName="), fields)).toBe(true);
    expect(matchFields(parseFieldSelector("spec.missing="), fields)).toBe(true);
    expect(matchFields(parseFieldSelector("spec.missing!=x"), fields)).toBe(true);
    expect(matchFields(parseFieldSelector("toString="), {})).toBe(true);
  });

  test("terms are ANDed; empty matches all", () => {
    expect(matchFields(parseFieldSelector("metadata.name=web,status.phase=Running"), fields)).toBe(true);
    expect(matchFields(parseFieldSelector("metadata.name=web,status.phase=Failed"), fields)).toBe(false);
    expect(matchFields(parseFieldSelector(""), fields)).toBe(true);
  });

  test("escaped values match literally", () => {
    expect(matchFields(parseFieldSelector("a=x\\,y"), { a: "x,y" })).toBe(true);
  });
});

describe("fieldSelectorRequires", () => {
  test("returns the value of an = term only", () => {
    expect(fieldSelectorRequires(parseFieldSelector("metadata.name=x,status.phase=Running"), "metadata.name")).toBe("x");
    expect(fieldSelectorRequires(parseFieldSelector("metadata.name==x"), "metadata.name")).toBe("x");
    expect(fieldSelectorRequires(parseFieldSelector("metadata.name!=x"), "metadata.name")).toBeUndefined();
    expect(fieldSelectorRequires(parseFieldSelector("status.phase=Running"), "metadata.name")).toBeUndefined();
    expect(fieldSelectorRequires(parseFieldSelector("metadata.name="), "metadata.name")).toBe("");
  });
});

describe("formatFieldSelector", () => {
  test("escapes values and round-trips", () => {
    const text = "a!=p\\\\q,b=x\\,y\\=z";
    const sel = parseFieldSelector(text);
    expect(sel.terms[1]!.value).toBe("x,y=z");
    expect(formatFieldSelector(sel)).toBe(text);
    expect(formatFieldSelector(parseFieldSelector("a==b"))).toBe("a=b");
    expect(escapeFieldSelectorValue("a\\b,c=d!e")).toBe("a\\\\b\\,c\\=d!e");
  });
});
