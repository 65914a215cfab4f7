import { describe, expect, test } from "bun:test";
import { lastMissed, nextTime, parseSchedule } from "./cron-schedule.ts";

const at = (text: string) => new Date(text).getTime();
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe("cron schedules", () => {
  test("fields: lists, ranges, steps, names, macros", () => {
    const s = parseSchedule("*/15 9-17 * jan,JUL mon-fri");
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseSchedule("0 0 * * 7").weekdays]).toEqual([0]);
    expect([...parseSchedule("@hourly").minutes]).toEqual([0]);
    expect([...parseSchedule("5/20 * * * *").minutes]).toEqual([5, 25, 45]);
  });

  test("invalid schedules say why", () => {
    expect(() => parseSchedule("* * * *")).toThrow("expected exactly 5 fields, found 4: * * * *");
    expect(() => parseSchedule("61 * * * *")).toThrow('invalid value "61"');
    expect(() => parseSchedule("*/0 * * * *")).toThrow("invalid step");
  });

  test("next times", () => {
    expect(nextTime(parseSchedule("* * * * *"), local(2024, 5, 1, 10, 0) + 30_000)).toBe(local(2024, 5, 1, 10, 1));
    expect(nextTime(parseSchedule("30 2 * * *"), local(2024, 5, 1, 10, 0))).toBe(local(2024, 5, 2, 2, 30));
    expect(nextTime(parseSchedule("0 0 1 * *"), local(2024, 12, 15))).toBe(local(2025, 1, 1));
    // Day-of-month and day-of-week both restricted: either matches (2024-05-03 is a Friday).
    expect(nextTime(parseSchedule("0 0 13 * fri"), local(2024, 5, 1))).toBe(local(2024, 5, 3));
    expect(nextTime(parseSchedule("0 0 30 2 *"), at("2024-01-01T00:00:00Z"))).toBeUndefined();
  });

  test("the latest missed time since the last run", () => {
    const s = parseSchedule("*/10 * * * *");
    expect(lastMissed(s, local(2024, 5, 1, 10, 0), local(2024, 5, 1, 10, 35))).toBe(local(2024, 5, 1, 10, 30));
    expect(lastMissed(s, local(2024, 5, 1, 10, 30), local(2024, 5, 1, 10, 35))).toBeUndefined();
  });
});
