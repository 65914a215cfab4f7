// Ages and durations as k8s.io/apimachinery/pkg/util/duration.HumanDuration writes them.

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Formats a duration in milliseconds the way upstream HumanDuration does ("59s", "5m10s", "3h5m", "2d4h", "3y"). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to two seconds in the future counts as "now", to tolerate clock skew.
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 2 * MINUTE) return `${seconds}s`;
  const minutes = Math.trunc(seconds / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(seconds / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 timestamp (metav1.Time or MicroTime); undefined for absent, empty or malformed. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const m = rfc3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (frac) ms += Math.trunc(Number(`0.${frac}`) * 1000);
  if (sign) ms -= (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  // Go's zero time, which some clients send instead of null, means "unset" too.
  return +y! <= 1 ? undefined : ms;
}

/** Age of a timestamp relative to `now`, or "<unknown>" when the timestamp is absent. */
export function translateTimestampSince(timestamp: string | undefined, now: Date): string {
  const t = parseTimestamp(timestamp);
  return t === undefined ? "<unknown>" : humanDuration(now.getTime() - t);
}

/** A timestamp as Go's time.RFC3339 prints it in UTC ("2006-01-02T15:04:05Z"), zero time when absent. */
export function formatRFC3339(timestamp: string | undefined): string {
  const t = parseTimestamp(timestamp);
  if (t === undefined) return "0001-01-01T00:00:00Z";
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}
