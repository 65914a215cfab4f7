// Parser for kubectl's JSONPath templates: literal text with `{…}` actions holding paths
// (`.a.b`, `['k']`, `[0]`, `[-1:]`, `[1:5:2]`, `[*]`, `..name`, `[?(@.x=="y")]`, `[0,2]`),
// quoted strings (`{"\n"}`), and `{range …}…{end}` blocks.

/** One step of a path. */
export type Step =
  | { kind: "root" }
  | { kind: "current" }
  | { kind: "field"; names: string[] }
  | { kind: "wildcard" }
  | { kind: "recursive" }
  | { kind: "slice"; start?: number; end?: number; step?: number; exact: boolean }
  | { kind: "filter"; left: Step[]; op?: string; right?: Operand }
  | { kind: "union"; steps: Step[] };

/** The right side of a filter comparison. */
export type Operand = { kind: "path"; steps: Step[] } | { kind: "value"; value: string | number | boolean | null };

/** A parsed template node. */
export type TemplateNode =
  | { kind: "text"; text: string }
  | { kind: "path"; steps: Step[] }
  | { kind: "range"; steps: Step[]; body: TemplateNode[] }
  | { kind: "end" };

/** A template syntax error; the message is client-go's wording where known. */
export class JsonPathParseError extends Error {}

/** Parses a whole template. */
export function parseTemplate(template: string): TemplateNode[] {
  const actions = splitActions(template);
  const root: TemplateNode[] = [];
  const stack: { body: TemplateNode[] }[] = [{ body: root }];
  for (const a of actions) {
    const top = stack[stack.length - 1]!.body;
    if (a.text !== undefined) {
      if (a.text) top.push({ kind: "text", text: a.text });
      continue;
    }
    const inner = a.action!.trim();
    if (inner === "end") {
      // An unmatched end fails when executed, not when parsed.
      if (stack.length === 1) top.push({ kind: "end" });
      else stack.pop();
    } else if (/^range\s/.test(inner) || inner === "range") {
      const node: TemplateNode = { kind: "range", steps: parsePath(inner.slice(5).trim()), body: [] };
      top.push(node);
      stack.push(node as { body: TemplateNode[] });
    } else if (/^["']/.test(inner)) {
      top.push({ kind: "text", text: unquote(inner) });
    } else {
      if (splitTopLevel(inner, ",").length > 1) throw new JsonPathParseError("unrecognized character in action: U+002C ','");
      top.push({ kind: "path", steps: parsePath(inner) });
    }
  }
  return root;
}

// Text and `{…}` actions; braces inside quotes do not count.
function splitActions(t: string): { text?: string; action?: string }[] {
  const out: { text?: string; action?: string }[] = [];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf("{", i);
    if (open < 0) {
      out.push({ text: t.slice(i) });
      break;
    }
    out.push({ text: t.slice(i, open) });
    let j = open + 1;
    let quote = "";
    for (; j < t.length; j++) {
      const c = t[j]!;
      if (quote) {
        if (c === "\\") j++;
        else if (c === quote) quote = "";
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "}") break;
    }
    if (j >= t.length) {
      // Report what is wrong inside the action first, as client-go does.
      parsePath(t.slice(open + 1));
      throw new JsonPathParseError("unclosed action");
    }
    out.push({ action: t.slice(open + 1, j) });
    i = j + 1;
  }
  return out;
}

/** Parses a path such as `.items[*].metadata.name` or `@.status`. */
export function parsePath(src: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " ") {
      i++;
    } else if (c === "$") {
      steps.push({ kind: "root" });
      i++;
    } else if (c === "@") {
      steps.push({ kind: "current" });
      i++;
    } else if (c === "." && src[i + 1] === ".") {
      steps.push({ kind: "recursive" });
      i++;
    } else if (c === ".") {
      i++;
      if (src[i] === "*") {
        steps.push({ kind: "wildcard" });
        i++;
        continue;
      }
      const { name, next } = readName(src, i);
      if (name !== "") steps.push({ kind: "field", names: [name] });
      i = next;
    } else if (c === "[") {
      const close = matchingBracket(src, i);
      steps.push(parseBracket(src.slice(i + 1, close)));
      i = close + 1;
    } else if (c === "*") {
      steps.push({ kind: "wildcard" });
      i++;
    } else {
      const { name, next } = readName(src, i);
      if (name === "") throw new JsonPathParseError(`unrecognized character in action: ${JSON.stringify(c)}`);
      steps.push({ kind: "field", names: [name] });
      i = next;
    }
  }
  return steps;
}

// A field name runs to the next `.` or `[`; `\.` keeps a dot inside the name.
function readName(src: string, i: number): { name: string; next: number } {
  let name = "";
  for (; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\" && i + 1 < src.length) {
      name += src[++i];
      continue;
    }
    if (c === "." || c === "[" || c === " " || "=!<>()".includes(c)) break;
    name += c;
  }
  return { name, next: i };
}

function matchingBracket(src: string, open: number): number {
  let depth = 0;
  let quote = "";
  for (let j = open; j < src.length; j++) {
    const c = src[j]!;
    if (quote) {
      if (c === "\\") j++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return j;
  }
  throw new JsonPathParseError("unterminated array");
}

function parseBracket(body: string): Step {
  const b = body.trim();
  if (b.startsWith("?(")) {
    if (!b.endsWith(")")) throw new JsonPathParseError("unclosed filter expect )");
    return parseFilter(b.slice(2, -1));
  }
  if (b === "*") return { kind: "wildcard" };
  const parts = splitTopLevel(b, ",").map((p) => p.trim());
  if (parts.every((p) => /^'.*'$/s.test(p))) return { kind: "field", names: parts.map(unquote) };
  if (parts.length > 1) return { kind: "union", steps: parts.map(parseBracket) };
  const nums = b.split(":");
  const bad = nums.find((n) => n.trim() !== "" && !/^-?\d+$/.test(n.trim()));
  if (nums.length > 3 || bad !== undefined) throw new JsonPathParseError(`invalid array index ${bad === undefined ? b : JSON.stringify(unquoteLoose(bad.trim()))}`);
  const num = (s: string | undefined) => (s === undefined || s.trim() === "" ? undefined : Number(s));
  if (nums.length === 1) {
    if (b === "") throw new JsonPathParseError("invalid array index");
    const n = Number(b);
    return { kind: "slice", start: n, end: n + 1, exact: true };
  }
  return { kind: "slice", start: num(nums[0]), end: num(nums[1]), step: num(nums[2]), exact: false };
}

function unquoteLoose(s: string): string {
  return /^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

function parseFilter(expr: string): Step {
  if (/=~/.test(expr)) throw new JsonPathParseError("unrecognized character in action: U+007E '~'");
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/s.exec(expr);
  if (!m) return { kind: "filter", left: parsePath(expr.trim()) };
  return { kind: "filter", left: parsePath(m[1]!.trim()), op: m[2], right: parseOperand(m[3]!.trim()) };
}

function parseOperand(s: string): Operand {
  if (/^["']/.test(s)) return { kind: "value", value: unquote(s) };
  if (/^-?\d+(\.\d+)?$/.test(s)) return { kind: "value", value: Number(s) };
  if (s === "true" || s === "false") return { kind: "value", value: s === "true" };
  if (s === "nil" || s === "null") return { kind: "value", value: null };
  return { kind: "path", steps: parsePath(s) };
}

/** Splits at `sep` outside quotes, brackets and parentheses. */
function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

// Go's strconv.Unquote for double quotes; single quotes hold text as is (`\'` escapes).
function unquote(q: string): string {
  const quote = q[0]!;
  if (q.length < 2 || q[q.length - 1] !== quote) throw new JsonPathParseError(`unterminated quoted string in ${q}`);
  const body = q.slice(1, -1);
  if (quote === "'") return body.replace(/\\'/g, "'");
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", '"': '"', "'": "'" };
    if (e.length === 1) return simple[e] ?? `\\${e}`;
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return String.fromCodePoint(parseInt(e.slice(1), 16));
  });
}
