// Standard five-field cron schedules (minute hour day-of-month month day-of-week) with
// lists, ranges, steps, month and weekday names, `?`, and the @hourly/@daily/... macros, as
// the CronJob controller reads them. Times are the server's local time.

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Day-of-month and day-of-week both restricted: either may match (cron's rule). */
  eitherDay: boolean;
}

const macros: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Parses a schedule; throws an Error with a readable message when it is not valid. */
export function parseSchedule(text: string): CronSchedule {
  const fields = (macros[text.trim()] ?? text).trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  const [m, h, dom, mon, dow] = fields;
  const weekdays = parseField(dow, 0, 7, dayNames);
  if (weekdays.delete(7)) weekdays.add(0);
  const restricted = (f: string) => !f.startsWith("*") && !f.startsWith("?");
  return {
    minutes: parseField(m, 0, 59),
    hours: parseField(h, 0, 23),
    days: parseField(dom, 1, 31),
    months: parseField(mon, 1, 12, monthNames, 1),
    weekdays,
    eitherDay: restricted(dom) && restricted(dow),
  };
}

function parseField(field: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string) => {
    const named = names.indexOf(token.toLowerCase());
    const n = named >= 0 ? named + nameBase : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (Number.isNaN(n) || n < min || n > max) throw new Error(`invalid value "${token}" in "${field}"`);
    return n;
  };
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === "*" || range === "?") [lo, hi] = [min, max];
    else if (range.includes("-")) [lo, hi] = range.split("-").map(value) as [number, number];
    else [lo, hi] = [value(range), stepText === undefined ? value(range) : max];
    if (lo > hi) throw new Error(`invalid range "${range}"`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

function dayMatches(s: CronSchedule, date: Date): boolean {
  const dom = s.days.has(date.getDate());
  const dow = s.weekdays.has(date.getDay());
  return s.eitherDay ? dom || dow : dom && dow;
}

/** The first scheduled time strictly after `after` (ms), or undefined within five years. */
export function nextTime(s: CronSchedule, after: number): number | undefined {
  const t = new Date(after);
  t.setSeconds(0, 0);
  t.setMinutes(t.getMinutes() + 1);
  const limit = after + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!s.months.has(t.getMonth() + 1)) {
      t.setMonth(t.getMonth() + 1, 1);
      t.setHours(0, 0, 0, 0);
    } else if (!dayMatches(s, t)) {
      t.setDate(t.getDate() + 1);
      t.setHours(0, 0, 0, 0);
    } else if (!s.hours.has(t.getHours())) {
      t.setHours(t.getHours() + 1, 0, 0, 0);
    } else if (!s.minutes.has(t.getMinutes())) {
      t.setMinutes(t.getMinutes() + 1, 0, 0);
    } else return t.getTime();
  }
  return undefined;
}

/** The latest scheduled time in (`after`, `now`], or undefined; looks back at most two days. */
export function lastMissed(s: CronSchedule, after: number, now: number): number | undefined {
  let t = nextTime(s, Math.max(after, now - 2 * 86_400_000));
  let last: number | undefined;
  while (t !== undefined && t <= now) {
    last = t;
    t = nextTime(s, t);
  }
  return last;
}
