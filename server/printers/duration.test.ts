import { describe, expect, test } from "bun:test";
import { formatRFC3339, humanDuration, parseTimestamp, translateTimestampSince } from "./duration.ts";
import { NOW, ago } from "./testing.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration", () => {
  test.each([
    [-3 * s, "<invalid>"],
    [-1.5 * s, "0s"],
    [0, "0s"],
    [999, "0s"],
    [59 * s, "59s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [5 * m + 10 * s, "5m10s"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 5 * m, "3h5m"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h + 30 * m, "8h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [2 * d + 4 * h, "2d4h"],
    [7 * d + 23 * h, "7d23h"],
    [8 * d + 5 * h, "8d"],
    [729 * d, "729d"],
    [730 * d, "2y"],
    [730 * d + 10 * d, "2y10d"],
    [8 * 365 * d + 100 * d, "8y"],
  ])("%p ms is %p", (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe("timestamps", () => {
  test("absent, empty and Go zero times are <unknown>", () => {
    expect(translateTimestampSince(undefined, NOW)).toBe("<unknown>");
    expect(translateTimestampSince("", NOW)).toBe("<unknown>");
    expect(translateTimestampSince("0001-01-01T00:00:00Z", NOW)).toBe("<unknown>");
  });

  test("ages are relative to now", () => {
    expect(translateTimestampSince(ago(310), NOW)).toBe("5m10s");
    expect(translateTimestampSince(ago(3 * 86400), NOW)).toBe("3d");
  });

  test("MicroTime fractions and offsets parse", () => {
    expect(parseTimestamp("2024-06-01T11:59:00.123456Z")).toBe(Date.parse("2024-06-01T11:59:00.123Z"));
    expect(parseTimestamp("2024-06-01T13:00:00+01:00")).toBe(NOW.getTime());
    expect(parseTimestamp("yesterday")).toBeUndefined();
  });

  test("formatRFC3339 matches Go's time.RFC3339 in UTC", () => {
    expect(formatRFC3339("2024-06-01T13:00:00.5+01:00")).toBe("2024-06-01T12:00:00Z");
    expect(formatRFC3339(undefined)).toBe("0001-01-01T00:00:00Z");
  });
});
