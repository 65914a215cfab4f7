// Label selectors with kube-apiserver's grammar, validation and error wording
// (k8s.io/apimachinery/pkg/labels). The lexer and parser mirror upstream's token by token so
// that malformed input fails with the same message a real server returns.

import { badRequest } from "./status.ts";
import { goJson, goQuote, isQualifiedName, isValidLabelValue } from "./validation.ts";

/** selection.Operator values, spelled as upstream spells them. */
export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One ANDed requirement: a key, an operator and its values (empty for exists / !). */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/**
 * A parsed label selector: requirements sorted by key. `nothing` marks the selector of a null
 * metav1.LabelSelector, which matches no object (labels.Nothing()).
 */
export interface LabelSelector {
  requirements: LabelRequirement[];
  nothing?: boolean;
}

/** The metav1.LabelSelector wire shape. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

interface Item {
  tok: string;
  lit: string;
}

interface Lexer {
  s: string;
  pos: number;
}

// Token kinds: identifiers are "id", the end is "eos", every other token's kind is its literal.
const KEYWORDS = new Set([")", ",", "!", "==", "=", ">", "in", "<", "!=", "notin", "("]);
const BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";
const BINARY_TOKENS: Record<string, LabelOperator> = { in: "in", notin: "notin", "=": "=", "==": "==", "!=": "!=", ">": "gt", "<": "lt" };
const EOS: Item = { tok: "eos", lit: "" };

class SelectorSyntaxError extends Error {}

function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
}

function isSpecialSymbol(ch: string): boolean {
  return "=!(),><".includes(ch);
}

// Upstream reads bytes and treats NUL as end of input; a NUL inside the text therefore ends it too.
function read(l: Lexer): string {
  return l.pos < l.s.length ? l.s[l.pos++]! : "\0";
}

function scanIdOrKeyword(l: Lexer): Item {
  let buf = "";
  for (;;) {
    const ch = read(l);
    if (ch === "\0") break;
    if (isSpecialSymbol(ch) || isWhitespace(ch)) {
      l.pos--;
      break;
    }
    buf += ch;
  }
  return KEYWORDS.has(buf) ? { tok: buf, lit: buf } : { tok: "id", lit: buf };
}

// Longest match over the operator table ("==" before "=", "!=" before "!").
function scanSpecialSymbol(l: Lexer): Item {
  let buf = "";
  let last: Item | undefined;
  for (;;) {
    const ch = read(l);
    if (ch === "\0") break;
    if (!isSpecialSymbol(ch)) {
      l.pos--;
      break;
    }
    buf += ch;
    if (KEYWORDS.has(buf)) last = { tok: buf, lit: buf };
    else if (last) {
      l.pos--;
      break;
    }
  }
  return last ?? { tok: "error", lit: `error expected: keyword found '${buf}'` };
}

function lex(s: string): Item[] {
  const l: Lexer = { s, pos: 0 };
  const items: Item[] = [];
  for (;;) {
    let ch = read(l);
    while (isWhitespace(ch)) ch = read(l);
    if (ch === "\0") break;
    l.pos--;
    items.push(isSpecialSymbol(ch) ? scanSpecialSymbol(l) : scanIdOrKeyword(l));
  }
  items.push(EOS);
  return items;
}

class Parser {
  pos = 0;
  constructor(readonly items: Item[]) {}

  // In value position the keywords `in` and `notin` are plain identifiers.
  lookahead(values: boolean): Item {
    const item = this.items[this.pos] ?? EOS;
    return values && (item.tok === "in" || item.tok === "notin") ? { tok: "id", lit: item.lit } : item;
  }

  consume(values: boolean): Item {
    const item = this.lookahead(values);
    this.pos++;
    return item;
  }
}

function fail(message: string): never {
  throw new SelectorSyntaxError(message);
}

function parseAll(p: Parser): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (;;) {
    const { tok, lit } = p.lookahead(true);
    if (tok === "eos") return requirements;
    if (tok !== "id" && tok !== "!") fail(`found '${lit}', expected: !, identifier, or 'end of string'`);
    try {
      requirements.push(parseRequirement(p));
    } catch (e) {
      if (e instanceof SelectorSyntaxError) fail(`unable to parse requirement: ${e.message}`);
      throw e;
    }
    const next = p.consume(true);
    if (next.tok === "eos") return requirements;
    if (next.tok !== ",") fail(`found '${next.lit}', expected: ',' or 'end of string'`);
    const after = p.lookahead(true);
    if (after.tok !== "id" && after.tok !== "!") fail(`found '${after.lit}', expected: identifier after ','`);
  }
}

function parseRequirement(p: Parser): LabelRequirement {
  let unary: LabelOperator | undefined;
  let item = p.consume(true);
  if (item.tok === "!") {
    unary = "!";
    item = p.consume(true);
  }
  if (item.tok !== "id") fail(`found '${item.lit}', expected: identifier`);
  const key = item.lit;
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length) fail(`<nil>: Invalid value: ${goQuote(key)}: ${keyErrors.join("; ")}`);
  const next = p.lookahead(true).tok;
  if (!unary && (next === "eos" || next === ",")) unary = "exists";
  if (unary) return newRequirement(key, unary, [], false);

  const op = p.consume(false);
  const operator = BINARY_TOKENS[op.tok];
  if (!operator) fail(`found '${op.lit}', expected: ${BINARY_OPERATORS}`);
  const values = operator === "in" || operator === "notin" ? parseValueSet(p) : parseExactValue(p);
  return newRequirement(key, operator, [...new Set(values)].sort(), false);
}

function parseValueSet(p: Parser): string[] {
  const open = p.consume(true);
  if (open.tok !== "(") fail(`found '${open.lit}' expected: '('`);
  const first = p.lookahead(true);
  if (first.tok === ")") {
    p.consume(true);
    return [""];
  }
  if (first.tok !== "id" && first.tok !== ",") fail(`found '${first.lit}', expected: ',', ')' or identifier`);
  const values = parseIdentifierList(p);
  if (p.consume(true).tok !== ")") fail(`found '${first.lit}', expected: ')'`);
  return values;
}

// A comma-separated list where empty entries ("(,a)", "(a,,b)", "(a,)") stand for "".
function parseIdentifierList(p: Parser): string[] {
  const values: string[] = [];
  for (;;) {
    const item = p.consume(true);
    if (item.tok === "id") {
      values.push(item.lit);
      const next = p.lookahead(true);
      if (next.tok === ")") return values;
      if (next.tok !== ",") fail(`found '${next.lit}', expected: ',' or ')'`);
    } else if (item.tok === ",") {
      if (values.length === 0) values.push("");
      const next = p.lookahead(true).tok;
      if (next === ")") return [...values, ""];
      if (next === ",") {
        p.consume(true);
        values.push("");
      }
    } else {
      fail(`found '${item.lit}', expected: ',', or identifier`);
    }
  }
}

function parseExactValue(p: Parser): string[] {
  const next = p.lookahead(true).tok;
  if (next === "eos" || next === ",") return [""];
  const item = p.consume(true);
  if (item.tok !== "id") fail(`found '${item.lit}', expected: identifier`);
  return [item.lit];
}

function parseGoInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

// labels.NewRequirement: the field paths are relative to a nil root ("key", "values[0][k]").
function newRequirement(key: string, operator: LabelOperator, values: string[], checkKey: boolean): LabelRequirement {
  const errors: string[] = [];
  const invalid = (field: string, value: unknown, detail: string) =>
    errors.push(`${field}: Invalid value: ${typeof value === "string" ? goQuote(value) : goJson(value)}: ${detail}`);
  const keyErrors = checkKey ? isQualifiedName(key) : [];
  if (keyErrors.length) invalid("key", key, keyErrors.join("; "));
  const shown = values.length ? values : null;
  if ((operator === "in" || operator === "notin") && values.length === 0) {
    invalid("values", shown, "for 'in', 'notin' operators, values set can't be empty");
  } else if ((operator === "=" || operator === "==" || operator === "!=") && values.length !== 1) {
    invalid("values", shown, "exact-match compatibility requires one single value");
  } else if ((operator === "exists" || operator === "!") && values.length !== 0) {
    invalid("values", shown, "values set must be empty for exists and does not exist");
  } else if (operator === "gt" || operator === "lt") {
    if (values.length !== 1) invalid("values", shown, "for 'Gt', 'Lt' operators, exactly one value is required");
    values.forEach((v, i) => {
      if (parseGoInt64(v) === undefined) invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer");
    });
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) invalid(`values[${i}][${key}]`, v, msgs.join("; "));
  });
  const unique = [...new Set(errors)];
  if (unique.length === 1) throw new SelectorSyntaxError(unique[0]!);
  if (unique.length > 1) throw new SelectorSyntaxError(`[${unique.join(", ")}]`);
  return { key, operator, values };
}

function sortByKey(requirements: LabelRequirement[]): LabelRequirement[] {
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Parses a `labelSelector` string (labels.Parse). Throws a 400 BadRequest StatusError whose
 * message is upstream's, e.g. `unable to parse requirement: found '=', expected: identifier`.
 */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return { requirements: sortByKey(parseAll(new Parser(lex(text)))) };
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case "=":
    case "==":
    case "in":
      return has && r.values.includes(value!);
    case "!=":
    case "notin":
      return !has || !r.values.includes(value!);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      const actual = has ? parseGoInt64(value!) : undefined;
      const bound = r.values.length === 1 ? parseGoInt64(r.values[0]!) : undefined;
      if (actual === undefined || bound === undefined) return false;
      return r.operator === "gt" ? actual > bound : actual < bound;
    }
  }
}

/** True when every requirement holds for `labels` (absent labels behave as an empty set). */
export function matchLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (selector.nothing) return false;
  return selector.requirements.every((r) => requirementMatches(r, labels ?? {}));
}

/** True for the selector that restricts nothing (empty string, or `{}` as a metav1.LabelSelector). */
export function isEverything(selector: LabelSelector): boolean {
  return !selector.nothing && selector.requirements.length === 0;
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

/**
 * metav1.LabelSelectorAsSelector: `undefined`/`null` selects nothing, `{}` (no matchLabels and
 * no matchExpressions) selects everything. Invalid input throws a 400 with upstream's message.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): LabelSelector {
  if (sel == null) return { requirements: [], nothing: true };
  const matchLabels = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return { requirements: [] };
  try {
    const requirements = matchLabels.map(([k, v]) => newRequirement(k, "=", [v], true));
    for (const expr of expressions) {
      const operator = EXPRESSION_OPERATORS[expr.operator];
      if (!operator) throw badRequest(`${goQuote(String(expr.operator))} is not a valid label selector operator`);
      requirements.push(newRequirement(expr.key, operator, [...(expr.values ?? [])], true));
    }
    return { requirements: sortByKey(requirements) };
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
}

const OPERATOR_TEXT: Record<LabelOperator, string> = {
  "=": "=", "==": "==", "!=": "!=", in: " in ", notin: " notin ", gt: ">", lt: "<", exists: "", "!": "",
};

function formatRequirement(r: LabelRequirement): string {
  if (r.operator === "exists") return r.key;
  if (r.operator === "!") return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(",");
  const set = r.operator === "in" || r.operator === "notin";
  return `${r.key}${OPERATOR_TEXT[r.operator]}${set ? `(${values})` : values}`;
}

/** The canonical string (Selector.String()): requirements by key, set values sorted; "" for nothing. */
export function formatLabelSelector(selector: LabelSelector): string {
  if (selector.nothing) return "";
  return selector.requirements.map(formatRequirement).join(",");
}

/** The value an `=`, `==` or single-valued `in` requirement on `key` demands (RequiresExactMatch). */
export function labelSelectorRequires(selector: LabelSelector, key: string): string | undefined {
  const r = selector.requirements.find((req) => req.key === key);
  if (!r || !["=", "==", "in"].includes(r.operator) || r.values.length !== 1) return undefined;
  return r.values[0];
}
