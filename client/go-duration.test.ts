import { expect, test } from "bun:test";
import { formatGoDuration, parseGoDuration } from "./go-duration.ts";

test("parses Go durations into milliseconds", () => {
  expect(parseGoDuration("0")).toBe(0);
  expect(parseGoDuration("1s")).toBe(1000);
  expect(parseGoDuration("1h30m")).toBe(5_400_000);
  expect(parseGoDuration("1.5s")).toBe(1500);
  expect(parseGoDuration(".5s")).toBe(500);
  expect(parseGoDuration("-2m")).toBe(-120_000);
  expect(parseGoDuration("250us")).toBe(0.25);
  expect(parseGoDuration("1\u00b5s")).toBe(0.001);
  expect(parseGoDuration("100ns")).toBeCloseTo(0.0001);
});

test("rejects what Go rejects, with Go's messages", () => {
  expect(() => parseGoDuration("x")).toThrow('time: invalid duration "x"');
  expect(() => parseGoDuration("")).toThrow('time: invalid duration ""');
  expect(() => parseGoDuration("1")).toThrow('time: missing unit in duration "1"');
  expect(() => parseGoDuration("1x")).toThrow('time: unknown unit "x" in duration "1x"');
  expect(() => parseGoDuration(".s")).toThrow('time: invalid duration ".s"');
});

test("formats like Duration.String", () => {
  expect(formatGoDuration(0)).toBe("0s");
  expect(formatGoDuration(500)).toBe("500ms");
  expect(formatGoDuration(1500)).toBe("1.5s");
  expect(formatGoDuration(5000)).toBe("5s");
  expect(formatGoDuration(90_000)).toBe("1m30s");
  expect(formatGoDuration(3_600_000)).toBe("1h0m0s");
  expect(formatGoDuration(-120_000)).toBe("-2m0s");
  expect(formatGoDuration(0.25)).toBe("250\u00b5s");
});
