// Go's `%v` rendering of decoded JSON values (map[string]interface{}, []interface{}, scalars).
// Upstream error messages embed patch documents printed this way, e.g.
// `map[spec:map[containers:[map[image:nginx name:c]]]]`.

/** Formats a JSON value as Go's fmt `%v` prints the equivalent interface{} value. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${goFormat((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(" ")}]`;
  }
  if (typeof value === "number") return goNumber(value);
  return String(value);
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    // Go writes at least two exponent digits: 1e-05, 1.5e+21.
    const [mantissa, e] = n.toExponential().split("e");
    const sign = e.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${e.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  return String(n);
}
