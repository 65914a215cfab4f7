// Field selectors with kube-apiserver's grammar, escaping and error wording
// (k8s.io/apimachinery/pkg/fields). Only `=`, `==` and `!=` exist; `==` is stored as `=`.

import { badRequest } from "./status.ts";

/** One ANDed term: `field=value` or `field!=value` (a missing field reads as ""). */
export interface FieldTerm {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** A parsed field selector; no terms selects everything. */
export interface FieldSelector {
  terms: FieldTerm[];
}

// Splits on commas not preceded by a backslash; the backslash stays in the term.
function splitTerms(text: string): string[] {
  if (text === "") return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

// The first operator occurrence splits the term: the field part has no escaping.
function splitTerm(term: string): { field: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="]) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === "\\") {
      inSlash = true;
    } else if (c === "," || c === "=") {
      // Upstream prints the rune with %v, i.e. as its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest("invalid field selector: invalid escape sequence: \\");
  return out;
}

/**
 * Parses a `fieldSelector` string (fields.ParseSelector). Terms are ordered by their raw text,
 * empty terms and terms with both sides empty are dropped. Throws a 400 BadRequest with
 * upstream's message, e.g. `invalid selector: 'a'; can't understand 'a'`.
 */
export function parseFieldSelector(text: string): FieldSelector {
  const parts = splitTerms(text).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const value = unescapeValue(split.rhs);
    if (split.field === "" && value === "") continue;
    terms.push({ field: split.field, op: split.op === "!=" ? "!=" : "=", value });
  }
  return { terms };
}

/** True when every term holds; fields absent from `fields` compare as "". */
export function matchFields(selector: FieldSelector, fields: Record<string, string>): boolean {
  return selector.terms.every((t) => {
    const actual = Object.hasOwn(fields, t.field) ? fields[t.field] : "";
    return t.op === "=" ? actual === t.value : actual !== t.value;
  });
}

/** The value an `=` term demands of `field` (RequiresExactMatch), e.g. `metadata.name=x` → "x". */
export function fieldSelectorRequires(selector: FieldSelector, field: string): string | undefined {
  return selector.terms.find((t) => t.field === field && t.op === "=")?.value;
}

/** True when the selector restricts nothing. */
export function isEmptyFieldSelector(selector: FieldSelector): boolean {
  return selector.terms.length === 0;
}

/** Escapes `\`, `,` and `=` in a literal value (fields.EscapeValue). */
export function escapeFieldSelectorValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** The canonical string (Selector.String()): terms joined by ",", values escaped. */
export function formatFieldSelector(selector: FieldSelector): string {
  return selector.terms.map((t) => `${t.field}${t.op}${escapeFieldSelectorValue(t.value)}`).join(",");
}
