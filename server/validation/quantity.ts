// resource.Quantity as its JSON decoder sees it: a string (or bare number) with a decimal or
// binary suffix. Errors carry upstream's wording because they reach clients verbatim.

const formatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const shape = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const suffixes = new Set(["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"]);

/** The decode error for a quantity string, or undefined when it parses. */
export function quantityError(text: string): string | undefined {
  const m = shape.exec(text);
  if (!m) return formatError;
  const [, numeric, suffix] = m;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(numeric)) return "unable to parse quantity's numeric part";
  if (!suffixes.has(suffix) && !/^[eE][-+]?\d+$/.test(suffix)) return "unable to parse quantity's suffix";
  return undefined;
}

/** A JSON value decoded as a quantity: its string form, or an error message. */
export function decodeQuantity(value: unknown): { value: string } | { error: string } {
  if (typeof value === "number") return Number.isFinite(value) ? { value: numberQuantity(value) } : { error: formatError };
  if (typeof value !== "string") return { error: formatError };
  const error = quantityError(value);
  return error ? { error } : { value };
}

/** A bare JSON number in the canonical form Go's Quantity writes it back (0.5 → "500m"). */
function numberQuantity(n: number): string {
  if (Number.isInteger(n)) return String(n);
  for (const [scale, suffix] of [[1e3, "m"], [1e6, "u"], [1e9, "n"]] as const) {
    const scaled = Math.round(n * scale);
    if (Math.abs(scaled - n * scale) < 1e-6) return `${scaled}${suffix}`;
  }
  return String(n);
}
