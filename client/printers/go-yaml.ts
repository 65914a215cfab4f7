// kubectl's `-o yaml` text: JSON values laid out as go-yaml v2 lays them out (block style,
// 2-space indent, sequences not indented under their key, keys in go-yaml's order).

import { yamlString } from "./go-yaml-scalar.ts";

/** The YAML document for a JSON value, ending with a newline. */
export function goYaml(value: unknown): string {
  const out: string[] = [];
  if (isMap(value) && Object.keys(value).length) writeMapEntries(value, 0, 0, out, "");
  else if (Array.isArray(value) && value.length) writeSeqItems(value, 0, out, "");
  else out.push(`${inline(value, 0, 0)}\n`);
  return out.join("");
}

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isEmptyish(v: unknown): boolean {
  return !(isMap(v) && Object.keys(v).length > 0) && !(Array.isArray(v) && v.length > 0);
}

// A scalar, `{}` or `[]` written at `column`, continuation lines at `indent`.
function inline(v: unknown, column: number, indent: number): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return yamlString(v, { column, indent, simpleKey: false });
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "[]";
  return "{}";
}

// `first` is what already stands on the first entry's line (`- ` of a sequence item).
function writeMapEntries(map: Json, indent: number, firstColumn: number, out: string[], first: string): void {
  const keys = sortKeys(Object.keys(map).filter((k) => map[k] !== undefined));
  keys.forEach((key, i) => {
    const lead = i === 0 ? first : " ".repeat(indent);
    const column = i === 0 ? firstColumn : indent;
    const value = map[key];
    if (!isSimpleKey(key)) {
      out.push(`${lead}? ${yamlString(key, { column: column + 2, indent: indent + 2, simpleKey: false })}\n`);
      writeItem(value, indent, out, `${" ".repeat(indent)}: `);
      return;
    }
    const k = yamlString(key, { column, indent: indent + 2, simpleKey: true });
    const prefix = `${lead}${k}:`;
    if (isEmptyish(value)) {
      out.push(`${prefix} ${inline(value, column + [...k].length + 2, indent + 2)}\n`);
    } else if (Array.isArray(value)) {
      out.push(`${prefix}\n`);
      writeSeqItems(value, indent, out, " ".repeat(indent));
    } else {
      out.push(`${prefix}\n`);
      writeMapEntries(value as Json, indent + 2, indent + 2, out, " ".repeat(indent + 2));
    }
  });
}

// go-yaml's order is not transitive for some digit/letter mixes, so small maps are sorted the
// way Go's sort.Sort sorts up to 12 elements (insertion sort) to give the same result.
function sortKeys(keys: string[]): string[] {
  if (keys.length > 12) return keys.sort(yamlKeyOrder);
  for (let i = 1; i < keys.length; i++) {
    for (let j = i; j > 0 && yamlKeyLess(keys[j]!, keys[j - 1]!); j--) [keys[j], keys[j - 1]] = [keys[j - 1]!, keys[j]!];
  }
  return keys;
}

// go-yaml writes a key longer than 128 bytes, or spanning lines, as `? key` / `: value`.
function isSimpleKey(key: string): boolean {
  return Buffer.byteLength(key) <= 128 && !/[\n\r\u0085\u2028\u2029]/.test(key);
}

function writeSeqItems(items: unknown[], indent: number, out: string[], first: string): void {
  items.forEach((item, i) => writeItem(item, indent, out, `${i === 0 ? first : " ".repeat(indent)}- `));
}

// A value after `- ` (or `: ` of a complex key) standing at `indent`.
function writeItem(item: unknown, indent: number, out: string[], lead: string): void {
  if (isEmptyish(item)) out.push(`${lead}${inline(item, indent + 2, indent + 2)}\n`);
  else if (Array.isArray(item)) writeSeqItems(item, indent + 2, out, lead);
  else writeMapEntries(item as Json, indent + 2, indent + 2, out, lead);
}

// go-yaml's float formatting is strconv 'g' (shortest); integers print in full.
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  if (Number.isNaN(n)) return ".nan";
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(n);
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/**
 * go-yaml's key order: letters by code point, non-letters before letters, and runs of
 * digits compared as numbers (so `a2` < `a10`).
 */
export function yamlKeyOrder(a: string, b: string): number {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : 1;
}

function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}
