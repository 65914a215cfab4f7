// Go's time.ParseDuration and Duration.String, because kubectl users write durations the Go
// way (`--request-timeout=1m30s`, `--since=500ms`) and the server expects `timeout=1m30s`.

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3, // micro sign
  "\u03bcs": 1e3, // Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Thrown with Go's exact wording, e.g. `time: invalid duration "x"`. */
export class DurationError extends Error {}

/** Parses a Go duration string ("1h30m", "-1.5s", "0") into milliseconds. */
export function parseGoDuration(input: string): number {
  const quoted = JSON.stringify(input);
  let s = input;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw new DurationError(`time: invalid duration ${quoted}`);
  let totalNs = 0;
  while (s !== "") {
    const num = /^(\d*)(\.\d*)?/.exec(s)!;
    const [whole, intPart, fracPart = ""] = num;
    if (intPart === "" && fracPart.length <= 1) throw new DurationError(`time: invalid duration ${quoted}`);
    s = s.slice(whole.length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === "") throw new DurationError(`time: missing unit in duration ${quoted}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new DurationError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    s = s.slice(unit.length);
    totalNs += Number(`${intPart || "0"}${fracPart}`) * scale;
  }
  if (totalNs > 9223372036854775807) throw new DurationError(`time: invalid duration ${quoted}`);
  const ms = totalNs / 1e6;
  return negative ? -ms : ms;
}

/** Formats milliseconds the way Go prints a time.Duration: "0s", "500ms", "1.5s", "1m30s", "1h0m0s". */
export function formatGoDuration(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  ns = Math.abs(ns);
  if (ns < 1e9) {
    if (ns < 1e3) return `${sign}${ns}ns`;
    if (ns < 1e6) return `${sign}${trimFraction(ns / 1e3)}\u00b5s`;
    return `${sign}${trimFraction(ns / 1e6)}ms`;
  }
  const hours = Math.floor(ns / 3600e9);
  ns -= hours * 3600e9;
  const minutes = Math.floor(ns / 60e9);
  ns -= minutes * 60e9;
  const seconds = `${trimFraction(ns / 1e9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function trimFraction(n: number): string {
  return String(Number(n.toFixed(9)));
}
