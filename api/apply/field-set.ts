// Sets of field paths, the unit of ownership in server-side apply. A set is a tree keyed by
// path elements written as in `fieldsV1`: `f:<field>`, `k:<json key fields>` (list item by
// key), `v:<json value>` (set item) and `i:<index>`. A path belongs to the set when the last
// element is a member of its parent node; children hold deeper paths.

/** A set of field paths. */
export interface FieldSet {
  members: Set<string>;
  children: Map<string, FieldSet>;
}

/** An empty set. */
export function emptySet(): FieldSet {
  return { members: new Set(), children: new Map() };
}

/** Whether the set holds no path. Sets never keep empty child nodes, so this is O(1). */
export function isEmpty(s: FieldSet): boolean {
  return s.members.size === 0 && s.children.size === 0;
}

/** The child node for `element`, created when missing (callers must put a path in it). */
export function childOf(s: FieldSet, element: string): FieldSet {
  let child = s.children.get(element);
  if (!child) s.children.set(element, (child = emptySet()));
  return child;
}

/** Sets `child` under `element` unless it is empty. */
export function attach(s: FieldSet, element: string, child: FieldSet): void {
  if (!isEmpty(child)) s.children.set(element, child);
}

/** Inserts one path (a list of elements). */
export function insertPath(s: FieldSet, path: string[]): void {
  let node = s;
  for (let i = 0; i < path.length - 1; i++) node = childOf(node, path[i]);
  if (path.length) node.members.add(path[path.length - 1]);
}

/** Whether the set holds `path`. */
export function hasPath(s: FieldSet, path: string[]): boolean {
  let node: FieldSet | undefined = s;
  for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
  return Boolean(node && path.length && node.members.has(path[path.length - 1]));
}

/** a ∪ b. */
export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members, ...b.members]), children: new Map() };
  for (const k of new Set([...a.children.keys(), ...b.children.keys()])) {
    const x = a.children.get(k);
    const y = b.children.get(k);
    out.children.set(k, x && y ? union(x, y) : copySet((x ?? y)!));
  }
  return out;
}

/** a ∩ b. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members].filter((m) => b.members.has(m))), children: new Map() };
  for (const [k, x] of a.children) {
    const y = b.children.get(k);
    if (y) attach(out, k, intersection(x, y));
  }
  return out;
}

/** a − b, path by path (a member of b does not remove a's deeper paths). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(b)) return a;
  const out: FieldSet = { members: new Set([...a.members].filter((m) => !b.members.has(m))), children: new Map() };
  for (const [k, x] of a.children) {
    const y = b.children.get(k);
    attach(out, k, y ? difference(x, y) : x);
  }
  return out;
}

/** a − b, where a member of b also removes everything below it in a. */
export function recursiveDifference(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(b)) return a;
  const out: FieldSet = { members: new Set([...a.members].filter((m) => !b.members.has(m))), children: new Map() };
  for (const [k, x] of a.children) {
    if (b.members.has(k)) continue;
    const y = b.children.get(k);
    attach(out, k, y ? recursiveDifference(x, y) : x);
  }
  return out;
}

/** A deep copy. */
export function copySet(s: FieldSet): FieldSet {
  return { members: new Set(s.members), children: new Map([...s.children].map(([k, v]) => [k, copySet(v)])) };
}

const kindRank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Sorts path elements as structured-merge-diff orders them: fields, keys, values, indexes. */
export function sortElements(elements: Iterable<string>): string[] {
  const list = [...elements];
  if (list.every((e) => e.startsWith("f:"))) return sortStrings(list);
  const decorated = list.map((e) => ({ e, rank: kindRank[e[0]] ?? 4, key: sortKey(e) }));
  decorated.sort((a, b) => a.rank - b.rank || compareKeyed(a.key, b.key));
  return decorated.map((d) => d.e);
}

function sortKey(e: string): unknown {
  if (e[0] === "i") return Number(e.slice(2));
  if (e[0] === "k") {
    const key = JSON.parse(e.slice(2)) as Record<string, unknown>;
    return Object.keys(key)
      .sort()
      .map((k) => [k, key[k]]);
  }
  if (e[0] === "v") return JSON.parse(e.slice(2));
  return e;
}

function compareKeyed(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const [na, va] = a[i] as [string, unknown];
      const [nb, vb] = b[i] as [string, unknown];
      if (na !== nb) return na < nb ? -1 : 1;
      const c = compareValues(va, vb);
      if (c) return c;
    }
    return a.length - b.length;
  }
  return compareValues(a, b);
}

/**
 * Sorts strings in place by UTF-16 code units, as the default sort does; an insertion sort,
 * faster than the built-in one for the few keys of one object.
 */
export function sortStrings(list: string[]): string[] {
  for (let i = 1; i < list.length; i++) {
    const s = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > s) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = s;
  }
  return list;
}

/** The order of set items and key values: null, booleans, numbers, strings, then the rest by JSON text. */
export function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" ? 2 : typeof v === "string" ? 3 : 4);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = typeof a === "string" ? a : JSON.stringify(a);
  const sb = typeof b === "string" ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The set as a fieldsV1 document (`{"f:spec":{"f:replicas":{}}}`), elements sorted; `member` adds ".". */
export function toFieldsV1(s: FieldSet, member = false): Record<string, unknown> {
  const out: Record<string, unknown> = member ? { ".": {} } : {};
  const elements = [...s.members];
  for (const k of s.children.keys()) if (!s.members.has(k)) elements.push(k);
  for (const e of sortElements(elements)) {
    const child = s.children.get(e);
    if (!child) out[e] = {};
    else out[e] = toFieldsV1(child, s.members.has(e));
  }
  return out;
}

/** Parses a fieldsV1 document; anything that is not an object is an error. */
export function fromFieldsV1(doc: unknown): FieldSet {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new Error("fieldsV1 must be an object");
  const s = emptySet();
  for (const [e, value] of Object.entries(doc as Record<string, unknown>)) {
    if (e === ".") continue;
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`fieldsV1: ${e} must be an object`);
    const keys = Object.keys(value);
    if (!keys.length || keys.includes(".")) s.members.add(e);
    if (keys.some((k) => k !== ".")) attach(s, e, fromFieldsV1(value));
  }
  return s;
}

/** Every path of the set: a node's members first, then its children, each in element order. */
export function paths(s: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const m of sortElements(s.members)) out.push([...prefix, m]);
  for (const k of sortElements(s.children.keys())) out.push(...paths(s.children.get(k)!, [...prefix, k]));
  return out;
}

/** A path as structured-merge-diff prints it: `.spec.containers[name="c"].image`. */
export function formatPath(path: string[]): string {
  return path
    .map((e) => {
      const body = e.slice(2);
      if (e.startsWith("f:")) return `.${body}`;
      if (e.startsWith("i:")) return `[${body}]`;
      if (e.startsWith("v:")) return `[=${formatValue(JSON.parse(body))}]`;
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.keys(key)
        .sort()
        .map((k) => `${k}=${formatValue(key[k])}`)
        .join(",")}]`;
    })
    .join("");
}

function formatValue(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
