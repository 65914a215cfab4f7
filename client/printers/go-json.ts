// JSON text as Go's encoding/json writes it for kubectl: object keys sorted, `<`, `>`, `&`,
// U+2028 and U+2029 escaped, four-space indentation for `-o json` (compact for watch events).

/** Marshals like json.MarshalIndent(v, "", "    ") when `indent` is set, json.Marshal otherwise. */
export function goJson(value: unknown, indent = "    "): string {
  return encode(value, indent, "");
}

/** Go's string literal encoding, HTML-safe. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function encode(v: unknown, indent: string, prefix: string): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "number") return goNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  const inner = prefix + indent;
  const nl = indent ? "\n" : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[${nl}${v.map((x) => inner + encode(x, indent, inner)).join(`,${nl}`)}${nl}${prefix}]`;
  }
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) return "{}";
  keys.sort(byteOrder);
  const sep = indent ? ": " : ":";
  return `{${nl}${keys.map((k) => `${inner}${goJsonString(k)}${sep}${encode((v as Record<string, unknown>)[k], indent, inner)}`).join(`,${nl}`)}${nl}${prefix}}`;
}

/** Go sorts map keys by bytes; UTF-16 order agrees except for astral vs. U+E000–U+FFFF. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Integers print in full; other floats like Go's 'g'-ish float64 encoding (exponent beyond 1e21).
function goNumber(n: number): string {
  if (!Number.isFinite(n)) return "null";
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n.toExponential();
  }
  return String(n);
}
