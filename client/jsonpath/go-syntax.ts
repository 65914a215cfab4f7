// Go's `%#v` rendering of decoded JSON (map[string]interface {}, []interface {}), which
// kubectl shows when a JSONPath template fails.

/** The value as Go's fmt prints it with `%#v`. */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(", ")}}`;
  const entries = Object.keys(v as object)
    .sort()
    .map((k) => `${goQuote(k)}:${goSyntax((v as Record<string, unknown>)[k])}`);
  return `map[string]interface {}{${entries.join(", ")}}`;
}

/** strconv.Quote: printable Unicode kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}
