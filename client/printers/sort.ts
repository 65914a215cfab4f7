// --sort-by: ordering objects by a JSONPath field as kubectl does. Values compare as numbers,
// as Kubernetes quantities when both parse (`100m` < `1` < `500Mi`), otherwise as strings;
// an object without the field sorts before the one it is compared with. kubectl uses Go's
// stable sort with that (not strictly consistent) comparison, so the same algorithm is used
// here to give the same order.

import { JsonPathTemplate } from "../jsonpath/index.ts";
import { findResults } from "../jsonpath/eval.ts";
import { parseTemplate } from "../jsonpath/parser.ts";

/** kubectl's relaxed field syntax: `a.b`, `.a.b`, `{a.b}`, `{.a.b}` all mean `{.a.b}`. */
export function relaxedJsonPath(expr: string): string {
  if (expr === "") return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] ?? m[2]}}`;
}

/** Values of a kind kubectl cannot order (lists, maps); kubectl stops with a fatal log line. */
export class UnsortableError extends Error {}

/**
 * Sorts `items` in place by the field `expr` (already relaxed), reading each item through
 * `view`; throws kubectl's error when no item has the field.
 */
export function sortByField<T>(items: T[], expr: string, view: (item: T) => unknown): void {
  new JsonPathTemplate(expr); // reports template syntax errors with kubectl's wording
  const nodes = parseTemplate(expr);
  const keys = items.map((item) => {
    const results = findResults(nodes, view(item), { allowMissingKeys: true });
    return results[0]?.length ? { value: results[0][0] } : undefined;
  });
  if (items.length > 0 && keys.every((k) => k === undefined)) {
    throw new Error(`couldn't find any field with path ${JSON.stringify(expr)} in the list of objects`);
  }
  const order = items.map((_, i) => i);
  stableSort(order, (a, b) => less(keys[a], keys[b], expr));
  const sorted = order.map((i) => items[i]!);
  for (let i = 0; i < items.length; i++) items[i] = sorted[i]!;
}

function less(a: { value: unknown } | undefined, b: { value: unknown } | undefined, expr: string): boolean {
  if (!a) return true;
  if (!b) return false;
  const x = a.value;
  const y = b.value;
  if (typeof x === "number" && typeof y === "number") return x < y;
  if (typeof x === "boolean" && typeof y === "boolean") return !x && y;
  if (typeof x === "string" && typeof y === "string") {
    const qx = parseQuantity(x);
    const qy = parseQuantity(y);
    if (qx !== undefined && qy !== undefined) return qx < qy;
    return x < y;
  }
  const kind = (v: unknown) => (Array.isArray(v) ? "[]interface {}" : v === null ? "nil" : typeof v === "object" ? "map[string]interface {}" : typeof v);
  if (kind(x) !== kind(y)) throw new UnsortableError(`Field ${expr} in [][][]reflect.Value is an unsortable type: interface, err: unsortable interface: ${kind(x)}`);
  throw new UnsortableError(`Field ${expr} in [][][]reflect.Value is an unsortable type: interface, err: unsortable type: ${kind(x)}`);
}

const SUFFIX: Record<string, number> = {
  "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity (`1.5Gi`, `100m`, `1e3`), or undefined when it is not one. */
export function parseQuantity(s: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([numkMGTPE]|[KMGTPE]i)|[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  return n * SUFFIX[m[2] ?? ""]!;
}

/** Go's sort.Stable: insertion sort on blocks of 20, then in-place symmetric merges. */
export function stableSort<T>(data: T[], lessFn: (a: T, b: T) => boolean): void {
  const lt = (i: number, j: number) => lessFn(data[i]!, data[j]!);
  const swap = (i: number, j: number) => {
    const t = data[i]!;
    data[i] = data[j]!;
    data[j] = t;
  };
  const insertion = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lt(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lt(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  const n = data.length;
  let block = 20;
  let a = 0;
  let b = block;
  while (b <= n) {
    insertion(a, b);
    a = b;
    b += block;
  }
  insertion(a, n);
  while (block < n) {
    a = 0;
    b = 2 * block;
    while (b <= n) {
      symMerge(a, a + block, b);
      a = b;
      b += 2 * block;
    }
    const m = a + block;
    if (m < n) symMerge(a, m, n);
    block *= 2;
  }
}
