// Evaluating parsed JSONPath templates over JSON values with client-go's semantics: each
// action yields a list of results printed space-separated; missing keys yield nothing when
// allowed; out-of-range indexes are errors; a range runs its body once per result.

import { goJson } from "../printers/go-json.ts";
import type { Operand, Step, TemplateNode } from "./parser.ts";

/** An evaluation failure, worded as client-go words it. */
export class JsonPathError extends Error {}

/** Evaluation settings. */
export interface EvalOptions {
  /** kubectl's --allow-missing-template-keys (default true). */
  allowMissingKeys: boolean;
}

/** The results of every action of the template, in order (text nodes included). */
export function findResults(nodes: TemplateNode[], data: unknown, opts: EvalOptions): unknown[][] {
  const out: unknown[][] = [];
  for (const node of nodes) {
    if (node.kind === "text") out.push([node.text]);
    else if (node.kind === "path") out.push(evalPath(node.steps, [data], data, opts));
    else if (node.kind === "end") throw new JsonPathError("not in range, nothing to end");
    else for (const item of evalPath(node.steps, [data], data, opts)) out.push(...findResults(node.body, item, opts));
  }
  return out;
}

/** Renders one action's results: strings raw, objects and arrays as compact JSON, joined by spaces. */
export function printResults(results: unknown[]): string {
  return results.map(textOf).join(" ");
}

function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "object") return goJson(v, "");
  if (typeof v === "number") return goFormatNumber(v);
  return String(v);
}

/** fmt.Print of a float64 (%v): shortest form, exponent past 1e21 or below 1e-4. */
export function goFormatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(n);
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function evalPath(steps: Step[], input: unknown[], root: unknown, opts: EvalOptions): unknown[] {
  let cur = input;
  for (const step of steps) cur = evalStep(step, cur, root, opts);
  return cur;
}

function evalStep(step: Step, input: unknown[], root: unknown, opts: EvalOptions): unknown[] {
  switch (step.kind) {
    case "root":
      return [root];
    case "current":
      return input;
    case "field":
      return evalField(step.names, input, opts);
    case "wildcard":
      return input.flatMap((v) => (Array.isArray(v) ? v : isMap(v) ? Object.values(v) : []));
    case "recursive":
      return input.flatMap(descendants);
    case "slice":
      return input.flatMap((v) => evalSlice(step, v));
    case "union":
      return step.steps.flatMap((s) => evalStep(s, input, root, opts));
    case "filter":
      return input.flatMap((v) => evalFilter(step, v, root, opts));
  }
}

function evalField(names: string[], input: unknown[], opts: EvalOptions): unknown[] {
  const out: unknown[] = [];
  for (const v of input) {
    if (!isMap(v)) continue;
    for (const name of names) if (Object.hasOwn(v, name)) out.push(v[name]);
  }
  if (out.length === 0 && !opts.allowMissingKeys) throw new JsonPathError(`${names.join(",")} is not found`);
  return out;
}

// The value itself, then everything below it (maps and arrays), depth first.
function descendants(v: unknown): unknown[] {
  const children = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : [];
  if (children.length === 0) return [];
  return [v, ...children.flatMap(descendants)];
}

function evalSlice(step: Extract<Step, { kind: "slice" }>, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new JsonPathError(`${describe(v)} is not array or slice`);
  const len = v.length;
  let start = step.start ?? 0;
  let end = step.end ?? len;
  if (start < 0) start += len;
  if (end < 0 || (step.exact && end === 0)) end += len;
  if (start === end) return [];
  if (start >= len || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`);
  if (end > len || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${len}`);
  if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
  const part = v.slice(start, end);
  if (step.step === undefined) return part;
  if (step.step <= 0) throw new JsonPathError("step must be > 0");
  return part.filter((_, i) => i % step.step! === 0);
}

function evalFilter(step: Extract<Step, { kind: "filter" }>, v: unknown, root: unknown, opts: EvalOptions): unknown[] {
  if (!Array.isArray(v)) throw new JsonPathError(`${describe(v)} is not array or slice and cannot be filtered`);
  const lenient = { ...opts, allowMissingKeys: true };
  return v.filter((item) => {
    const lefts = evalPath(step.left, [item], root, lenient);
    if (!step.op) return lefts.length > 0;
    if (lefts.length === 0) return false;
    if (lefts.length > 1) throw new JsonPathError("can only compare one element at a time");
    const rights = operand(step.right!, item, root, lenient);
    if (rights.length === 0) return false;
    return compare(lefts[0], step.op, rights[0]);
  });
}

function operand(o: Operand, item: unknown, root: unknown, opts: EvalOptions): unknown[] {
  return o.kind === "value" ? [o.value] : evalPath(o.steps, [item], root, opts);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case "==":
      return equal(a, b);
    case "!=":
      return !equal(a, b);
  }
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) {
    throw new JsonPathError(`incompatible types for comparison`);
  }
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === ">" ? x > y : op === "<=" ? x <= y : x >= y;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function describe(v: unknown): string {
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:…`).join(" ")}]`;
  return textOf(v);
}
