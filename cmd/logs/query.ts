// The query of a pods/log request as kubectl builds it (keys in Go's sorted order), and
// --since-time parsed as Go's time.Parse(RFC3339) parses it, with its error wording.

/** The log options the flags ask for. */
export interface LogQueryOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  insecureSkipTlsVerifyBackend: boolean;
  /** 0: no limit. */
  limitBytes: number;
  /** 0: unset. */
  sinceMs: number;
  /** Milliseconds since the epoch, whole seconds. */
  sinceTime?: number;
  /** -1: all lines. */
  tail: number;
}

/** Query parameters except `container`, which each request adds first. */
export function buildQuery(o: LogQueryOptions): [string, string][] {
  const q: [string, string][] = [];
  if (o.follow) q.push(["follow", "true"]);
  if (o.insecureSkipTlsVerifyBackend) q.push(["insecureSkipTLSVerifyBackend", "true"]);
  if (o.limitBytes !== 0) q.push(["limitBytes", String(o.limitBytes)]);
  if (o.previous) q.push(["previous", "true"]);
  // kubectl rounds the duration to whole seconds, halves away from zero.
  if (o.sinceMs !== 0) q.push(["sinceSeconds", String(Math.sign(o.sinceMs) * Math.round(Math.abs(o.sinceMs) / 1000))]);
  if (o.sinceTime !== undefined) q.push(["sinceTime", new Date(o.sinceTime).toISOString().replace(/\.\d{3}Z$/, "Z")]);
  if (o.tail !== -1) q.push(["tailLines", String(o.tail)]);
  if (o.timestamps) q.push(["timestamps", "true"]);
  return q;
}

const LAYOUT = "2006-01-02T15:04:05Z07:00";

// RFC3339 as Go's layout walker sees it: each element, the text it must match, and the
// layout text reported when it does not.
const ELEMENTS: [RegExp, string][] = [
  [/^\d{4}/, "2006"],
  [/^-/, "-"],
  [/^\d{2}/, "01"],
  [/^-/, "-"],
  [/^\d{2}/, "02"],
  [/^T/, "T"],
  [/^\d{2}/, "15"],
  [/^:/, ":"],
  [/^\d{2}/, "04"],
  [/^:/, ":"],
  [/^\d{2}(?:[.,]\d+)?/, "05"],
  [/^(?:Z|[+-]\d{2}:\d{2})/, "Z07:00"],
];

/** Parses an RFC3339 time to epoch milliseconds truncated to the second; throws Go's message. */
export function parseSinceTime(value: string): number {
  let rest = value;
  const parts: string[] = [];
  for (const [re, layout] of ELEMENTS) {
    const m = re.exec(rest);
    if (!m) throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(LAYOUT)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(layout)}`);
    parts.push(m[0]);
    rest = rest.slice(m[0].length);
  }
  if (rest) throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  const [year, , month, , day, , hour, , minute, , second, zone] = parts as [string, string, string, string, string, string, string, string, string, string, string, string];
  const num = (s: string) => Number(s);
  const outOfRange = (what: string) => new Error(`parsing time ${JSON.stringify(value)}: ${what} out of range`);
  if (num(month) < 1 || num(month) > 12) throw outOfRange("month");
  const daysInMonth = new Date(Date.UTC(num(year), num(month), 0)).getUTCDate();
  if (num(day) < 1 || num(day) > daysInMonth) throw outOfRange("day");
  if (num(hour) > 23) throw outOfRange("hour");
  if (num(minute) > 59) throw outOfRange("minute");
  if (Math.floor(num(second.replace(",", "."))) > 59) throw outOfRange("second");
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second.slice(0, 2)}${zone}`);
  return Math.floor(ms / 1000) * 1000;
}
